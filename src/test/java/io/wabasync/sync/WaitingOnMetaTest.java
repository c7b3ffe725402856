package io.wabasync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/**
 * The scheduler reads again every template Meta has yet to decide on (PENDING, IN_APPEAL,
 * PENDING_DELETION); LancePilot's sync endpoint keeps its documented PENDING-only meaning.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class WaitingOnMetaTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @Inject
    SyncEngine engine;

    @Test
    void theSchedulerRereadsEveryTemplateThatWaitsOnMeta() throws Throwable {
        Connected c = Fixtures.connectedChannel(meta);
        List<ObjectNode> atMeta = new ArrayList<>();
        atMeta.addAll(TwoChatSyncTest.templates("appeal", 1, "IN_APPEAL"));
        atMeta.addAll(TwoChatSyncTest.templates("deleting", 1, "PENDING_DELETION"));
        atMeta.addAll(TwoChatSyncTest.templates("paused", 1, "PAUSED"));
        meta.waba(c.wabaId()).templates(atMeta);
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");

        // LancePilot's endpoint is about PENDING only: nothing here is.
        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .post("/api/v3/workspaces/{ws}/templates/sync", c.workspace().id())
                .then().statusCode(404).body("message", equalTo("No pending templates found"));

        // Meta decides; only this channel is due, so the round reads only this WABA.
        atMeta.get(0).put("status", "APPROVED");
        atMeta.get(1).put("status", "DELETED");
        atMeta.get(2).put("status", "APPROVED");
        pool.preparedQuery("UPDATE channel SET reconcile_due_at = CASE WHEN id = $1 THEN now() - interval '1 second' "
                + "ELSE now() + interval '1 day' END").execute(Tuple.of(UUID.fromString(c.channelId())))
                .await().atMost(Duration.ofSeconds(5));
        VertxContextSupport.subscribeAndAwait(() -> engine.reconcileDueChannels());

        Map<String, String> statuses = new java.util.HashMap<>();
        given().header("Authorization", "Bearer " + c.workspace().apiKey()).queryParam("per_page", 100)
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("data")
                .forEach(t -> statuses.put(((String) t.get("name")).split("_")[0], (String) t.get("status")));
        // PAUSED is Meta's decision already, not a wait: the reconciliation leaves it to full syncs and webhooks.
        assertThat(statuses).containsEntry("appeal", "APPROVED").containsEntry("deleting", "DELETED")
                .containsEntry("paused", "PAUSED");
    }
}
