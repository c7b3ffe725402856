package io.wabasync.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.Replicas;

/**
 * The single-node build (embedded PostgreSQL) as a user runs it, stopped by Ctrl+C (SIGINT) or by
 * SIGTERM in the middle of a sync: the service ends its job, closes its listener and pool, and only
 * then stops its database. Before, the database library's own shutdown hook stopped PostgreSQL at
 * the same moment, and the log ended in {@code FATAL: terminating connection due to administrator
 * command (57P01)}.
 */
class OrderlyStopIT {

    private static FakeMeta meta;

    @BeforeAll
    static void startMeta() throws IOException {
        meta = new FakeMeta();
        meta.start();
    }

    @AfterAll
    static void stopMeta() {
        meta.stop();
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({ "INT, 130", "TERM, 143" })
    void aSignalStopsTheServiceBeforeItsDatabase(String signal, int exitStatus) throws Exception {
        Path workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "orderly-stop")), signal);
        Path log = workDir.resolve("console.log");
        Process service = launch(workDir, log);
        try {
            String url = "http://localhost:" + port;
            Replicas.awaitReady(url);
            JsonPath workspace = Replicas.createWorkspace(url, "Stop " + signal);
            String key = workspace.getString("api_key");
            String phone = "+4479" + (100_000_000L + Math.floorMod(System.nanoTime(), 100_000_000L));
            String wabaId = "88" + System.nanoTime();
            given().baseUri(url).header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                    .body(Map.of("phone_number", phone, "waba_id", wabaId, "access_token", "EAAG-stop"))
                    .post("/api/v3/workspaces/" + workspace.getString("id") + "/channels").then().statusCode(201);
            meta.waba(wabaId, "EAAG-stop").templates(TwoChatSyncTest.templates("stop", 200, "APPROVED")).delay(Duration.ofMillis(300));
            given().baseUri(url).header("X-User-API-Key", key).queryParam("phone_number", phone)
                    .post("/open/waba/templates/sync").then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> given().baseUri(url).header("X-User-API-Key", key)
                    .queryParam("phone_number", phone).get("/open/waba/templates/sync").jsonPath().getInt("pages") >= 1);

            new ProcessBuilder("kill", "-" + signal, String.valueOf(service.pid())).start().waitFor();

            assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
            assertThat(service.exitValue()).isEqualTo(exitStatus);
            String console = Files.readString(log);
            assertThat(console).doesNotContain("FATAL", "57P01", "Connection refused", "\"level\":\"ERROR\"")
                    .contains("Stopping: ended 1 running job(s)", "stopped in", "/data stopped");
            assertThat(console.indexOf("Stopping: ended 1 running job(s)"))
                    .as("the job is ended before the database stops")
                    .isLessThan(console.indexOf("/data stopped"));
            assertThat(workDir.resolve("data/postgres/postmaster.pid")).doesNotExist();
        } finally {
            if (service.isAlive()) {
                service.destroyForcibly().waitFor();
            }
            stopLeftDatabase(workDir);
        }
    }

    private int port;

    /** The packaged single-node jar, in a folder of its own: its data/ is created there. */
    private Process launch(Path workDir, Path log) throws IOException {
        port = freePort();
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("WABASYNC_META_BASE_URL", meta.baseUrl());
        builder.environment().put("WABASYNC_ADMIN_TOKEN", Replicas.ADMIN_TOKEN);
        builder.environment().put("WABASYNC_META_PAGE_SIZE", "10");
        builder.environment().put("WABASYNC_RECONCILE_TICK", "off");
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** After a failed assertion: a PostgreSQL left running would hold the single node's port. */
    private static void stopLeftDatabase(Path workDir) throws IOException, InterruptedException {
        Path pidFile = workDir.resolve("data/postgres/postmaster.pid");
        if (Files.exists(pidFile)) {
            String pid = Files.readAllLines(pidFile).get(0).trim();
            new ProcessBuilder("kill", "-INT", pid).start().waitFor();
            await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(pidFile));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
