package io.wabasync.webhook;

import static io.restassured.RestAssured.given;
import static io.wabasync.testing.MetaWebhooks.categoryChanged;
import static io.wabasync.testing.MetaWebhooks.categoryImpending;
import static io.wabasync.testing.MetaWebhooks.delivery;
import static io.wabasync.testing.MetaWebhooks.qualityChange;
import static io.wabasync.testing.MetaWebhooks.statusChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.MetaWebhooks;

/** Meta's template webhooks, end to end: handshake, signatures, the inbox, and what they change. */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class WebhookTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    // --- handshake ------------------------------------------------------------------------------

    @Test
    void handshakeEchoesTheChallengeForOurVerifyToken() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", MetaWebhooks.VERIFY_TOKEN)
                .queryParam("hub.challenge", "1158201444")
                .get("/webhooks/meta")
                .then().statusCode(200).contentType(containsString("text/plain")).body(equalTo("1158201444"));
    }

    @Test
    void handshakeWithAnotherTokenOrModeIsForbidden() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "guess")
                .queryParam("hub.challenge", "1158201444")
                .get("/webhooks/meta")
                .then().statusCode(403).contentType(containsString("json")).body("success", equalTo(false));
        given().queryParam("hub.mode", "unsubscribe").queryParam("hub.verify_token", MetaWebhooks.VERIFY_TOKEN)
                .queryParam("hub.challenge", "1158201444")
                .get("/webhooks/meta")
                .then().statusCode(403);
        given().queryParam("hub.challenge", "1158201444").get("/webhooks/meta").then().statusCode(403);
    }

    // --- what is refused changes nothing ----------------------------------------------------------

    @Test
    void unsignedOrWronglySignedDeliveriesAreRefusedAndChangeNothing() {
        Connected c = synced("sig", 1, "PENDING");
        Map<String, Object> t = templates(c).get(0);
        String body = delivery(c.wabaId(), Instant.now(), statusChange(providerId(t), name(t), "en-US", "APPROVED", "NONE"));
        long before = deliveriesStored();

        given().contentType("application/json").body(body).post("/webhooks/meta")
                .then().statusCode(401).body("success", equalTo(false)).body("message", containsString("X-Hub-Signature-256"));
        given().contentType("application/json").header("X-Hub-Signature-256", MetaWebhooks.signature(body, "not-the-secret"))
                .body(body).post("/webhooks/meta")
                .then().statusCode(403).body("success", equalTo(false));
        // Signed right, then altered: the signature is over the exact bytes.
        String altered = body.replace("APPROVED", "REJECTED");
        given().contentType("application/json").header("X-Hub-Signature-256", MetaWebhooks.signature(body, MetaWebhooks.APP_SECRET))
                .body(altered).post("/webhooks/meta")
                .then().statusCode(403);
        given().contentType("application/json").header("X-Hub-Signature-256", "sha256=zz-not-hex")
                .body(body).post("/webhooks/meta")
                .then().statusCode(403);

        assertThat(deliveriesStored()).isEqualTo(before);
        // The good delivery afterwards still applies: nothing above left a trace that blocks it.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> "PENDING".equals(template(c, providerId(t)).get("status")));
        assertThat(history(c, t)).extracting(h -> h.get("source")).containsExactly("SYNC");
    }

    @Test
    void invalidJsonIsA400AndChangesNothing() {
        Connected c = synced("bad", 1, "PENDING");
        Map<String, Object> t = templates(c).get(0);
        long before = deliveriesStored();
        // Meta's own REJECTED example, verbatim in shape: a comma is missing after "reason".
        String metaExample = """
                {
                  "entry": [
                    {
                      "id": "%s",
                      "time": 1751247548,
                      "changes": [
                        {
                          "value": {
                            "event": "REJECTED",
                            "message_template_id": %s,
                            "message_template_name": "%s",
                            "message_template_language": "en",
                            "reason": "INVALID_FORMAT"
                            "message_template_category": "MARKETING"
                          },
                          "field": "message_template_status_update"
                        }
                      ]
                    }
                  ],
                  "object": "whatsapp_business_account"
                }
                """.formatted(c.wabaId(), providerId(t), name(t));
        for (String bad : List.of(metaExample, "", "[]", "\"entry\"", "{\"entry\": {}}", "{\"entry\": []} trailing")) {
            MetaWebhooks.post(bad).statusCode(400).contentType(containsString("json"))
                    .body("success", equalTo(false)).body("message", containsString("JSON"));
        }
        assertThat(deliveriesStored()).isEqualTo(before);
        assertThat(template(c, providerId(t))).containsEntry("status", "PENDING");
    }

    // --- what is applied ----------------------------------------------------------------------------

    @Test
    void statusUpdateIsAppliedWithItsReasonAndAWebhookHistoryEntry() {
        Connected c = synced("st", 2, "PENDING");
        List<Map<String, Object>> all = templates(c);
        Map<String, Object> rejected = all.get(0);
        Map<String, Object> approved = all.get(1);
        Instant now = Instant.now();
        // Meta's APPROVED example also names the template's category.
        ObjectNode approval = statusChange(providerId(approved), name(approved), "en-US", "APPROVED", "NONE");
        ((ObjectNode) approval.get("value")).put("message_template_category", "UTILITY");
        MetaWebhooks.post(delivery(c.wabaId(), now, List.of(
                statusChange(providerId(rejected), name(rejected), "en-US", "REJECTED", "SCAM"), approval)))
                .statusCode(200).body("success", equalTo(true));

        await().atMost(Duration.ofSeconds(10)).until(() -> "REJECTED".equals(template(c, providerId(rejected)).get("status")));
        assertThat(template(c, providerId(rejected))).containsEntry("rejected_reason", "SCAM");
        await().atMost(Duration.ofSeconds(10)).until(() -> "APPROVED".equals(template(c, providerId(approved)).get("status")));
        assertThat(template(c, providerId(approved))).containsEntry("category", "UTILITY");

        List<Map<String, Object>> steps = history(c, rejected);
        assertThat(steps).extracting(h -> h.get("source")).containsExactly("SYNC", "WEBHOOK");
        assertThat(steps.get(1)).containsEntry("from", "PENDING").containsEntry("to", "REJECTED");
    }

    @Test
    void flaggedKeepsTheStatusAndSaysWhenItWillBeDisabledUntilReinstated() {
        Connected c = synced("fl", 1, "APPROVED");
        Map<String, Object> t = templates(c).get(0);
        Instant now = Instant.now();
        // As seen in the wild: reason null, and a disable_info object. FLAGGED is a warning, not a
        // status: the list API still says APPROVED until Meta disables it.
        ObjectNode flagged = statusChange(providerId(t), name(t), "en-US", "FLAGGED", null);
        ((ObjectNode) flagged.get("value")).putObject("disable_info").put("disable_date", "January 31, 2021");
        MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(1), flagged)).statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> template(c, providerId(t)).get("disable_info") != null);
        assertThat(template(c, providerId(t))).containsEntry("status", "APPROVED")
                .containsEntry("disable_info", Map.of("disable_date", "January 31, 2021"));

        // REINSTATED: APPROVED again, the warning gone.
        MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(5), statusChange(providerId(t), name(t), "en-US", "REINSTATED", "NONE")))
                .statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> template(c, providerId(t)).get("disable_info") == null);
        assertThat(template(c, providerId(t))).containsEntry("status", "APPROVED");
        assertThat(history(c, t)).extracting(h -> h.get("to")).containsExactly("APPROVED");
    }

    @Test
    void qualityAndCategoryUpdatesAreApplied() {
        Connected c = synced("qc", 1, "APPROVED");
        Map<String, Object> t = templates(c).get(0);
        assertThat(t).containsEntry("category", "MARKETING");
        Instant now = Instant.now();

        // Quality, in Meta's example shape (labelled as a status update).
        MetaWebhooks.post(delivery(c.wabaId(), now, qualityChange(providerId(t), name(t), "en-US", "GREEN", "YELLOW")))
                .statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "YELLOW".equals(template(c, providerId(t)).get("quality_score")));

        // An impending recategorisation changes nothing yet; the completed one does.
        MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(1),
                categoryImpending(providerId(t), name(t), "en-US", "MARKETING", "UTILITY", now.plusSeconds(86_400).getEpochSecond())))
                .statusCode(200);
        MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(2), categoryChanged(providerId(t), name(t), "en-US", "MARKETING", "UTILITY")))
                .statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "UTILITY".equals(template(c, providerId(t)).get("category")));
        assertThat(template(c, providerId(t))).containsEntry("status", "APPROVED").containsEntry("quality_score", "YELLOW");
        // Neither is a status change.
        assertThat(history(c, t)).hasSize(1);
    }

    @Test
    void repeatedDeliveriesChangeNothingTwice() {
        Connected c = synced("dup", 1, "PENDING");
        Map<String, Object> t = templates(c).get(0);
        Instant now = Instant.now();
        String body = delivery(c.wabaId(), now, statusChange(providerId(t), name(t), "en-US", "APPROVED", "NONE"));
        MetaWebhooks.post(body).statusCode(200);
        // Meta's retry: the same bytes.
        MetaWebhooks.post(body).statusCode(200).body("message", equalTo("Already received"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "APPROVED".equals(template(c, providerId(t)).get("status")));
        // The same event in other bytes (a delivery batched differently) is applied, and changes nothing.
        String rebatched = delivery(c.wabaId(), now, List.of(
                statusChange(providerId(t), name(t), "en-US", "APPROVED", "NONE"),
                statusChange(providerId(t), name(t), "en_US", "APPROVED", "NONE")));
        MetaWebhooks.post(rebatched).statusCode(200).body("message", equalTo("Received 2 change(s)"));
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingDeliveries() == 0);

        assertThat(history(c, t)).extracting(h -> h.get("source")).containsExactly("SYNC", "WEBHOOK");
    }

    @Test
    void anOlderEventNeverOverwritesANewerState() {
        Connected c = synced("ooo", 1, "PENDING");
        Map<String, Object> t = templates(c).get(0);
        Instant now = Instant.now();
        // Meta approved at now+10 s after rejecting at now+5 s; the deliveries arrive the other way round.
        MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(10), statusChange(providerId(t), name(t), "en-US", "APPROVED", "NONE")))
                .statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "APPROVED".equals(template(c, providerId(t)).get("status")));
        MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(5), statusChange(providerId(t), name(t), "en-US", "REJECTED", "SCAM")))
                .statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingDeliveries() == 0);
        assertThat(template(c, providerId(t))).containsEntry("status", "APPROVED").containsEntry("rejected_reason", "NONE");

        // Nor does a sync whose read began before a newer webhook: Meta still lists it PENDING here,
        // and the webhook's APPROVED (as of now+10 s) is newer than this sync.
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        assertThat(template(c, providerId(t))).containsEntry("status", "APPROVED");
        assertThat(history(c, t)).extracting(h -> h.get("to")).containsExactly("PENDING", "APPROVED");

        // A newer event still applies.
        MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(20), statusChange(providerId(t), name(t), "en-US", "PAUSED", "NONE")))
                .statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "PAUSED".equals(template(c, providerId(t)).get("status")));
    }

    @Test
    void unknownTemplateStartsOneFullSyncOfItsChannelAndGetsTheEventsStatusAfterIt() {
        Connected c = synced("unk", 2, "APPROVED");
        FakeMeta.Waba waba = meta.waba(c.wabaId());
        List<ObjectNode> atMeta = new ArrayList<>(waba.templates());
        List<ObjectNode> created = TwoChatSyncTest.templates("new", 2, "PENDING");
        atMeta.addAll(created);
        waba.templates(atMeta);
        // Slow, so the second delivery finds the sync the first one started still running.
        waba.delay(Duration.ofMillis(700));
        int firstPagesBefore = waba.firstPageRequests();

        // Meta approves them just after the sync reads them as PENDING.
        Instant now = Instant.now().plusSeconds(5);
        for (ObjectNode t : created) {
            MetaWebhooks.post(delivery(c.wabaId(), now, statusChange(t.get("id").asText(), t.get("name").asText(),
                    "en-US", "APPROVED", "NONE"))).statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> templates(c).size() == 4);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        await().atMost(Duration.ofSeconds(20)).until(() -> pendingDeliveries() == 0);

        // One full sync for both deliveries: the claim let the second join the first.
        assertThat(waba.firstPageRequests() - firstPagesBefore).isEqualTo(1);
        assertThat(fullSyncJobs(c)).isEqualTo(2);
        // The sync brought them as Meta listed them (PENDING); the deliveries, applied again after
        // it, brought the newer state they carry.
        for (ObjectNode t : created) {
            Map<String, Object> stored = template(c, t.get("id").asText());
            assertThat(stored).containsEntry("status", "APPROVED");
            assertThat(history(c, stored)).extracting(h -> h.get("source")).containsExactly("SYNC", "WEBHOOK");
        }
    }

    @Test
    void withoutAnIdTheTemplateIsFoundByNameAndLanguageInEitherSpelling() {
        Connected c = synced("noid", 2, "PENDING");
        // TwoChatSyncTest.templates alternates en_US and pt_BR: the first one is en_US.
        Map<String, Object> t = templates(c).stream().filter(x -> "en_US".equals(x.get("language"))).findFirst().orElseThrow();
        ObjectNode change = statusChange(providerId(t), name(t), "en-US", "APPROVED", "NONE");
        ((ObjectNode) change.get("value")).remove("message_template_id");
        MetaWebhooks.post(delivery(c.wabaId(), Instant.now(), change)).statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "APPROVED".equals(template(c, providerId(t)).get("status")));
        assertThat(templates(c)).filteredOn(x -> "PENDING".equals(x.get("status"))).hasSize(1);
    }

    @Test
    void aTemplateMetaDoesNotListEitherCostsOneSyncAndIsLeftThere() {
        Connected c = synced("ghost", 1, "APPROVED");
        int firstPagesBefore = meta.waba(c.wabaId()).firstPageRequests();
        MetaWebhooks.post(delivery(c.wabaId(), Instant.now(), statusChange("99999999999", "ghost", "en-US", "APPROVED", "NONE")))
                .statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> pendingDeliveries() == 0);
        assertThat(meta.waba(c.wabaId()).firstPageRequests() - firstPagesBefore).isEqualTo(1);
        assertThat(fullSyncJobs(c)).isEqualTo(2);
        assertThat(templates(c)).hasSize(1);
    }

    @Test
    void unknownWabaIsAcknowledgedAndIgnored() {
        MetaWebhooks.post(delivery("whatsapp-business-account-id", Instant.now(),
                statusChange("1234567", "My message template", "en-US", "FLAGGED", null)))
                .statusCode(200).body("success", equalTo(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingDeliveries() == 0);
    }

    @Test
    void aDeliveryThatCannotBeAppliedIsKeptAndRetriedUntilItIs() {
        Connected c = synced("retry", 1, "PENDING");
        Map<String, Object> t = templates(c).get(0);
        String id = (String) t.get("uuid");
        // The database refuses to change this template, as if it were failing, until the trigger goes.
        exec("CREATE FUNCTION refuse_" + suffix(id) + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'simulated failure'; END $$");
        exec("CREATE TRIGGER refuse_" + suffix(id) + " BEFORE UPDATE ON template FOR EACH ROW WHEN (OLD.id = '" + id
                + "') EXECUTE FUNCTION refuse_" + suffix(id) + "()");
        try {
            MetaWebhooks.post(delivery(c.wabaId(), Instant.now(), statusChange(providerId(t), name(t), "en-US", "APPROVED", "NONE")))
                    .statusCode(200);
            // Tried, failed, tried again: still waiting in the inbox, with its error.
            await().atMost(Duration.ofSeconds(10)).until(() -> maxAttemptsOfPending() >= 2);
            assertThat(template(c, providerId(t))).containsEntry("status", "PENDING");
        } finally {
            exec("DROP TRIGGER refuse_" + suffix(id) + " ON template");
            exec("DROP FUNCTION refuse_" + suffix(id) + "()");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "APPROVED".equals(template(c, providerId(t)).get("status")));
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingDeliveries() == 0);
        assertThat(history(c, t)).extracting(h -> h.get("source")).containsExactly("SYNC", "WEBHOOK");
    }

    @Test
    void aThousandChangesInOneDeliveryAreAllApplied() {
        List<ObjectNode> atMeta = TwoChatSyncTest.templates("bulk", 1000, "PENDING");
        Connected c = Fixtures.syncedChannel(meta, atMeta);

        List<ObjectNode> changes = atMeta.stream().map(t -> statusChange(t.get("id").asText(), t.get("name").asText(),
                t.get("language").asText().replace('_', '-'), "APPROVED", "NONE")).toList();
        String body = delivery(c.wabaId(), Instant.now(), changes);
        MetaWebhooks.post(body).statusCode(200).body("message", equalTo("Received 1000 change(s)"));

        await().atMost(Duration.ofSeconds(30)).until(() -> count(c, "APPROVED") == 1000);
        assertThat(count(c, "PENDING")).isZero();
    }

    @Test
    void deliveriesAndChangesAreCountedInTheMetrics() {
        Connected c = synced("met", 1, "PENDING");
        Map<String, Object> t = templates(c).get(0);
        double accepted = metric("wabasync_webhook_deliveries_total{outcome=\"accepted\"}");
        double forged = metric("wabasync_webhook_deliveries_total{outcome=\"bad_signature\"}");
        double applied = metric("wabasync_webhook_changes_total{result=\"applied\"}");

        String body = delivery(c.wabaId(), Instant.now(), statusChange(providerId(t), name(t), "en-US", "APPROVED", "NONE"));
        given().contentType("application/json").header("X-Hub-Signature-256", MetaWebhooks.signature(body, "forged"))
                .body(body).post("/webhooks/meta").then().statusCode(403);
        MetaWebhooks.post(body).statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "APPROVED".equals(template(c, providerId(t)).get("status")));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(metric("wabasync_webhook_deliveries_total{outcome=\"accepted\"}")).isEqualTo(accepted + 1);
            assertThat(metric("wabasync_webhook_deliveries_total{outcome=\"bad_signature\"}")).isEqualTo(forged + 1);
            assertThat(metric("wabasync_webhook_changes_total{result=\"applied\"}")).isEqualTo(applied + 1);
        });
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("wabasync_webhook_inbox_pending").contains("wabasync_webhook_inbox_oldest_age_seconds");
    }

    // --- helpers ------------------------------------------------------------------------------------

    /** A counter's value in the Prometheus text, 0 before it was first counted. */
    private static double metric(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).orElse(0.0);
    }

    private Connected synced(String prefix, int count, String status) {
        return Fixtures.syncedChannel(meta, TwoChatSyncTest.templates(prefix, count, status));
    }

    static List<Map<String, Object>> templates(Connected c) {
        return given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .queryParam("phone_number", c.phoneNumber()).queryParam("per_page", 100)
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(200).extract().jsonPath().getList("data");
    }

    static Map<String, Object> template(Connected c, String providerId) {
        return templates(c).stream().filter(t -> providerId.equals(t.get("provider_id"))).findFirst().orElseThrow();
    }

    private static long count(Connected c, String status) {
        return given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .queryParam("phone_number", c.phoneNumber()).queryParam("status", status)
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(200).extract().jsonPath().getLong("meta.total");
    }

    static List<Map<String, Object>> history(Connected c, Map<String, Object> template) {
        return given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), template.get("id"))
                .then().statusCode(200).extract().jsonPath().getList("data.status_history");
    }

    private static int fullSyncJobs(Connected c) {
        JsonPath jobs = given().header("X-User-API-Key", c.workspace().apiKey())
                .queryParam("phone_number", c.phoneNumber())
                .get("/api/v3/workspaces/{ws}/sync-jobs", c.workspace().id())
                .then().statusCode(200).extract().jsonPath();
        return (int) jobs.getList("data.kind").stream().filter("FULL"::equals).count();
    }

    static String providerId(Map<String, Object> t) {
        return (String) t.get("provider_id");
    }

    static String name(Map<String, Object> t) {
        return (String) t.get("name");
    }

    private long deliveriesStored() {
        return pool.query("SELECT count(*) FROM webhook_delivery").execute().await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    private long pendingDeliveries() {
        return pool.query("SELECT count(*) FROM webhook_delivery WHERE status = 'PENDING'").execute().await()
                .atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private int maxAttemptsOfPending() {
        Integer max = pool.query("SELECT max(attempts) FROM webhook_delivery WHERE status = 'PENDING' AND last_error LIKE '%simulated failure%'")
                .execute().await().atMost(Duration.ofSeconds(5)).iterator().next().getInteger(0);
        return max == null ? 0 : max;
    }

    private void exec(String sql) {
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(5));
    }

    private static String suffix(String uuid) {
        return uuid.replace("-", "").substring(0, 12);
    }
}
