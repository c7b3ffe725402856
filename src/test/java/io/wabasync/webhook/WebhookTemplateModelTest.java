package io.wabasync.webhook;

import static io.wabasync.testing.MetaWebhooks.componentsChange;
import static io.wabasync.testing.MetaWebhooks.delivery;
import static io.wabasync.testing.MetaWebhooks.statusChange;
import static io.wabasync.webhook.WebhookTest.history;
import static io.wabasync.webhook.WebhookTest.providerId;
import static io.wabasync.webhook.WebhookTest.template;
import static io.wabasync.webhook.WebhookTest.templates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.quarkus.test.junit.QuarkusTest;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.EventStream;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.MetaWebhooks;

/**
 * Every status event Meta documents, with the details it carries ({@code other_info},
 * {@code rejection_info}, {@code disable_info}), and edits of a template's texts
 * ({@code message_template_components_update}) in order, out of order and repeated.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class WebhookTemplateModelTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    /** Events that are the template's new status, including ones Meta may add later. */
    @ParameterizedTest
    @ValueSource(strings = { "PAUSED", "DISABLED", "IN_APPEAL", "LIMIT_EXCEEDED", "ARCHIVED", "PENDING_DELETION",
            "DELETED", "SOME_STATUS_META_ADDS_LATER" })
    void aStatusEventIsTheNewStatus(String event) {
        Connected c = synced("ev", "APPROVED");
        Map<String, Object> t = templates(c).get(0);
        post(c, Instant.now().plusSeconds(1), statusChange(providerId(t), name(t), "en-US", event, "NONE"));
        awaitStatus(c, t, event);
        assertThat(history(c, t)).extracting(h -> h.get("source")).containsExactly("SYNC", "WEBHOOK");
    }

    @Test
    void pausedCarriesWhyAndUnpausingClearsIt() {
        Connected c = synced("pause", "APPROVED");
        Map<String, Object> t = templates(c).get(0);
        Instant now = Instant.now();
        ObjectNode paused = statusChange(providerId(t), name(t), "en-US", "PAUSED", "NONE");
        ((ObjectNode) paused.get("value")).putObject("other_info").put("title", "FIRST_PAUSE")
                .put("description", "Your template has been paused for 3 hours due to low quality.");
        post(c, now.plusSeconds(1), paused);
        awaitStatus(c, t, "PAUSED");
        assertThat(template(c, providerId(t))).containsEntry("other_info", Map.of("title", "FIRST_PAUSE",
                "description", "Your template has been paused for 3 hours due to low quality."));

        ObjectNode unpaused = statusChange(providerId(t), name(t), "en-US", "APPROVED", "NONE");
        ((ObjectNode) unpaused.get("value")).putObject("other_info").put("title", "UNPAUSE").put("description", "Back");
        post(c, now.plusSeconds(5), unpaused);
        awaitStatus(c, t, "APPROVED");
        assertThat(template(c, providerId(t))).containsEntry("other_info", Map.of("title", "UNPAUSE", "description", "Back"));
    }

    @Test
    void rejectedCarriesRejectionInfoAndANewReviewClearsIt() {
        Connected c = synced("rej", "PENDING");
        Map<String, Object> t = templates(c).get(0);
        Instant now = Instant.now();
        ObjectNode rejected = statusChange(providerId(t), name(t), "en-US", "REJECTED", "INVALID_FORMAT");
        ((ObjectNode) rejected.get("value")).putObject("rejection_info").put("reason", "The body has a typo.")
                .put("recommendation", "Fix the typo and submit it again.");
        post(c, now.plusSeconds(1), rejected);
        awaitStatus(c, t, "REJECTED");
        assertThat(template(c, providerId(t))).containsEntry("rejected_reason", "INVALID_FORMAT")
                .containsEntry("rejection_info", Map.of("reason", "The body has a typo.",
                        "recommendation", "Fix the typo and submit it again."));

        post(c, now.plusSeconds(5), statusChange(providerId(t), name(t), "en-US", "PENDING", "NONE"));
        awaitStatus(c, t, "PENDING");
        assertThat(template(c, providerId(t))).containsEntry("rejection_info", null);
    }

    @Test
    void lockedAndUnlockedLeaveTheStatusAndMarkTheTemplate() {
        Connected c = synced("lock", "APPROVED");
        Map<String, Object> t = templates(c).get(0);
        Instant now = Instant.now();
        post(c, now.plusSeconds(1), statusChange(providerId(t), name(t), "en-US", "LOCKED", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(template(c, providerId(t)).get("locked")));
        assertThat(template(c, providerId(t))).containsEntry("status", "APPROVED");

        post(c, now.plusSeconds(3), statusChange(providerId(t), name(t), "en-US", "UNLOCKED", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.FALSE.equals(template(c, providerId(t)).get("locked")));
        assertThat(history(c, t)).extracting(h -> h.get("to")).containsExactly("APPROVED");
    }

    @Test
    void unarchivedGivesBackTheStatusItHadBeforeItWasArchived() {
        Connected c = synced("arch", "PAUSED");
        Map<String, Object> t = templates(c).get(0);
        Instant now = Instant.now();
        post(c, now.plusSeconds(1), statusChange(providerId(t), name(t), "en-US", "ARCHIVED", null));
        awaitStatus(c, t, "ARCHIVED");
        post(c, now.plusSeconds(3), statusChange(providerId(t), name(t), "en-US", "UNARCHIVED", null));
        awaitStatus(c, t, "PAUSED");
        assertThat(history(c, t)).extracting(h -> h.get("to")).containsExactly("PAUSED", "ARCHIVED", "PAUSED");
    }

    @Test
    void unarchivedWithoutAKnownEarlierStatusAsksMeta() {
        // Archived before we ever saw it: only Meta knows what it is back to.
        Connected c = synced("arch2", "ARCHIVED");
        Map<String, Object> t = templates(c).get(0);
        int firstPages = meta.waba(c.wabaId()).firstPageRequests();
        meta.waba(c.wabaId()).templates().forEach(x -> x.put("status", "APPROVED"));
        post(c, Instant.now(), statusChange(providerId(t), name(t), "en-US", "UNARCHIVED", null));
        awaitStatus(c, t, "APPROVED");
        assertThat(meta.waba(c.wabaId()).firstPageRequests()).isEqualTo(firstPages + 1);
        assertThat(history(c, t)).extracting(h -> h.get("source")).containsExactly("SYNC", "SYNC");
    }

    @Test
    void componentsUpdatesChangeTheTextsInOrderOnceAndAnnounceIt() throws Exception {
        Connected c = synced("edit", "APPROVED");
        Map<String, Object> t = templates(c).get(0);
        Instant now = Instant.now();
        try (EventStream stream = EventStream.open("http://localhost:" + RestAssured.port, c.workspace().id(),
                c.workspace().apiKey())) {
            post(c, now.plusSeconds(5), componentsChange(providerId(t), name(t), "en-US", "Hello {{1}}, edited.",
                    "New title", "New footer", "Open", "https://example.com/{{1}}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> "Hello {{1}}, edited.".equals(body(c, t)));
            Map<String, Object> detail = detail(c, t);
            assertThat(detail).extracting("components").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("footer", "New footer");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> metaComponents = (List<Map<String, Object>>) detail.get("meta_components");
            assertThat(metaComponents).extracting(m -> m.get("type")).containsExactly("HEADER", "BODY", "FOOTER", "BUTTONS");
            assertThat(metaComponents.get(0)).containsEntry("text", "New title");
            // The example values Meta gave at the sync stay until the next sync brings Meta's whole template.
            assertThat(metaComponents.get(1)).containsKey("example");

            await().atMost(Duration.ofSeconds(10)).until(() -> !edits(stream).isEmpty());
            JsonNode event = edits(stream).get(0);
            assertThat(event.get("new_value").asText()).isEqualTo("Hello {{1}}, edited.");
            assertThat(event.get("source").asText()).isEqualTo("WEBHOOK");

            // Older than what is stored: skipped. The same again: no change, no event.
            post(c, now.plusSeconds(2), componentsChange(providerId(t), name(t), "en-US", "Stale body", null, null, null, null));
            post(c, now.plusSeconds(5), componentsChange(providerId(t), name(t), "en-US", "Hello {{1}}, edited.",
                    "New title", "New footer", "Open", "https://example.com/{{1}}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> pendingDeliveries() == 0);
            assertThat(body(c, t)).isEqualTo("Hello {{1}}, edited.");
            assertThat(edits(stream)).hasSize(1);
        }
    }

    @Test
    void aFullSyncReadBeforeAnEditDoesNotUndoIt() {
        Connected c = synced("edit2", "APPROVED");
        Map<String, Object> t = templates(c).get(0);
        post(c, Instant.now().plusSeconds(10), componentsChange(providerId(t), name(t), "en-US", "Edited later", null, null,
                null, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> "Edited later".equals(body(c, t)));
        // This sync reads Meta's older text: the newer edit stays.
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        assertThat(body(c, t)).isEqualTo("Edited later");
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static List<JsonNode> edits(EventStream stream) {
        return stream.events().stream().filter(e -> "components".equals(e.path("field").asText())).toList();
    }

    private long pendingDeliveries() {
        return pool.query("SELECT count(*) FROM webhook_delivery WHERE status = 'PENDING'").execute().await()
                .atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private Connected synced(String prefix, String status) {
        return Fixtures.syncedChannel(meta, TwoChatSyncTest.templates(prefix, 1, status));
    }

    private static void post(Connected c, Instant at, ObjectNode change) {
        MetaWebhooks.post(delivery(c.wabaId(), at, change)).statusCode(200);
    }

    private static void awaitStatus(Connected c, Map<String, Object> t, String status) {
        await().atMost(Duration.ofSeconds(15)).until(() -> status.equals(template(c, providerId(t)).get("status")));
    }

    private static String name(Map<String, Object> t) {
        return (String) t.get("name");
    }

    private static Map<String, Object> detail(Connected c, Map<String, Object> t) {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), t.get("id"))
                .then().statusCode(200).extract().jsonPath().getMap("data");
    }

    @SuppressWarnings("unchecked")
    private static String body(Connected c, Map<String, Object> t) {
        Map<String, Object> components = (Map<String, Object>) template(c, providerId(t)).get("components");
        return (String) ((Map<String, Object>) components.get("body")).get("text");
    }
}
