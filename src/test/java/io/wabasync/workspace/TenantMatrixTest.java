package io.wabasync.workspace;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.WebhookReceiver;

/**
 * Every workspace-scoped endpoint, called on workspace A's resources with no key, a wrong key and
 * workspace B's key: 401, 401, 404, and nothing changes anywhere.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantMatrixTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    Connected owner;
    Fixtures.Workspace intruder;
    String templateId;
    String jobId;
    String hookId;
    String deliveryId;
    WebhookReceiver receiver;

    /** A valid create (and edit) body: only the caller's workspace decides the answer. */
    private static final String TEMPLATE = "{\"name\":\"stolen\",\"language\":\"en_US\",\"category\":\"UTILITY\","
            + "\"body\":{\"text\":\"Hi {{1}}\",\"variables\":[\"Maria\"]}}";

    record Endpoint(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Created once, by the first case, when the application is up and configured for tests. */
    @BeforeEach
    void ownerWithData() {
        if (owner != null) {
            return;
        }
        owner = Fixtures.connectedChannel(meta);
        receiver = WebhookReceiver.start();
        hookId = given().header("Authorization", "Bearer " + owner.workspace().apiKey()).contentType("application/json")
                .body("{\"url\":\"" + receiver.url() + "\"}")
                .post("/api/v3/workspaces/{ws}/webhooks", owner.workspace().id()).then().statusCode(201)
                .extract().path("data.id");
        meta.waba(owner.wabaId()).templates(TwoChatSyncTest.templates("own", 3, "PENDING"));
        TwoChatSyncTest.startSync(owner).statusCode(200);
        jobId = TwoChatSyncTest.awaitFinished(owner).getString("sync_id");
        // LancePilot's integer id: the one its template paths take.
        templateId = given().header("Authorization", "Bearer " + owner.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates", owner.workspace().id())
                .then().statusCode(200).extract().path("data[0].id").toString();
        intruder = Fixtures.workspace();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received().size() == 3);
        deliveryId = receiver.received().get(0).id();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> given()
                .header("Authorization", "Bearer " + owner.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/webhooks/{id}/deliveries", owner.workspace().id(), hookId)
                .then().extract().jsonPath().getList("data.status", String.class).stream()
                .allMatch("DELIVERED"::equals));
    }

    @org.junit.jupiter.api.AfterAll
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    Stream<Arguments> matrix() {
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET", "/api/v3/workspaces/{ws}/channels", null),
                new Endpoint("POST", "/api/v3/workspaces/{ws}/channels",
                        "{\"phone_number\":\"+15550009999\",\"waba_id\":\"123456789\",\"access_token\":\"EAAGx\"}"),
                new Endpoint("PATCH", "/api/v3/workspaces/{ws}/channels/{channel}", "{\"access_token\":\"EAAGstolen\"}"),
                new Endpoint("DELETE", "/api/v3/workspaces/{ws}/channels/{channel}", null),
                new Endpoint("POST", "/api/v3/workspaces/{ws}/templates/sync", null),
                new Endpoint("GET", "/api/v3/workspaces/{ws}/templates", null),
                new Endpoint("GET", "/api/v3/workspaces/{ws}/templates/{template}", null),
                new Endpoint("POST", "/api/v3/workspaces/{ws}/templates", TEMPLATE),
                new Endpoint("POST", "/api/v3/workspaces/{ws}/templates/{template}", TEMPLATE),
                new Endpoint("DELETE", "/api/v3/workspaces/{ws}/templates/{template}", null),
                new Endpoint("GET", "/api/v3/workspaces/{ws}/sync-jobs", null),
                new Endpoint("GET", "/api/v3/workspaces/{ws}/sync-jobs/{job}", null),
                new Endpoint("POST", "/open/waba/templates/sync?phone_number={phone}", null),
                new Endpoint("GET", "/open/waba/templates/sync?phone_number={phone}", null),
                new Endpoint("GET", "/open/waba/templates?phone_number={phone}", null),
                new Endpoint("GET", "/api/v3/workspaces/{ws}/webhooks", null),
                new Endpoint("POST", "/api/v3/workspaces/{ws}/webhooks", "{\"url\":\"https://example.com/stolen\"}"),
                new Endpoint("GET", "/api/v3/workspaces/{ws}/webhooks/{hook}", null),
                new Endpoint("PATCH", "/api/v3/workspaces/{ws}/webhooks/{hook}", "{\"enabled\":false}"),
                new Endpoint("DELETE", "/api/v3/workspaces/{ws}/webhooks/{hook}", null),
                new Endpoint("POST", "/api/v3/workspaces/{ws}/webhooks/{hook}/rotate-secret", null),
                new Endpoint("GET", "/api/v3/workspaces/{ws}/webhooks/{hook}/deliveries", null),
                new Endpoint("GET", "/api/v3/workspaces/{ws}/webhooks/{hook}/deliveries/{delivery}", null),
                new Endpoint("POST", "/api/v3/workspaces/{ws}/webhooks/{hook}/deliveries/{delivery}/redeliver", null),
                new Endpoint("GET", "/api/v3/workspaces/{ws}/templates/events?since=0", null));
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint e : endpoints) {
            cases.add(Arguments.of(e, "no key", 401));
            cases.add(Arguments.of(e, "wrong key", 401));
            cases.add(Arguments.of(e, "other workspace's key", 404));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @MethodSource("matrix")
    void foreignCallersGetNothingAndChangeNothing(Endpoint endpoint, String who, int expected) {
        Map<String, Long> before = counts();
        int metaCalls = meta.waba(owner.wabaId()).requests() + meta.waba(owner.wabaId()).createRequests()
                + meta.waba(owner.wabaId()).editRequests() + meta.waba(owner.wabaId()).deleteRequests();

        RequestSpecification request = given().urlEncodingEnabled(false).contentType("application/json");
        switch (who) {
            case "wrong key" -> request.header("X-User-API-Key", "wsk_" + "A".repeat(43));
            case "other workspace's key" -> request.header("Authorization", "Bearer " + intruder.apiKey());
            default -> { }
        }
        if (endpoint.body() != null) {
            request.body(endpoint.body());
        }
        String path = endpoint.path().replace("{ws}", owner.workspace().id()).replace("{channel}", owner.channelId())
                .replace("{template}", templateId).replace("{job}", jobId)
                .replace("{hook}", hookId).replace("{delivery}", deliveryId)
                .replace("{phone}", "%2B" + owner.phoneNumber().substring(1));
        request.request(endpoint.method(), path).then().statusCode(expected)
                .contentType("application/json").body("success", equalTo(false));

        assertThat(counts()).isEqualTo(before);
        assertThat(receiver.received()).hasSize(3);
        assertThat(meta.waba(owner.wabaId()).requests() + meta.waba(owner.wabaId()).createRequests()
                + meta.waba(owner.wabaId()).editRequests() + meta.waba(owner.wabaId()).deleteRequests()).isEqualTo(metaCalls);
        given().header("X-User-API-Key", owner.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/channels", owner.workspace().id())
                .then().statusCode(200).body("data[0].id", equalTo(owner.channelId()))
                .body("data[0].status", equalTo("ACTIVE"));
    }

    private Map<String, Long> counts() {
        // Workspaces and keys are counted everywhere; the rest within the owner's workspace, where
        // no other test's background work can move the numbers.
        return pool.preparedQuery("""
                SELECT (SELECT count(*) FROM workspace) AS workspaces, (SELECT count(*) FROM api_key) AS keys,
                       (SELECT count(*) FROM channel WHERE workspace_id = $1) AS channels,
                       (SELECT max(updated_at)::text FROM channel WHERE workspace_id = $1) AS touched,
                       (SELECT count(*) FROM template WHERE workspace_id = $1) AS templates,
                       (SELECT count(*) FROM sync_job WHERE workspace_id = $1) AS jobs,
                       (SELECT count(*) FROM template_status_history h JOIN template t ON t.id = h.template_id
                        WHERE t.workspace_id = $1) AS history,
                       (SELECT count(*) FROM outbound_endpoint WHERE workspace_id = $1) AS hooks,
                       (SELECT coalesce(string_agg(md5(secret) || enabled || updated_at, ','), '')
                        FROM outbound_endpoint WHERE workspace_id = $1) AS hook_state,
                       (SELECT count(*) FROM outbound_delivery d JOIN outbound_endpoint e ON e.id = d.endpoint_id
                        WHERE e.workspace_id = $1 AND d.status = 'DELIVERED') AS delivered,
                       (SELECT count(*) FROM outbound_attempt a JOIN outbound_delivery d ON d.id = a.delivery_id
                        JOIN outbound_endpoint e ON e.id = d.endpoint_id WHERE e.workspace_id = $1) AS attempts
                """).execute(io.vertx.mutiny.sqlclient.Tuple.of(java.util.UUID.fromString(owner.workspace().id())))
                .map(rows -> {
            var row = rows.iterator().next();
            return Map.ofEntries(Map.entry("workspaces", row.getLong("workspaces")),
                    Map.entry("keys", row.getLong("keys")), Map.entry("channels", row.getLong("channels")),
                    Map.entry("touched", (long) row.getString("touched").hashCode()),
                    Map.entry("templates", row.getLong("templates")), Map.entry("jobs", row.getLong("jobs")),
                    Map.entry("history", row.getLong("history")), Map.entry("hooks", row.getLong("hooks")),
                    Map.entry("hook_state", (long) row.getString("hook_state").hashCode()),
                    Map.entry("delivered", row.getLong("delivered")), Map.entry("attempts", row.getLong("attempts")));
        }).await().atMost(Duration.ofSeconds(5));
    }
}
