package io.wabasync.outbound;

import static io.wabasync.outbound.OutboundWebhooksTest.create;
import static io.wabasync.outbound.OutboundWebhooksTest.deliveries;
import static io.wabasync.outbound.OutboundWebhooksTest.endpointIds;
import static io.wabasync.outbound.OutboundWebhooksTest.endpoints;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.channel.TokenCipher;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.MetaWebhooks;
import io.wabasync.testing.WebhookReceiver;

/**
 * Endpoints on loopback, private, link-local or metadata addresses are refused when they are
 * created and again when a delivery would be sent (a name may resolve elsewhere by then), with no
 * host allowed by the operator. An endpoint that fails for longer than the retry period is disabled.
 */
@QuarkusTest
@TestProfile(OutboundAddressRefusalTest.NothingAllowed.class)
@WithTestResource(FakeMetaResource.class)
class OutboundAddressRefusalTest {

    public static class NothingAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // 127.0.0.2 only, for the receiver of the give-up test: 127.0.0.1 and localhost stay refused.
            return Map.of("wabasync.outbound.allowed-hosts", "127.0.0.2", "wabasync.outbound-webhooks.retry-for", "4s");
        }
    }

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @Inject
    TokenCipher cipher;

    @Test
    void internalAddressesAreRefusedWhenTheEndpointIsCreated() {
        Connected c = Fixtures.connectedChannel(meta);
        for (String url : List.of("http://127.0.0.1:8080/hook", "https://10.1.2.3/hook", "http://10.255.0.1:9000/",
                "http://169.254.169.254/latest/meta-data/", "http://localhost/hook", "http://[::1]/hook",
                "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/hook", "http://192.168.0.10/", "http://172.16.5.4/",
                "http://100.64.0.1/", "http://[fd00:ec2::254]/")) {
            create(c, Map.of("url", url)).statusCode(400).body("success", equalTo(false))
                    .body("message", containsString("loopback, private, link-local or metadata"));
        }
        create(c, Map.of("url", "http://no-such-host.invalid/hook")).statusCode(400)
                .body("message", containsString("does not resolve"));
        assertThat(endpointIds(c)).isEmpty();
    }

    @Test
    void aNameThatResolvesToLoopbackAtSendTimeIsNotCalledAndAnEndpointFailingTooLongIsDisabled() {
        Connected c = Fixtures.connectedChannel(meta);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            // As if the name had resolved to a public address when the endpoint was made, and now
            // resolves to loopback (DNS rebinding): the row is written as the service would have.
            UUID endpoint = insertEndpoint(c, "http://localhost:" + receiver.port() + "/hook", true);
            // Disabled by its owner: collects nothing.
            UUID switchedOff = insertEndpoint(c, "http://localhost:" + receiver.port() + "/off", false);

            meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("rebind", 1, "PENDING"));
            TwoChatSyncTest.startSync(c).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(c, endpoint.toString())
                    .getList("data.attempts", Integer.class).stream().anyMatch(n -> n >= 1));
            JsonPath log = deliveries(c, endpoint.toString());
            assertThat(log.getString("data[0].attempt_log[0].error")).contains("refused");
            assertThat(log.getString("data[0].attempt_log[0].status_code")).isNull();

            // Failing for longer than the retry period (4 s here): the endpoint is disabled, saying why, and
            // its event is kept, not given up.
            await().atMost(Duration.ofSeconds(20)).until(() -> !endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}",
                    c.workspace().id(), endpoint).then().extract().<Boolean>path("data.enabled"));
            endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}", c.workspace().id(), endpoint).then()
                    .statusCode(200).body("data.enabled", equalTo(false))
                    .body("data.disabled_reason", containsString("every delivery failed since"))
                    .body("data.disabled_reason", containsString("refused"));
            JsonPath failing = deliveries(c, endpoint.toString());
            assertThat(failing.getString("data[0].status")).isEqualTo("PENDING");
            assertThat(failing.getInt("data[0].attempts")).isGreaterThanOrEqualTo(2);
            assertThat(receiver.received()).isEmpty();

            // Disabled by the service, it still collects what happens, to send once enabled again.
            ObjectNode t = meta.waba(c.wabaId()).templates().get(0);
            MetaWebhooks.post(MetaWebhooks.delivery(c.wabaId(), Instant.now().plusSeconds(1), MetaWebhooks.statusChange(
                    t.get("id").asText(), t.get("name").asText(), "en-US", "APPROVED", null))).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(c, endpoint.toString()).getList("data")
                    .size() == 2);
            JsonPath kept = deliveries(c, endpoint.toString());
            assertThat(kept.getString("data[0].status")).isEqualTo("PENDING");
            assertThat(kept.getInt("data[0].attempts")).isZero();
            assertThat(kept.getString("data[0].event_type")).isEqualTo("template.status_updated");
            assertThat(deliveries(c, switchedOff.toString()).getList("data")).isEmpty();
        }
    }

    @Test
    void anEventThatKeepsFailingWhileTheEndpointAnswersOthersIsGivenUpAndTheEndpointStaysEnabled() {
        Connected c = Fixtures.connectedChannel(meta);
        List<ObjectNode> atMeta = TwoChatSyncTest.templates("poison", 2, "PENDING");
        String poison = atMeta.get(0).get("id").asText();
        try (WebhookReceiver receiver = WebhookReceiver.startOn("127.0.0.2", 0)
                .refuse(r -> r.json().at("/data/change/provider_id").asText().equals(poison))) {
            create(c, Map.of("url", receiver.url(), "event_types", List.of("template.created",
                    "template.status_updated"))).statusCode(201);
            String endpoint = endpointIds(c).get(0);
            meta.waba(c.wabaId()).templates(atMeta);
            TwoChatSyncTest.startSync(c).statusCode(200);

            // The other template keeps changing, and those deliveries are answered: the endpoint works.
            ObjectNode other = atMeta.get(1);
            java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
            Instant base = Instant.now();
            await().pollInterval(Duration.ofMillis(700)).atMost(Duration.ofSeconds(30)).until(() -> {
                int n = changes.incrementAndGet();
                MetaWebhooks.post(MetaWebhooks.delivery(c.wabaId(), base.plusSeconds(n), MetaWebhooks.statusChange(
                        other.get("id").asText(), other.get("name").asText(), "en-US",
                        n % 2 == 0 ? "APPROVED" : "PAUSED", null))).statusCode(200);
                return deliveries(c, endpoint).getList("data.status", String.class).contains("FAILED");
            });
            JsonPath log = endpoints(c).queryParam("status", "FAILED")
                    .get("/api/v3/workspaces/{ws}/webhooks/{id}/deliveries", c.workspace().id(), endpoint)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(log.getList("data")).hasSize(1);
            assertThat(log.getString("data[0].event_type")).isEqualTo("template.created");
            assertThat(log.getInt("data[0].attempts")).isGreaterThanOrEqualTo(3);
            assertThat(log.getList("data[0].attempt_log.status_code", Integer.class)).containsOnly(500);
            endpoints(c).get("/api/v3/workspaces/{ws}/webhooks/{id}", c.workspace().id(), endpoint).then()
                    .body("data.enabled", equalTo(true)).body("data.disabled_reason", equalTo(null));
            assertThat(given().get("/q/metrics").then().extract().asString())
                    .containsPattern("wabasync_outbound_deliveries_total\\{outcome=\"gave_up\"} [1-9]");
        }
    }

    private UUID insertEndpoint(Connected c, String url, boolean enabled) {
        UUID endpoint = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        pool.preparedQuery("""
                INSERT INTO outbound_endpoint (id, workspace_id, url, description, event_types, enabled, secret,
                                               created_at, updated_at)
                VALUES ($1, $2, $3, '', '{}', $4, $5, $6, $6)
                """).execute(Tuple.of(endpoint, UUID.fromString(c.workspace().id()), url, enabled,
                io.vertx.core.buffer.Buffer.buffer(cipher.encrypt("whsec_" + java.util.Base64.getEncoder()
                        .encodeToString(new byte[32]))), now))
                .await().atMost(Duration.ofSeconds(10));
        return endpoint;
    }
}
