package io.wabasync.outbound;

import static io.restassured.RestAssured.given;
import static io.wabasync.testing.MetaWebhooks.delivery;
import static io.wabasync.testing.MetaWebhooks.qualityChange;
import static io.wabasync.testing.MetaWebhooks.statusChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.MetaWebhooks;
import io.wabasync.testing.WebhookReceiver;
import io.wabasync.testing.WebhookReceiver.Received;

/**
 * Template changes pushed to the customer's endpoint: signed (checked by the receiver's own code),
 * retried until answered, kept while the endpoint is down, in order per template.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class OutboundWebhooksTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Test
    void everyChangeIsDeliveredSignedWithTheSecretShownOnlyOnce() {
        Connected c = Fixtures.connectedChannel(meta);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            JsonPath created = create(c, Map.of("url", receiver.url(), "description", "CRM")).statusCode(201)
                    .body("success", equalTo(true)).body("data.enabled", equalTo(true))
                    .body("data.event_types", equalTo(List.of())).extract().jsonPath();
            String secret = created.getString("data.secret");
            String endpoint = created.getString("data.id");
            assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
            endpoints(c).get("/api/v3/workspaces/{ws}/webhooks", c.workspace().id()).then().statusCode(200)
                    .body("data[0].id", equalTo(endpoint)).body("data[0]", not(hasKey("secret")));
            endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}", c.workspace().id(), endpoint).then()
                    .statusCode(200).body("data.description", equalTo("CRM")).body("data", not(hasKey("secret")));

            List<ObjectNode> atMeta = TwoChatSyncTest.templates("hook", 2, "PENDING");
            meta.waba(c.wabaId()).templates(atMeta);
            TwoChatSyncTest.startSync(c).statusCode(200);
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received().size() == 2);
            ObjectNode first = atMeta.get(0);
            MetaWebhooks.post(delivery(c.wabaId(), Instant.now().plusSeconds(1), statusChange(first.get("id").asText(),
                    first.get("name").asText(), "en-US", "APPROVED", null))).statusCode(200);
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received().size() == 3);

            List<Received> got = receiver.received();
            assertThat(got).allSatisfy(r -> {
                assertThat(WebhookReceiver.signedWith(r, secret)).as("signature of %s", r.id()).isTrue();
                assertThat(r.id()).startsWith("msg_");
            });
            assertThat(got).extracting(Received::id).doesNotHaveDuplicates();
            assertThat(got.subList(0, 2)).extracting(Received::type).containsOnly("template.created");
            assertThat(got.subList(0, 2)).extracting(r -> r.json().at("/data/template/name").asText())
                    .containsExactlyInAnyOrder(first.get("name").asText(), atMeta.get(1).get("name").asText());
            JsonNode approved = got.get(2).json();
            assertThat(approved.get("type").asText()).isEqualTo("template.status_updated");
            assertThat(approved.get("timestamp").asText()).isNotBlank();
            assertThat(approved.at("/data/change/old_status").asText()).isEqualTo("PENDING");
            assertThat(approved.at("/data/change/new_status").asText()).isEqualTo("APPROVED");
            assertThat(approved.at("/data/change/source").asText()).isEqualTo("WEBHOOK");
            assertThat(approved.at("/data/sequence").asLong()).isGreaterThan(0);
            // The template as LancePilot's surface shows it: integer id, components as an object.
            JsonNode template = approved.at("/data/template");
            assertThat(template.get("id").isIntegralNumber()).isTrue();
            assertThat(template.get("status").asText()).isEqualTo("APPROVED");
            assertThat(template.get("provider_id").asText()).isEqualTo(first.get("id").asText());
            assertThat(template.get("phone_number").asText()).isEqualTo(c.phoneNumber());
            assertThat(template.get("components").isObject()).isTrue();

            JsonPath log = endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}/deliveries", c.workspace().id(),
                    endpoint).then().statusCode(200).body("meta.total", equalTo(3)).extract().jsonPath();
            assertThat(log.getList("data.status", String.class)).containsOnly("DELIVERED");
            assertThat(log.getList("data.attempts", Integer.class)).containsOnly(1);
            assertThat(log.getList("data.attempt_log.status_code.flatten()", Integer.class)).containsOnly(200);
            assertThat(log.getList("data.id", String.class)).containsExactlyInAnyOrderElementsOf(
                    got.stream().map(Received::id).toList());
        }
    }

    @Test
    void aReceiverAnswering500ThreeTimesGetsTheEventOnceMoreEachTimeThenNeverAgain() {
        Connected c = Fixtures.connectedChannel(meta);
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(500, 500, 500)) {
            String secret = create(c, Map.of("url", receiver.url(), "event_types", List.of("template.created")))
                    .statusCode(201).extract().path("data.secret");
            String endpoint = endpointIds(c).get(0);
            List<ObjectNode> atMeta = TwoChatSyncTest.templates("retry", 1, "PENDING");
            meta.waba(c.wabaId()).templates(atMeta);
            TwoChatSyncTest.startSync(c).statusCode(200);

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 4);
            // Not subscribed: a status change is not sent.
            MetaWebhooks.post(delivery(c.wabaId(), Instant.now().plusSeconds(1), statusChange(atMeta.get(0).get("id")
                    .asText(), atMeta.get(0).get("name").asText(), "en-US", "APPROVED", null))).statusCode(200);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> receiver.received().size() == 4);

            List<Received> got = receiver.received();
            assertThat(got).extracting(Received::id).containsOnly(got.get(0).id());
            assertThat(got).extracting(Received::body).containsOnly(got.get(0).body());
            assertThat(got).allSatisfy(r -> assertThat(WebhookReceiver.signedWith(r, secret)).isTrue());

            JsonPath one = endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}/deliveries/{d}",
                    c.workspace().id(), endpoint, got.get(0).id()).then().statusCode(200).extract().jsonPath();
            assertThat(one.getString("data.status")).isEqualTo("DELIVERED");
            assertThat(one.getInt("data.attempts")).isEqualTo(4);
            assertThat(one.getList("data.attempt_log.status_code", Integer.class)).containsExactly(500, 500, 500, 200);
            assertThat(one.getString("data.attempt_log[0].response")).isEqualTo("receiver says no (500)");
            assertThat(one.getList("data.attempt_log.latency_ms", Long.class)).allSatisfy(ms -> assertThat(ms)
                    .isBetween(0L, 5_000L));
            assertThat(one.getString("data.delivered_at")).isNotBlank();

            // A redelivery sends the same id and body once more.
            endpoints(c).post("/api/v3/workspaces/{ws}/webhooks/{id}/deliveries/{d}/redeliver", c.workspace().id(),
                    endpoint, got.get(0).id()).then().statusCode(202).body("data.status", equalTo("PENDING"));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 5);
            assertThat(receiver.received().get(4).id()).isEqualTo(got.get(0).id());
            assertThat(receiver.received().get(4).body()).isEqualTo(got.get(0).body());
        }
    }

    @Test
    void aReceiverDownKeepsItsEventsInTheOutboxUntilItCanBeReached() throws Exception {
        Connected c = Fixtures.connectedChannel(meta);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        create(c, Map.of("url", "http://127.0.0.1:" + closedPort + "/down")).statusCode(201);
        String endpoint = endpointIds(c).get(0);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("down", 2, "PENDING"));
        TwoChatSyncTest.startSync(c).statusCode(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonPath log = deliveries(c, endpoint);
            return log.getList("data").size() == 2
                    && log.getList("data.attempts", Integer.class).stream().allMatch(n -> n >= 3);
        });
        JsonPath log = deliveries(c, endpoint);
        assertThat(log.getList("data.status", String.class)).containsOnly("PENDING");
        assertThat(log.getList("data.last_status_code")).containsOnlyNulls();
        assertThat(log.getList("data.last_error", String.class)).allSatisfy(e -> assertThat(e).isNotBlank());
        assertThat(log.getList("data.next_attempt_at", String.class)).allSatisfy(at -> assertThat(at).isNotBlank());
        endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}", c.workspace().id(), endpoint).then()
                .body("data.failing_since", not(equalTo(null))).body("data.enabled", equalTo(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String metrics = given().get("/q/metrics").then().extract().asString();
            return metrics.contains("wabasync_outbound_endpoint_pending{endpoint=\"" + endpoint + "\"} 2.0")
                    && metrics.contains("wabasync_outbound_oldest_undelivered_age_seconds{endpoint=\"" + endpoint + "\"}")
                    && metrics.matches("(?s).*wabasync_outbound_deliveries_total\\{outcome=\"failed\"} [1-9].*");
        });

        // Reachable again (here: at a new address): what the outbox kept is delivered, with the same ids.
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            endpoints(c).contentType(ContentType.JSON).body(Map.of("url", receiver.url()))
                    .patch("/api/v3/workspaces/{ws}/webhooks/{id}", c.workspace().id(), endpoint).then().statusCode(200);
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received().size() == 2);
            assertThat(receiver.received()).extracting(Received::id)
                    .containsExactlyInAnyOrderElementsOf(log.getList("data.id", String.class));
            await().atMost(Duration.ofSeconds(5)).until(() -> deliveries(c, endpoint)
                    .getList("data.status", String.class).stream().allMatch("DELIVERED"::equals));
            endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}", c.workspace().id(), endpoint).then()
                    .body("data.failing_since", equalTo(null));
        }
    }

    @Test
    void redirectsAreNotFollowedAndASlowReceiverTimesOut() {
        Connected c = Fixtures.connectedChannel(meta);
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(302)) {
            create(c, Map.of("url", receiver.url())).statusCode(201);
            String endpoint = endpointIds(c).get(0);
            meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("slow", 1, "PENDING"));
            TwoChatSyncTest.startSync(c).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
            // The next attempt is held past the time limit (2 s in tests), then answered.
            receiver.holdAnswers();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(c, endpoint).getInt("data[0].attempts") == 2);
            receiver.release();
            await().atMost(Duration.ofSeconds(15)).until(() -> "DELIVERED".equals(deliveries(c, endpoint)
                    .getString("data[0].status")));
            JsonPath log = deliveries(c, endpoint);
            assertThat(log.getInt("data[0].attempt_log[0].status_code")).isEqualTo(302);
            assertThat(log.getString("data[0].attempt_log[0].error")).contains("redirects are not followed");
            assertThat(log.getString("data[0].attempt_log[1].status_code")).isNull();
            assertThat(log.getString("data[0].attempt_log[1].error")).isEqualTo("timed out");
            assertThat(log.getLong("data[0].attempt_log[1].latency_ms")).isBetween(1_900L, 6_000L);
            assertThat(log.getInt("data[0].attempt_log[2].status_code")).isEqualTo(200);
            assertThat(receiver.received()).extracting(Received::id).containsOnly(receiver.received().get(0).id());
        }
    }

    @Test
    void eventsOfOneTemplateReachAnEndpointInOrder() {
        Connected c = Fixtures.connectedChannel(meta);
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(503, 503)) {
            create(c, Map.of("url", receiver.url())).statusCode(201);
            List<ObjectNode> atMeta = TwoChatSyncTest.templates("order", 1, "PENDING");
            meta.waba(c.wabaId()).templates(atMeta);
            TwoChatSyncTest.startSync(c).statusCode(200);
            ObjectNode t = atMeta.get(0);
            String id = t.get("id").asText();
            String name = t.get("name").asText();
            // While the first event is still failing, three more changes of the same template.
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() >= 1);
            Instant now = Instant.now();
            MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(1), statusChange(id, name, "en-US", "APPROVED", null)))
                    .statusCode(200);
            // Each delivery is applied by its own job, in no set order, and a status older than the stored one
            // is skipped: the next two are posted once APPROVED is in, so that every change is applied.
            await().atMost(Duration.ofSeconds(10)).until(() -> given().header("X-User-API-Key", c.workspace().apiKey())
                    .queryParam("phone_number", c.phoneNumber()).get("/open/waba/templates")
                    .then().extract().jsonPath().getList("templates.status").contains("APPROVED"));
            MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(2), qualityChange(id, name, "en-US", "UNKNOWN",
                    "GREEN"))).statusCode(200);
            MetaWebhooks.post(delivery(c.wabaId(), now.plusSeconds(3), statusChange(id, name, "en-US", "PAUSED", null)))
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().stream()
                    .map(Received::id).distinct().count() == 4 && receiver.received().size() == 6);

            // Each event is first received only after the one before it was answered 200.
            List<String> firstSeen = receiver.received().stream().map(Received::id).distinct().toList();
            List<Long> sequences = firstSeen.stream().map(eventId -> receiver.received().stream()
                    .filter(r -> r.id().equals(eventId)).findFirst().orElseThrow().json().at("/data/sequence").asLong())
                    .toList();
            assertThat(sequences).isSorted();
            List<String> types = firstSeen.stream().map(eventId -> receiver.received().stream().filter(r -> r.id()
                    .equals(eventId)).findFirst().orElseThrow().type()).toList();
            // The quality change may commit before or after the second status change (each its own job).
            assertThat(types.subList(0, 2)).containsExactly("template.created", "template.status_updated");
            assertThat(types.subList(2, 4)).containsExactlyInAnyOrder("template.quality_updated",
                    "template.status_updated");
            assertThat(firstSeen.stream().map(eventId -> receiver.received().stream().filter(r -> r.id()
                    .equals(eventId)).findFirst().orElseThrow()).filter(r -> "template.status_updated".equals(r.type()))
                    .map(r -> r.json().at("/data/change/new_status").asText()).toList())
                    .containsExactly("APPROVED", "PAUSED");
            Set<String> retried = receiver.received().stream().collect(Collectors.groupingBy(Received::id,
                    Collectors.counting())).entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            assertThat(retried).containsExactly(firstSeen.get(0));
        }
    }

    @Test
    void aRotatedSecretAndThePreviousOneBothSignDuringTheOverlap() {
        Connected c = Fixtures.connectedChannel(meta);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String old = create(c, Map.of("url", receiver.url())).statusCode(201).extract().path("data.secret");
            String endpoint = endpointIds(c).get(0);
            JsonPath rotated = endpoints(c).post("/api/v3/workspaces/{ws}/webhooks/{id}/rotate-secret",
                    c.workspace().id(), endpoint).then().statusCode(200).extract().jsonPath();
            String fresh = rotated.getString("data.secret");
            assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
            assertThat(Instant.parse(rotated.getString("data.previous_secret_expires_at")))
                    .isAfter(Instant.now().plus(Duration.ofHours(23)));
            endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}", c.workspace().id(), endpoint).then()
                    .body("data", not(hasKey("secret")));

            meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("rotate", 1, "PENDING"));
            TwoChatSyncTest.startSync(c).statusCode(200);
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received().size() == 1);
            Received r = receiver.received().get(0);
            assertThat(r.signature().split(" ")).hasSize(2);
            assertThat(WebhookReceiver.signedWith(r, fresh)).isTrue();
            assertThat(WebhookReceiver.signedWith(r, old)).isTrue();
            assertThat(WebhookReceiver.signedWith(r, "whsec_" + java.util.Base64.getEncoder()
                    .encodeToString(new byte[32]))).isFalse();
        }
    }

    @Test
    void badEndpointsAreRefusedWithAJsonErrorAndNothingIsCreated() {
        Connected c = Fixtures.connectedChannel(meta);
        for (Object body : List.of(Map.of(), Map.of("url", "ftp://example.com/x"), Map.of("url", "not a url"),
                Map.of("url", "https://user:pw@example.com/hook"), Map.of("url", "http:///nohost"),
                Map.of("url", "https://example.com/hook", "event_types", List.of("template.exploded")),
                Map.of("url", "https://example.com/" + "x".repeat(2100)))) {
            create(c, body).statusCode(400).body("success", equalTo(false)).body("message", not(equalTo(null)));
        }
        endpoints(c).contentType(ContentType.JSON).body("[1,2]").post("/api/v3/workspaces/{ws}/webhooks",
                c.workspace().id()).then().statusCode(400).body("success", equalTo(false));
        assertThat(endpointIds(c)).isEmpty();
        endpoints(c).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .patch("/api/v3/workspaces/{ws}/webhooks/{id}", c.workspace().id(), java.util.UUID.randomUUID())
                .then().statusCode(404).body("success", equalTo(false));
        endpoints(c).delete("/api/v3/workspaces/{ws}/webhooks/{id}", c.workspace().id(), "nope").then()
                .statusCode(404).body("success", equalTo(false));
        endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}/deliveries?status=LOST", c.workspace().id(),
                java.util.UUID.randomUUID()).then().statusCode(400).body("success", equalTo(false));
    }

    static io.restassured.response.ValidatableResponse create(Connected c, Object body) {
        return endpoints(c).contentType(ContentType.JSON).body(body)
                .post("/api/v3/workspaces/{ws}/webhooks", c.workspace().id()).then();
    }

    static io.restassured.specification.RequestSpecification endpoints(Connected c) {
        return given().header("Authorization", "Bearer " + c.workspace().apiKey());
    }

    static List<String> endpointIds(Connected c) {
        return endpoints(c).get("/api/v3/workspaces/{ws}/webhooks", c.workspace().id()).then().statusCode(200)
                .extract().jsonPath().getList("data.id", String.class);
    }

    static JsonPath deliveries(Connected c, String endpoint) {
        return endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}/deliveries", c.workspace().id(), endpoint)
                .then().statusCode(200).extract().jsonPath();
    }
}
