package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static io.wabasync.testing.MetaWebhooks.categoryChanged;
import static io.wabasync.testing.MetaWebhooks.delivery;
import static io.wabasync.testing.MetaWebhooks.qualityChange;
import static io.wabasync.testing.MetaWebhooks.statusChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.MetaWebhooks;

/**
 * One writer of template state: the same Meta event (a PENDING template approved, its category moved
 * from MARKETING to UTILITY, its quality now GREEN), learnt by each path that changes templates, leaves
 * the same status history and the same change-log entries. Only the source differs. The template
 * itself comes either from a full sync or from a create through our API.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class OneWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @Test
    void theSameMetaEventLeavesTheSameHistoryAndChangeLogWhicheverPathBringsIt() {
        Map<String, Recorded> byPath = new LinkedHashMap<>();

        // A full sync reads the changed template from Meta.
        Learnt sync = syncedPending("path_sync");
        approveAtMeta(sync.atMeta());
        TwoChatSyncTest.startSync(sync.channel()).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(sync.channel()).getString("status")).isEqualTo("SUCCEEDED");
        byPath.put("SYNC", recorded(sync, 4));

        // LancePilot's pending-only sync (a reconciliation) reads it.
        Learnt reconcile = syncedPending("path_reconcile");
        approveAtMeta(reconcile.atMeta());
        given().header("Authorization", "Bearer " + reconcile.channel().workspace().apiKey())
                .post("/api/v3/workspaces/{ws}/templates/sync", reconcile.channel().workspace().id())
                .then().statusCode(200);
        byPath.put("RECONCILE", recorded(reconcile, 4));

        // Meta's webhooks say it.
        Learnt webhook = syncedPending("path_webhook");
        approveByWebhook(webhook);
        byPath.put("WEBHOOK", recorded(webhook, 4));

        // Made through our API, then Meta's webhooks say it.
        Learnt created = createdPending("path_create");
        approveByWebhook(created);
        byPath.put("CREATE", recorded(created, 4));

        List<String> history = List.of("null -> PENDING", "PENDING -> APPROVED");
        List<String> changeLog = List.of(
                "template.created status null -> PENDING",
                "template.status_updated status PENDING -> APPROVED",
                "template.category_updated category MARKETING -> UTILITY",
                "template.quality_updated quality_score null -> GREEN");
        byPath.forEach((path, recorded) -> {
            assertThat(recorded.history()).as("status history by " + path).containsExactlyElementsOf(history);
            assertThat(recorded.changeLog()).as("change log by " + path).containsExactlyInAnyOrderElementsOf(changeLog);
        });
        assertThat(byPath.get("SYNC").sources()).containsOnly("SYNC");
        assertThat(byPath.get("RECONCILE").sources()).containsExactlyInAnyOrder("SYNC", "RECONCILE", "RECONCILE",
                "RECONCILE");
        assertThat(byPath.get("WEBHOOK").sources()).containsExactlyInAnyOrder("SYNC", "WEBHOOK", "WEBHOOK", "WEBHOOK");
        assertThat(byPath.get("CREATE").sources()).containsExactlyInAnyOrder("API", "WEBHOOK", "WEBHOOK", "WEBHOOK");
    }

    /** A template of one number, and that template as the fake Meta holds it. */
    private record Learnt(Connected channel, ObjectNode atMeta) {
    }

    /** What the database holds for one template: its history steps, its change-log entries and their sources. */
    private record Recorded(List<String> history, List<String> changeLog, List<String> sources) {
    }

    private Learnt syncedPending(String name) {
        ObjectNode template = FakeMeta.template(String.valueOf(System.nanoTime()), name + "_" + UUID.randomUUID()
                .toString().substring(0, 8), "en_US", "PENDING", "MARKETING");
        Connected channel = Fixtures.syncedChannel(meta, List.of(template));
        return new Learnt(channel, meta.waba(channel.wabaId()).templates().get(0));
    }

    private Learnt createdPending(String name) {
        Connected channel = Fixtures.connectedChannel(meta);
        ObjectNode body = JSON.createObjectNode().put("name", name).put("language", "en_US").put("category", "MARKETING");
        body.putObject("body").put("text", "Hi {{1}}, this is " + name + ".").putArray("variables").add("Maria");
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + channel.workspace().apiKey())
                .body(body.toString()).post("/api/v3/workspaces/{ws}/templates", channel.workspace().id())
                .then().statusCode(201);
        ObjectNode atMeta = meta.waba(channel.wabaId()).templates().get(0);
        assertThat(atMeta.path("status").asText()).isEqualTo("PENDING");
        return new Learnt(channel, atMeta);
    }

    private static void approveAtMeta(ObjectNode template) {
        template.put("status", "APPROVED").put("category", "UTILITY");
        template.putObject("quality_score").put("score", "GREEN");
    }

    private static void approveByWebhook(Learnt learnt) {
        String id = learnt.atMeta().path("id").asText();
        String name = learnt.atMeta().path("name").asText();
        MetaWebhooks.post(delivery(learnt.channel().wabaId(), Instant.now().plusSeconds(1), List.of(
                statusChange(id, name, "en_US", "APPROVED", null),
                categoryChanged(id, name, "en_US", "MARKETING", "UTILITY"),
                qualityChange(id, name, "en_US", "UNKNOWN", "GREEN")))).statusCode(200);
    }

    /** Waits for the template's change log to hold {@code entries} entries, then reads history and log. */
    private Recorded recorded(Learnt learnt, int entries) {
        String providerId = learnt.atMeta().path("id").asText();
        UUID channelId = UUID.fromString(learnt.channel().channelId());
        UUID templateId = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> pool.preparedQuery("SELECT id FROM template WHERE channel_id = $1 AND provider_id = $2")
                        .execute(Tuple.of(channelId, providerId)).await().indefinitely(), rows -> rows.size() == 1)
                .iterator().next().getUUID("id");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> pool
                .preparedQuery("SELECT count(*) FROM template_change_log WHERE template_id = $1 AND seq IS NOT NULL")
                .execute(Tuple.of(templateId)).await().indefinitely().iterator().next().getLong(0) >= entries);
        List<String> history = new ArrayList<>();
        pool.preparedQuery("""
                SELECT from_status, to_status FROM template_status_history WHERE template_id = $1
                ORDER BY changed_at, from_status NULLS FIRST
                """).execute(Tuple.of(templateId)).await().indefinitely()
                .forEach(row -> history.add(row.getString(0) + " -> " + row.getString(1)));
        List<String> changeLog = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        pool.preparedQuery("""
                SELECT event_type, change->>'field', change->>'old_value', change->>'new_value', change->>'source'
                FROM template_change_log WHERE template_id = $1 ORDER BY seq
                """).execute(Tuple.of(templateId)).await().indefinitely().forEach(row -> {
                    changeLog.add(row.getString(0) + " " + row.getString(1) + " " + row.getString(2) + " -> "
                            + row.getString(3));
                    sources.add(row.getString(4));
                });
        return new Recorded(history, changeLog, sources);
    }
}
