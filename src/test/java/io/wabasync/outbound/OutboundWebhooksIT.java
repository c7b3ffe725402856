package io.wabasync.outbound;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.Replicas;
import io.wabasync.testing.WebhookReceiver;

/**
 * Outbound webhooks across processes: the instance sending a delivery is killed ({@code kill -9})
 * before the answer; another instance sends it again once the lease ran out, with the same
 * {@code webhook-id} and body, so the receiver can drop the duplicate.
 */
class OutboundWebhooksIT {

    private static FakeMeta meta;
    private static Replicas replicas;

    @BeforeAll
    static void start() throws Exception {
        meta = new FakeMeta();
        meta.start();
        replicas = Replicas.start(2, meta, Map.of(
                "WABASYNC_OUTBOUND_ALLOWED_HOSTS", "127.0.0.1",
                "WABASYNC_OUTBOUND_WEBHOOKS_TOTAL_TIMEOUT", "3s",
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
    void aDeliveryWhoseInstanceIsKilledIsSentByAnotherWithTheSameId() throws Exception {
        String url = replicas.url(0);
        JsonPath ws = Replicas.createWorkspace(url, "Outbound kill");
        String workspace = ws.getString("id");
        String key = ws.getString("api_key");
        String phone = "+14155550301";
        String waba = "7700000301";
        meta.waba(waba, "EAAGoutboundKill").templates(TwoChatSyncTest.templates("killed", 1, "PENDING"));
        given().baseUri(url).contentType(ContentType.JSON).header("X-User-API-Key", key)
                .body(Map.of("phone_number", phone, "waba_id", waba, "access_token", "EAAGoutboundKill"))
                .post("/api/v3/workspaces/{ws}/channels", workspace).then().statusCode(201);

        try (WebhookReceiver receiver = WebhookReceiver.start().holdAnswers()) {
            String secret = given().baseUri(url).contentType(ContentType.JSON).header("X-User-API-Key", key)
                    .body(Map.of("url", receiver.url())).post("/api/v3/workspaces/{ws}/webhooks", workspace)
                    .then().statusCode(201).extract().path("data.secret");
            given().baseUri(url).header("X-User-API-Key", key).queryParam("phone_number", phone)
                    .post("/open/waba/templates/sync").then().statusCode(200);

            // One instance sends it; the receiver holds its answer. That instance dies.
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);
            String holder = query("SELECT leased_by FROM outbound_delivery");
            List<Long> pids = replicas.pids();
            int sending = holder.endsWith("/" + pids.get(0)) ? 0 : 1;
            assertThat(holder).endsWith("/" + pids.get(sending));
            replicas.kill(sending);
            receiver.release();

            // The other takes it over once the lease runs out, and is answered.
            await().atMost(Duration.ofSeconds(40)).until(() -> receiver.received().size() == 2);
            List<WebhookReceiver.Received> got = receiver.received();
            assertThat(got.get(1).id()).isEqualTo(got.get(0).id());
            assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
            assertThat(got).allSatisfy(r -> assertThat(WebhookReceiver.signedWith(r, secret)).isTrue());
            int survivor = 1 - sending;
            await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(query(
                    "SELECT status FROM outbound_delivery")));
            assertThat(query("SELECT string_agg(instance, ',') FROM outbound_attempt"))
                    .endsWith("/" + pids.get(survivor));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> receiver.received().size() == 2);
        }
    }

    private static String query(String sql) throws Exception {
        try (Connection connection = replicas.database().getConnection();
                PreparedStatement st = connection.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
