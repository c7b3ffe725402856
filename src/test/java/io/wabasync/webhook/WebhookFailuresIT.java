package io.wabasync.webhook;

import static io.restassured.RestAssured.given;
import static io.wabasync.testing.MetaWebhooks.delivery;
import static io.wabasync.testing.MetaWebhooks.statusChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.EventStream;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.MetaWebhooks;
import io.wabasync.testing.Replicas;

/**
 * Webhooks when processes and the database fail, with two instances of the packaged service on one
 * PostgreSQL: a delivery acknowledged by an instance that dies before applying it is applied by the
 * other; with the database down Meta is told to retry (503), and the live stream carries on after.
 */
class WebhookFailuresIT {

    private static FakeMeta meta;
    private static Replicas replicas;

    @BeforeAll
    static void start() throws Exception {
        meta = new FakeMeta();
        meta.start();
        replicas = Replicas.start(2, meta, Map.of(
                "WABASYNC_WEBHOOK_APP_SECRET", MetaWebhooks.APP_SECRET,
                "WABASYNC_WEBHOOK_RETRY_TICK", "500ms",
                "WABASYNC_WEBHOOK_MAX_RETRY_DELAY", "1s",
                "WABASYNC_RECONCILE_TICK", "off"));
    }

    @AfterAll
    static void stop() {
        if (replicas != null) {
            replicas.close();
        }
        if (meta != null) {
            meta.stop();
        }
    }

    @Test
    void aDeliveryAcknowledgedByAnInstanceThatDiesIsAppliedByAnother() throws Exception {
        Channel c = channel(replicas.url(1), "+14155550201", "7700000201", "EAAGwebhookKill");
        ObjectNode t = c.templates.get(0);
        // Applying fails for now (the database refuses to change this template), so the delivery is
        // certainly still in the inbox when its instance is killed.
        sql("CREATE FUNCTION refuse_kill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'simulated failure'; END $$");
        sql("CREATE TRIGGER refuse_kill BEFORE UPDATE ON template FOR EACH ROW WHEN (OLD.provider_id = '"
                + t.get("id").asText() + "') EXECUTE FUNCTION refuse_kill()");
        try {
            MetaWebhooks.post(replicas.url(0), delivery(c.waba, Instant.now().plusSeconds(1),
                    statusChange(t.get("id").asText(), t.get("name").asText(), "en-US", "APPROVED", "NONE")))
                    .statusCode(200);
            replicas.kill(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> queryLong(
                    "SELECT coalesce(max(attempts), 0) FROM webhook_delivery WHERE status = 'PENDING'") >= 2);
        } finally {
            sql("DROP TRIGGER refuse_kill ON template");
            sql("DROP FUNCTION refuse_kill()");
        }
        // The surviving instance's tick finds it and applies it.
        await().atMost(Duration.ofSeconds(20)).until(() -> "APPROVED".equals(status(replicas.url(1), c, t)));
        assertThat(queryLong("SELECT count(*) FROM webhook_delivery WHERE status = 'PENDING'")).isZero();
        replicas.restart(0);
    }

    @Test
    void withTheDatabaseDownMetaIsToldToRetryAndTheStreamCarriesOnAfter() throws Exception {
        Channel c = channel(replicas.url(1), "+14155550202", "7700000202", "EAAGwebhookDb");
        ObjectNode t = c.templates.get(0);
        String body = delivery(c.waba, Instant.now().plusSeconds(1),
                statusChange(t.get("id").asText(), t.get("name").asText(), "en-US", "REJECTED", "SCAM"));
        try (EventStream stream = EventStream.open(replicas.url(1), c.workspace, c.key)) {
            replicas.stopDatabase();
            try {
                // Not stored, so not acknowledged: Meta keeps the delivery and sends it again.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        MetaWebhooks.post(replicas.url(1), body).statusCode(503).contentType(ContentType.JSON)
                                .body("success", equalTo(false)));
            } finally {
                replicas.startDatabase();
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> given()
                    .baseUri(replicas.url(1)).get("/q/health/ready").statusCode() == 200);
            // Meta's retry: accepted and applied; the stream opened before the outage shows it, the
            // instance's listener having reconnected by itself.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    MetaWebhooks.post(replicas.url(1), body).statusCode(200));
            await().atMost(Duration.ofSeconds(20)).until(() -> "REJECTED".equals(status(replicas.url(1), c, t)));
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.events().stream()
                    .anyMatch(e -> "WEBHOOK".equals(e.get("source").asText())));
        }
    }

    private record Channel(String workspace, String key, String phone, String waba, List<ObjectNode> templates) {
    }

    private static Channel channel(String url, String phone, String waba, String token) {
        JsonPath ws = Replicas.createWorkspace(url, "Hooks " + phone);
        List<ObjectNode> templates = TwoChatSyncTest.templates("hook", 2, "PENDING");
        meta.waba(waba, token).templates(templates);
        String key = ws.getString("api_key");
        given().baseUri(url).contentType(ContentType.JSON).header("X-User-API-Key", key)
                .body(Map.of("phone_number", phone, "waba_id", waba, "access_token", token))
                .post("/api/v3/workspaces/{ws}/channels", ws.getString("id")).then().statusCode(201);
        given().baseUri(url).header("X-User-API-Key", key).queryParam("phone_number", phone)
                .post("/open/waba/templates/sync").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCEEDED".equals(given().baseUri(url)
                .header("X-User-API-Key", key).queryParam("phone_number", phone).get("/open/waba/templates/sync")
                .then().extract().path("status")));
        return new Channel(ws.getString("id"), key, phone, waba, templates);
    }

    private static String status(String url, Channel c, ObjectNode t) {
        List<Map<String, Object>> all = given().baseUri(url).header("Authorization", "Bearer " + c.key)
                .queryParam("phone_number", c.phone)
                .get("/api/v3/workspaces/{ws}/templates", c.workspace).then().statusCode(200)
                .extract().jsonPath().getList("data");
        return all.stream().filter(x -> t.get("id").asText().equals(x.get("provider_id")))
                .map(x -> (String) x.get("status")).findFirst().orElse(null);
    }

    private static void sql(String statement) throws Exception {
        try (Connection connection = replicas.database().getConnection(); Statement st = connection.createStatement()) {
            st.execute(statement);
        }
    }

    private static long queryLong(String query) throws Exception {
        try (Connection connection = replicas.database().getConnection(); Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
