package io.wabasync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.KeptCounts;
import io.wabasync.testing.Replicas;

/**
 * The process and the database failing under a running sync, with the packaged service as its own
 * process: kill -9 then restart, SIGTERM, and PostgreSQL stopped and started again.
 */
class ProcessFailuresIT {

    private static FakeMeta meta;
    private static Replicas service;

    @BeforeAll
    static void start() throws Exception {
        meta = new FakeMeta();
        meta.start();
        service = Replicas.start(1, meta, Map.of(
                "WABASYNC_META_PAGE_SIZE", "10",
                "WABASYNC_SYNC_ABANDON_AFTER", "3s",
                "WABASYNC_SYNC_HEARTBEAT_EVERY", "500ms",
                "WABASYNC_SYNC_SWEEP_EVERY", "1s",
                "WABASYNC_RECONCILE_TICK", "off"));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (meta != null) {
            meta.stop();
        }
    }

    @BeforeEach
    void serviceIsUp() throws Exception {
        if (!service.isAlive(0)) {
            service.restart(0);
        }
    }

    @Test
    void killMinus9MidSyncThenRestartEndsWithTheExactTemplateSet() throws Exception {
        Channel c = channel();
        FakeMeta.Waba waba = meta.waba(c.waba).templates(TwoChatSyncTest.templates("k9", 80, "APPROVED"))
                .delay(Duration.ofMillis(300));
        String killed = start(c).getString("sync_id");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(c).getInt("pages") >= 3);

        Map<String, Object> numbersBefore = lancePilotIds(c);
        service.kill(0);
        // Whatever page the dead writer had open took its kept counts with it.
        assertThat(KeptCounts.mismatches(service.database())).isZero();
        // Meta moves on meanwhile: five templates go, three arrive.
        List<ObjectNode> now = new ArrayList<>(waba.templates().subList(5, 80));
        now.addAll(TwoChatSyncTest.templates("k9new", 3, "PENDING"));
        waba.templates(now).delay(Duration.ZERO);
        service.restart(0);

