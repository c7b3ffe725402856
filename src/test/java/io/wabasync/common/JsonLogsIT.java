package io.wabasync.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.Replicas;

/** The packaged service logs JSON in production, and every line of a sync names its job and workspace. */
class JsonLogsIT {

    @Test
    void syncLinesAreJsonWithJobAndWorkspace() throws Exception {
        FakeMeta meta = new FakeMeta();
        meta.start();
        try (Replicas service = Replicas.start(1, meta, Map.of("WABASYNC_RECONCILE_TICK", "off"))) {
            String url = service.url(0);
            JsonPath ws = Replicas.createWorkspace(url, "Logs");
            meta.waba("8880001", "EAAGlogs").templates(TwoChatSyncTest.templates("json", 3, "APPROVED"));
            given().baseUri(url).contentType(ContentType.JSON).header("X-User-API-Key", ws.getString("api_key"))
                    .body(Map.of("phone_number", "+18880001234", "waba_id", "8880001", "access_token", "EAAGlogs"))
                    .post("/api/v3/workspaces/{ws}/channels", ws.getString("id")).then().statusCode(201);
            String jobId = given().baseUri(url).header("X-User-API-Key", ws.getString("api_key"))
                    .queryParam("phone_number", "+18880001234").post("/open/waba/templates/sync")
                    .then().statusCode(200).extract().path("sync_id");

            ObjectMapper json = new ObjectMapper();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<JsonNode> lines;
                try (Stream<Path> logs = Files.list(Path.of("target", "replicas"))) {
                    lines = logs.filter(p -> p.getFileName().toString().startsWith("instance-"))
                            .flatMap(JsonLogsIT::lines)
                            .filter(l -> l.startsWith("{") && l.contains(jobId))
                            .map(l -> read(json, l)).toList();
                }
                assertThat(lines).as("the job's JSON log lines").hasSizeGreaterThanOrEqualTo(2);
                assertThat(lines).allSatisfy(line -> {
                    assertThat(line.at("/mdc/jobId").asText()).isEqualTo(jobId);
                    assertThat(line.at("/mdc/workspaceId").asText()).isEqualTo(ws.getString("id"));
                    assertThat(line.path("level").asText()).isNotBlank();
                });
            });
        } finally {
            meta.stop();
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode read(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException("Not JSON: " + line, e);
        }
    }
}
