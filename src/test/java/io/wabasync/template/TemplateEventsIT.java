package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static io.wabasync.testing.MetaWebhooks.delivery;
import static io.wabasync.testing.MetaWebhooks.statusChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.EventStream;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.MetaWebhooks;
import io.wabasync.testing.Replicas;

/**
 * Two service instances on one PostgreSQL: a client connected to the first sees the changes made
 * through the second, for its own workspace only.
 */
class TemplateEventsIT {

    private static FakeMeta meta;
    private static Replicas replicas;

    @BeforeAll
    static void startReplicas() throws Exception {
        meta = new FakeMeta();
        meta.start();
        replicas = Replicas.start(2, meta, Map.of(
                "WABASYNC_WEBHOOK_APP_SECRET", MetaWebhooks.APP_SECRET,
                "WABASYNC_RECONCILE_TICK", "off"));
    }

    @AfterAll
    static void stopReplicas() {
        if (replicas != null) {
            replicas.close();
        }
        if (meta != null) {
            meta.stop();
        }
    }

    @Test
    void changesMadeThroughAnotherInstanceReachThisInstancesClientsOfThatWorkspaceOnly() throws InterruptedException {
        String here = replicas.url(0);
        String there = replicas.url(1);
        Channel a = channel(there, "+14155550101", "7700000101", "EAAGeventsA");
        Channel b = channel(there, "+14155550102", "7700000102", "EAAGeventsB");
        List<ObjectNode> templatesOfA = TwoChatSyncTest.templates("wire", 2, "PENDING");
        meta.waba(a.waba).templates(templatesOfA);
        meta.waba(b.waba).templates(TwoChatSyncTest.templates("quiet", 1, "PENDING"));

        try (EventStream streamA = EventStream.open(here, a.workspace, a.key);
                EventStream streamB = EventStream.open(here, b.workspace, b.key)) {
            // A full sync run by the other instance.
            sync(there, a);
            await().atMost(Duration.ofSeconds(20)).until(() -> streamA.events().size() == 2);
            assertThat(streamA.events()).allSatisfy(e -> assertThat(e.get("source").asText()).isEqualTo("SYNC"));

            // Meta's webhook, received and applied by the other instance.
            ObjectNode t = templatesOfA.get(0);
            MetaWebhooks.post(there, delivery(a.waba, Instant.now().plusSeconds(1),
                    statusChange(t.get("id").asText(), t.get("name").asText(), "en-US", "APPROVED", "NONE")))
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> streamA.events().size() == 3);
            JsonNode approved = streamA.events().get(2);
            assertThat(approved.get("source").asText()).isEqualTo("WEBHOOK");
            assertThat(approved.get("provider_id").asText()).isEqualTo(t.get("id").asText());
            assertThat(approved.get("old_status").asText()).isEqualTo("PENDING");
            assertThat(approved.get("new_status").asText()).isEqualTo("APPROVED");

            // B's client got nothing of A's, though it was connected all along: its own change arrives.
            assertThat(streamB.events()).isEmpty();
            sync(there, b);
            await().atMost(Duration.ofSeconds(20)).until(() -> streamB.events().size() == 1);
            assertThat(streamB.events().get(0).get("workspace_id").asText()).isEqualTo(b.workspace);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> streamA.events().size() == 3);

            // SIGTERM: the instance ends its streams (so clients move to another replica) and exits
            // without waiting out its 20 s graceful-shutdown timeout for them.
            long stopping = System.nanoTime();
            replicas.terminate(0);
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(15));
            assertThat(replicas.isAlive(0)).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(streamA::endedByServer);
        }
    }

    private record Channel(String workspace, String key, String phone, String waba) {
    }

    private static Channel channel(String url, String phone, String waba, String token) {
        JsonPath ws = Replicas.createWorkspace(url, "Events " + phone);
        meta.waba(waba, token);
        given().baseUri(url).contentType(ContentType.JSON).header("X-User-API-Key", ws.getString("api_key"))
                .body(Map.of("phone_number", phone, "waba_id", waba, "access_token", token))
                .post("/api/v3/workspaces/{ws}/channels", ws.getString("id")).then().statusCode(201);
        return new Channel(ws.getString("id"), ws.getString("api_key"), phone, waba);
    }

    private static void sync(String url, Channel c) {
        given().baseUri(url).header("X-User-API-Key", c.key).queryParam("phone_number", c.phone)
                .post("/open/waba/templates/sync").then().statusCode(200);
    }
}
