package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static io.wabasync.testing.MetaWebhooks.delivery;
import static io.wabasync.testing.MetaWebhooks.qualityChange;
import static io.wabasync.testing.MetaWebhooks.statusChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.EventStream;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.MetaWebhooks;

/** The live stream of template changes: every source, one workspace's changes only. */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class TemplateEventsTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Test
    void aWorkspaceSeesItsChangesFromSyncsReconciliationAndWebhooksAndNoOneElses() {
        Connected a = Fixtures.connectedChannel(meta);
        Connected b = Fixtures.connectedChannel(meta);
        List<ObjectNode> atMeta = TwoChatSyncTest.templates("live", 2, "PENDING");
        meta.waba(a.wabaId()).templates(atMeta);
        meta.waba(b.wabaId()).templates(TwoChatSyncTest.templates("other", 1, "PENDING"));

        try (EventStream streamA = EventStream.open(root(), a.workspace().id(), a.workspace().apiKey());
                EventStream streamB = EventStream.open(root(), b.workspace().id(), b.workspace().apiKey())) {
            // A full sync: two new templates, each from nothing to PENDING.
            TwoChatSyncTest.startSync(a).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> streamA.events().size() == 2);
            assertThat(streamA.events()).allSatisfy(e -> {
                assertThat(e.get("source").asText()).isEqualTo("SYNC");
                assertThat(e.get("field").asText()).isEqualTo("status");
                assertThat(e.get("old_status").isNull()).isTrue();
                assertThat(e.get("new_status").asText()).isEqualTo("PENDING");
                assertThat(e.get("workspace_id").asText()).isEqualTo(a.workspace().id());
                assertThat(e.get("channel_id").asText()).isEqualTo(a.channelId());
            });
            assertThat(streamA.events()).extracting(e -> e.get("provider_id").asText())
                    .containsExactlyInAnyOrder(atMeta.get(0).get("id").asText(), atMeta.get(1).get("id").asText());
            assertThat(TwoChatSyncTest.awaitFinished(a).getString("status")).isEqualTo("SUCCEEDED");

            // Meta's webhook: REJECTED, then a quality change (not a status change: the status stays).
            ObjectNode first = atMeta.get(0);
            String firstId = first.get("id").asText();
            String firstName = first.get("name").asText();
            Instant now = Instant.now();
            MetaWebhooks.post(delivery(a.wabaId(), now.plusSeconds(1), List.of(
                    statusChange(firstId, firstName, "en-US", "REJECTED", "SCAM"),
                    qualityChange(firstId, firstName, "en-US", "GREEN", "RED")))).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> streamA.events().size() == 4);
            JsonNode rejected = streamA.events().get(2);
            assertThat(rejected.get("source").asText()).isEqualTo("WEBHOOK");
            assertThat(rejected.get("provider_id").asText()).isEqualTo(firstId);
            assertThat(rejected.get("name").asText()).isEqualTo(firstName);
            assertThat(rejected.get("language").asText()).isEqualTo(first.get("language").asText());
            assertThat(rejected.get("old_status").asText()).isEqualTo("PENDING");
            assertThat(rejected.get("new_status").asText()).isEqualTo("REJECTED");
            assertThat(rejected.get("changed_at").asText()).isNotBlank();
            assertThat(rejected.get("template_id").asText()).isNotBlank();
            JsonNode quality = streamA.events().get(3);
            assertThat(quality.get("field").asText()).isEqualTo("quality_score");
            assertThat(quality.get("new_value").asText()).isEqualTo("RED");
            assertThat(quality.get("new_status").asText()).isEqualTo("REJECTED");

            // LancePilot's pending sync: the other template is approved at Meta.
            atMeta.get(1).put("status", "APPROVED");
            meta.waba(a.wabaId()).templates(atMeta);
            given().header("Authorization", "Bearer " + a.workspace().apiKey())
                    .post("/api/v3/workspaces/{ws}/templates/sync", a.workspace().id()).then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> streamA.events().size() == 5);
            assertThat(streamA.events().get(4).get("source").asText()).isEqualTo("RECONCILE");
            assertThat(streamA.events().get(4).get("new_status").asText()).isEqualTo("APPROVED");

            // B saw none of it, though its stream was open all along: its own change does arrive.
            assertThat(streamB.events()).isEmpty();
            TwoChatSyncTest.startSync(b).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> streamB.events().size() == 1);
            assertThat(streamB.events().get(0).get("workspace_id").asText()).isEqualTo(b.workspace().id());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> streamA.events().size() == 5);
        }
    }

    @Test
    void aTemplateMetaNoLongerListsIsAnnouncedAsRemoved() {
        List<ObjectNode> atMeta = TwoChatSyncTest.templates("gone", 2, "APPROVED");
        Connected a = Fixtures.syncedChannel(meta, atMeta);

        try (EventStream stream = EventStream.open(root(), a.workspace().id(), a.workspace().apiKey())) {
            meta.waba(a.wabaId()).templates(List.of(atMeta.get(1)));
            TwoChatSyncTest.startSync(a).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() == 1);
            JsonNode removed = stream.events().get(0);
            assertThat(removed.get("field").asText()).isEqualTo("removed");
            assertThat(removed.get("old_value").asText()).isEqualTo("false");
            assertThat(removed.get("new_value").asText()).isEqualTo("true");
            assertThat(removed.get("source").asText()).isEqualTo("SYNC");
            assertThat(removed.get("provider_id").asText()).isEqualTo(atMeta.get(0).get("id").asText());
            // Back at Meta: restored.
            meta.waba(a.wabaId()).templates(atMeta);
            assertThat(TwoChatSyncTest.awaitFinished(a).getString("status")).isEqualTo("SUCCEEDED");
            TwoChatSyncTest.startSync(a).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() == 2);
            assertThat(stream.events().get(1).get("new_value").asText()).isEqualTo("false");
        }
    }

    @Test
    void theStreamNeedsTheWorkspacesKey() {
        Connected a = Fixtures.connectedChannel(meta);
        Connected b = Fixtures.connectedChannel(meta);
        given().accept("text/event-stream").get("/api/v3/workspaces/{ws}/templates/events", a.workspace().id())
                .then().statusCode(401).body("success", equalTo(false));
        int status = given().accept("text/event-stream").header("X-User-API-Key", b.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates/events", a.workspace().id())
                .then().extract().statusCode();
        assertThat(status).isIn(403, 404);
    }

    private static String root() {
        return "http://localhost:" + RestAssured.port;
    }
}
