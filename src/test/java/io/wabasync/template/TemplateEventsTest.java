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
import io.wabasync.template.changelog.ChangeStream;
import io.wabasync.testing.EventStream;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.Fixtures;
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
    void aStreamReconnectingWithLastEventIdGetsExactlyTheChangesMadeWhileAwayThenLiveOnes() {
        List<ObjectNode> atMeta = TwoChatSyncTest.templates("away", 100, "PENDING");
        Connected a = Fixtures.syncedChannel(meta, atMeta);
        String lastSeen;
        try (EventStream first = EventStream.open(root(), a.workspace().id(), a.workspace().apiKey())) {
            MetaWebhooks.post(delivery(a.wabaId(), Instant.now().plusSeconds(1), qualityChange(atMeta.get(0).get("id")
                    .asText(), atMeta.get(0).get("name").asText(), "en-US", "UNKNOWN", "GREEN"))).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.ids().size() == 1);
            lastSeen = first.ids().get(0);
            assertThat(first.events().get(0).get("sequence").asText()).isEqualTo(lastSeen);
            assertThat(first.events().get(0).get("type").asText()).isEqualTo("template.quality_updated");
        }

        // While the client is away: 100 changes in four deliveries (four transactions).
        Instant at = Instant.now().plusSeconds(2);
        for (int part = 0; part < 4; part++) {
            List<ObjectNode> changes = new java.util.ArrayList<>();
            for (ObjectNode t : atMeta.subList(part * 25, part * 25 + 25)) {
                changes.add(statusChange(t.get("id").asText(), t.get("name").asText(), "en-US", "APPROVED", null));
            }
            MetaWebhooks.post(delivery(a.wabaId(), at, changes)).statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> TwoChatSyncTest.listAll(a).stream()
                .allMatch(t -> "APPROVED".equals(t.get("status"))));

        try (EventStream resumed = EventStream.openAfter(root(), a.workspace().id(), a.workspace().apiKey(), lastSeen)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events().size() >= 100);
            List<JsonNode> replayed = resumed.events();
            assertThat(replayed).hasSize(100);
            // Each delivery is applied by its own job, so the four transactions may commit in any order;
            // the stream follows commit order, and within each transaction the order it was written in.
            List<String> replayedIds = replayed.stream().map(e -> e.get("provider_id").asText()).toList();
            assertThat(replayedIds).containsExactlyInAnyOrderElementsOf(
                    atMeta.stream().map(t -> t.get("id").asText()).toList());
            for (int part = 0; part < 4; part++) {
                List<String> delivered = atMeta.subList(part * 25, part * 25 + 25).stream()
                        .map(t -> t.get("id").asText()).toList();
                assertThat(replayedIds.stream().filter(delivered::contains).toList())
                        .as("delivery %d in the order it was written", part).containsExactlyElementsOf(delivered);
                int first = replayedIds.indexOf(delivered.get(0));
                assertThat(replayedIds.subList(first, first + 25)).as("delivery %d numbered together", part)
                        .containsExactlyElementsOf(delivered);
            }
            assertThat(replayed).allSatisfy(e -> {
                assertThat(e.get("new_status").asText()).isEqualTo("APPROVED");
                assertThat(e.get("type").asText()).isEqualTo("template.status_updated");
            });
            List<Long> numbers = resumed.ids().stream().map(Long::parseLong).toList();
            assertThat(numbers).isSorted().doesNotHaveDuplicates().allSatisfy(n -> assertThat(n).isGreaterThan(
                    Long.parseLong(lastSeen)));

            // Then live, without a repeat at the seam.
            ObjectNode t0 = atMeta.get(0);
            MetaWebhooks.post(delivery(a.wabaId(), at.plusSeconds(5), statusChange(t0.get("id").asText(),
                    t0.get("name").asText(), "en-US", "REJECTED", "SCAM"))).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events().size() == 101);
            assertThat(resumed.events().get(100).get("new_status").asText()).isEqualTo("REJECTED");
            assertThat(Long.parseLong(resumed.ids().get(100))).isGreaterThan(numbers.get(99));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> resumed.events().size() == 101);
        }

        // ?since= does the same for a first connection.
        try (EventStream since = EventStream.openSince(root(), a.workspace().id(), a.workspace().apiKey(),
                lastSeen)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> since.events().size() == 101);
        }
    }

    @Test
    void resumingAfterAChangeRetentionRemovedAnswers410AndABadIdAnswers400() {
        Connected a = Fixtures.syncedChannel(meta, TwoChatSyncTest.templates("kept", 2, "PENDING"));
        String firstId;
        try (EventStream stream = EventStream.openAfter(root(), a.workspace().id(), a.workspace().apiKey(), "0")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() == 2);
            firstId = stream.ids().get(0);
        }
        given().header("X-User-API-Key", a.workspace().apiKey()).header("Last-Event-ID", "not-a-number")
                .accept("text/event-stream").get("/api/v3/workspaces/{ws}/templates/events", a.workspace().id())
                .then().statusCode(400).body("success", equalTo(false));
        given().header("X-User-API-Key", a.workspace().apiKey()).queryParam("since", "-1")
                .accept("text/event-stream").get("/api/v3/workspaces/{ws}/templates/events", a.workspace().id())
                .then().statusCode(400).body("success", equalTo(false));

        changes.pruneBefore(java.time.OffsetDateTime.now().plusSeconds(1)).await().atMost(Duration.ofSeconds(30));
        given().header("X-User-API-Key", a.workspace().apiKey()).header("Last-Event-ID", firstId)
                .accept("text/event-stream").get("/api/v3/workspaces/{ws}/templates/events", a.workspace().id())
                .then().statusCode(410).body("success", equalTo(false))
                .body("message", org.hamcrest.Matchers.containsString("re-read the template lists"));
    }

    @jakarta.inject.Inject
    ChangeStream changes;

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
