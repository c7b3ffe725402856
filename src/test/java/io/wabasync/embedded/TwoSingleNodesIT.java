package io.wabasync.embedded;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.Replicas;

/**
 * Two single-node instances on one host, each started from its own folder with the packaged jar and
 * the embedded default, as a user starts a dev and a staging copy on a laptop. The second used to find
 * the first one's PostgreSQL on the embedded port, log that "its" database had started, and serve the
 * first one's data.
 */
class TwoSingleNodesIT {

    private static FakeMeta meta;
    private static final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void startMeta() throws IOException {
        meta = new FakeMeta();
        meta.start();
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        meta.stop();
    }

    @Test
    void twoInstancesOnOneHostEachUseOnlyTheirOwnDatabase() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "two-single-nodes"));
        Instance a = Instance.launch(Files.createTempDirectory(root, "a"));
        Replicas.awaitReady(a.url);
        Instance b = Instance.launch(Files.createTempDirectory(root, "b"));
        Replicas.awaitReady(b.url);

        int portA = a.databasePort();
        int portB = b.databasePort();
        assertThat(portA).as("each folder's database has a port of its own").isNotEqualTo(portB);
        assertThat(a.dataDirectoryServedOn(portA)).isEqualTo(a.dir.resolve("data/postgres").toRealPath().toString());
        assertThat(b.dataDirectoryServedOn(portB)).isEqualTo(b.dir.resolve("data/postgres").toRealPath().toString());

        JsonPath wsA = Replicas.createWorkspace(a.url, "Dev copy");
        JsonPath wsB = Replicas.createWorkspace(b.url, "Staging copy");
        String keyA = wsA.getString("api_key");
        String keyB = wsB.getString("api_key");
        connect(a.url, wsA, keyA, "+4479" + (100_000_000L + Math.floorMod(System.nanoTime(), 100_000_000L)));

        // Each one's key is unknown on the other; each sees only its own workspace and channels.
        given().baseUri(b.url).header("Authorization", "Bearer " + keyA)
                .get("/api/v3/workspaces/{ws}/channels", wsA.getString("id")).then().statusCode(401);
        given().baseUri(a.url).header("Authorization", "Bearer " + keyB)
                .get("/api/v3/workspaces/{ws}/channels", wsB.getString("id")).then().statusCode(401);
        given().baseUri(a.url).header("Authorization", "Bearer " + keyA)
                .get("/api/v3/workspaces/{ws}/channels", wsB.getString("id")).then().statusCode(404);
        given().baseUri(a.url).header("Authorization", "Bearer " + keyA)
                .get("/api/v3/workspaces/{ws}/channels", wsA.getString("id")).then().statusCode(200)
                .body("data.size()", org.hamcrest.Matchers.equalTo(1));
        given().baseUri(b.url).header("Authorization", "Bearer " + keyB)
                .get("/api/v3/workspaces/{ws}/channels", wsB.getString("id")).then().statusCode(200)
                .body("data.size()", org.hamcrest.Matchers.equalTo(0));
        assertThat(a.workspaceNames()).contains("Dev copy").doesNotContain("Staging copy");
        assertThat(b.workspaceNames()).contains("Staging copy").doesNotContain("Dev copy");

        // No well-known login; the generated password is the owner's alone and never logged.
        assertThatThrownBy(() -> login(portA, "postgres")).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> login(portA, b.password())).isInstanceOf(SQLException.class);
        Path passwordFile = a.dir.resolve("data/" + EmbeddedDatabase.PASSWORD_FILE);
        assertThat(Files.getPosixFilePermissions(passwordFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(a.console()).doesNotContain(a.password()).doesNotContain("password \"postgres\"");
        assertThat(b.console()).doesNotContain(b.password());

        // A second start in a's folder refuses at once and leaves a running.
        Process second = Instance.process(a.dir, freePort(), a.dir.resolve("second.log"));
        started.add(second);
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second start exits").isTrue();
        assertThat(second.exitValue()).isNotZero();
        assertThat(Files.readString(a.dir.resolve("second.log")))
                .contains("Another wabasync instance (PID " + a.process.pid() + ") is using the data folder "
                        + a.dir.resolve("data").toAbsolutePath().normalize());
        given().baseUri(a.url).get("/q/health/ready").then().statusCode(200);

        // kill -9, then a restart in the same folder: its own data, its PostgreSQL left behind stopped first.
        a.process.destroyForcibly().waitFor();
        Instance again = Instance.launch(a.dir);
        Replicas.awaitReady(again.url);
        assertThat(again.databasePort()).isEqualTo(portA);
        given().baseUri(again.url).header("Authorization", "Bearer " + keyA)
                .get("/api/v3/workspaces/{ws}/channels", wsA.getString("id")).then().statusCode(200)
                .body("data.size()", org.hamcrest.Matchers.equalTo(1));
        given().baseUri(again.url).header("Authorization", "Bearer " + keyB)
                .get("/api/v3/workspaces/{ws}/channels", wsB.getString("id")).then().statusCode(401);

        // Both stop cleanly, each its own database.
        again.stop("INT", 130);
        b.stop("TERM", 143);
        for (Instance i : List.of(again, b)) {
            assertThat(i.dir.resolve("data/postgres/postmaster.pid")).doesNotExist();
            assertThat(i.console()).doesNotContain("Could not stop postmaster", "\"level\":\"ERROR\"", "FATAL")
                    .contains("/data stopped");
        }
    }

    private static void connect(String url, JsonPath ws, String key, String phone) {
        given().baseUri(url).header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("phone_number", phone, "waba_id", "77" + System.nanoTime(), "access_token", "EAAG-two"))
                .post("/api/v3/workspaces/" + ws.getString("id") + "/channels").then().statusCode(201);
    }

    private static Connection login(int port, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One packaged single node, run from its own folder. */
    private record Instance(Path dir, Process process, String url) {

        static Instance launch(Path dir) throws IOException {
            int port = freePort();
            Process process = process(dir, port, dir.resolve("console-" + System.nanoTime() + ".log"));
            started.add(process);
            return new Instance(dir, process, "http://localhost:" + port);
        }

        static Process process(Path dir, int httpPort, Path log) throws IOException {
            Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar.toString()).directory(dir.toFile());
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
            builder.environment().put("WABASYNC_META_BASE_URL", meta.baseUrl());
            builder.environment().put("WABASYNC_ADMIN_TOKEN", Replicas.ADMIN_TOKEN);
            builder.environment().put("WABASYNC_RECONCILE_TICK", "off");
            return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        int databasePort() throws IOException {
            return Integer.parseInt(Files.readString(dir.resolve("data/" + EmbeddedDatabase.PORT_FILE)).strip());
        }

        String password() throws IOException {
            return Files.readString(dir.resolve("data/" + EmbeddedDatabase.PASSWORD_FILE)).strip();
        }

        String dataDirectoryServedOn(int port) throws Exception {
            try (Connection c = login(port, password()); var st = c.createStatement();
                    var rs = st.executeQuery("SHOW data_directory")) {
                rs.next();
                return Path.of(rs.getString(1)).toRealPath().toString();
            }
        }

        List<String> workspaceNames() throws Exception {
            try (Connection c = login(databasePort(), password()); var st = c.createStatement();
                    var rs = st.executeQuery("SELECT name FROM workspace")) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                return names;
            }
        }

        String console() throws IOException {
            StringBuilder all = new StringBuilder();
            try (var logs = Files.list(dir)) {
                for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("console-")).sorted().toList()) {
                    all.append(Files.readString(log));
                }
            }
            return all.toString();
        }

        void stop(String signal, int exitStatus) throws Exception {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
            assertThat(process.exitValue()).isEqualTo(exitStatus);
        }
    }
}