        // The dead instance's job blocks the number until its heartbeat is old enough, then not.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> start(c)
                .getString("message").startsWith("Template sync started"));
        JsonPath job = awaitFinished(c);
        assertThat(job.getString("status")).isEqualTo("SUCCEEDED");

        assertThat(storedProviderIds(c)).containsExactlyInAnyOrderElementsOf(
                now.stream().map(t -> t.get("id").asText()).toList());
        assertThat(sql("SELECT count(*) - count(DISTINCT provider_id) FROM template WHERE channel_id = ?", c.id))
                .as("no duplicates").isZero();
        assertThat(KeptCounts.mismatches(service.database())).isZero();
        assertThat(given().baseUri(service.url(0)).header("X-User-API-Key", c.key).queryParam("phone_number", c.phone)
                .get("/open/waba/templates").then().statusCode(200).extract().jsonPath().getInt("total"))
                .isEqualTo(now.size());
        // LancePilot's integer ids are the database's: the same after the crash, the restart and the new sync.
        Map<String, Object> numbersAfter = lancePilotIds(c);
        numbersBefore.keySet().retainAll(numbersAfter.keySet());
        assertThat(numbersBefore).isNotEmpty();
        assertThat(numbersAfter).containsAllEntriesOf(numbersBefore);
        given().baseUri(service.url(0)).header("X-User-API-Key", c.key)
                .get("/api/v3/workspaces/{ws}/sync-jobs/{id}", c.workspace, killed)
                .then().statusCode(200).body("data.status", equalTo("FAILED"))
                .body("data.error", org.hamcrest.Matchers.startsWith("Abandoned"));
    }

    @Test
    void killMinus9DuringADeleteJobThenRestartCompletesTheDelete() throws Exception {
        Channel c = channel();
        FakeMeta.Waba waba = meta.waba(c.waba).templates(TwoChatSyncTest.templates("kdel", 3, "APPROVED"));
        start(c);
        assertThat(awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        Map<String, Object> ids = lancePilotIds(c);
        String doomed = waba.templates().get(0).get("id").asText();
        // Meta deletes it, but the instance is killed before Meta's answer arrives.
        waba.deleteAnswerLate(Duration.ofSeconds(30));
        given().baseUri(service.url(0)).header("Authorization", "Bearer " + c.key)
                .delete("/api/v3/workspaces/{ws}/templates/{id}", c.workspace, ids.get(doomed))
                .then().statusCode(200).body("message", equalTo("Template deleted successfully"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waba.deleteRequests() == 1);
        service.kill(0);
        assertThat(sqlText("SELECT status FROM sync_job WHERE kind = 'DELETE' AND channel_id = ?::uuid", c.id))
                .as("left running by the dead instance").isEqualTo("RUNNING");
        waba.deleteAnswerLate(Duration.ZERO);
        service.restart(0);

        // Taken over once its heartbeat is old enough; Meta no longer has it, which counts as done.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> "SUCCEEDED".equals(
                sqlText("SELECT status FROM sync_job WHERE kind = 'DELETE' AND channel_id = ?::uuid", c.id)));
        assertThat(lancePilotIds(c)).doesNotContainKey(doomed).hasSize(2);
        assertThat(sqlText("SELECT status || ' ' || (removed_at IS NOT NULL) FROM template WHERE provider_id = ?", doomed))
                .isEqualTo("DELETED true");
        assertThat(waba.templates()).hasSize(2);
    }

    @Test
    void sigtermLeavesNoJobRunning() throws Exception {
        Channel c = channel();
        meta.waba(c.waba).templates(TwoChatSyncTest.templates("term", 60, "APPROVED")).delay(Duration.ofMillis(400));
        String jobId = start(c).getString("sync_id");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(c).getInt("pages") >= 1);

        service.terminate(0);

        assertThat(sqlText("SELECT status || ': ' || coalesce(error, '') FROM sync_job WHERE id = ?::uuid", jobId))
                .startsWith("FAILED: Interrupted: the service instance");
        meta.waba(c.waba).delay(Duration.ZERO);
    }

    @Test
    void postgresqlGoingAwayAndComingBack() throws Exception {
        Channel c = channel();
        FakeMeta.Waba waba = meta.waba(c.waba).templates(TwoChatSyncTest.templates("db", 40, "APPROVED"));
        start(c);
        assertThat(awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        waba.delay(Duration.ofMillis(500));
        String inFlight = start(c).getString("sync_id");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(c).getInt("pages") >= 1);

        service.stopDatabase();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> given()
                    .baseUri(service.url(0)).get("/q/health/ready").statusCode() == 503);
            // The API answers in its JSON error shape, not with a stack trace.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> given()
                    .baseUri(service.url(0)).header("X-User-API-Key", c.key)
                    .get("/api/v3/workspaces/{ws}/channels", c.workspace)
                    .then().statusCode(503).contentType(ContentType.JSON).body("success", equalTo(false)));
        } finally {
            service.startDatabase();
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> given()
                .baseUri(service.url(0)).get("/q/health/ready").statusCode() == 200);
        // The sync that was in flight ends FAILED with a reason, by itself or by the sweeper.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> !"RUNNING".equals(
                sqlText("SELECT status FROM sync_job WHERE id = ?::uuid", inFlight)));
        assertThat(sqlText("SELECT status FROM sync_job WHERE id = ?::uuid", inFlight)).isEqualTo("FAILED");
        assertThat(sqlText("SELECT error FROM sync_job WHERE id = ?::uuid", inFlight)).isNotBlank();

        // Nothing was lost, and the next sync works without restarting the service.
        assertThat(storedProviderIds(c)).hasSize(40);
        waba.delay(Duration.ZERO);
        await().atMost(Duration.ofSeconds(30)).until(() -> start(c).getString("message").startsWith("Template sync started"));
        assertThat(awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
    }

    // --- helpers ---------------------------------------------------------------------------

    record Channel(String workspace, String key, String phone, String waba, String id) {
    }

    private static Channel channel() {
        JsonPath ws = Replicas.createWorkspace(service.url(0), "Failures");
        String suffix = String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits() % 10_000_000L));
        String phone = "+1888" + "0".repeat(7 - suffix.length()) + suffix;
        String waba = "777" + suffix;
        meta.waba(waba, "EAAGprocess" + suffix);
        String id = given().baseUri(service.url(0)).contentType(ContentType.JSON).header("X-User-API-Key", ws.getString("api_key"))
                .body(Map.of("phone_number", phone, "waba_id", waba, "access_token", "EAAGprocess" + suffix))
                .post("/api/v3/workspaces/{ws}/channels", ws.getString("id")).then().statusCode(201).extract().path("id");
        return new Channel(ws.getString("id"), ws.getString("api_key"), phone, waba, id);
    }

    private static JsonPath start(Channel c) {
        return given().baseUri(service.url(0)).header("X-User-API-Key", c.key).queryParam("phone_number", c.phone)
                .post("/open/waba/templates/sync").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath status(Channel c) {
        return given().baseUri(service.url(0)).header("X-User-API-Key", c.key).queryParam("phone_number", c.phone)
                .get("/open/waba/templates/sync").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitFinished(Channel c) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> status(c), job -> job.getString("status") != null && !"RUNNING".equals(job.getString("status")));
    }

    /** Meta's id → LancePilot's integer id, of the channel's listed templates. */
    private static Map<String, Object> lancePilotIds(Channel c) {
        Map<String, Object> ids = new java.util.HashMap<>();
        given().baseUri(service.url(0)).header("Authorization", "Bearer " + c.key).queryParam("per_page", 100)
                .get("/api/v3/workspaces/{ws}/templates", c.workspace).then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("data").forEach(t -> ids.put((String) t.get("provider_id"), t.get("id")));
        return ids;
    }

    private static List<String> storedProviderIds(Channel c) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection conn = service.database().getConnection();
                PreparedStatement st = conn.prepareStatement(
                        "SELECT provider_id FROM template WHERE channel_id = ?::uuid AND removed_at IS NULL")) {
            st.setString(1, c.id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static long sql(String query, String param) throws Exception {
        try (Connection conn = service.database().getConnection();
                PreparedStatement st = conn.prepareStatement(query.replace("= ?", "= ?::uuid"))) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String sqlText(String query, String param) throws Exception {
        try (Connection conn = service.database().getConnection(); PreparedStatement st = conn.prepareStatement(query)) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
