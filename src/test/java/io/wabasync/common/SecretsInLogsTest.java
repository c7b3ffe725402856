package io.wabasync.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.WebhookReceiver;
import io.wabasync.testing.MetaWebhooks;

/**
 * Runs every kind of call, successful and failing, then reads the application's log file: no access
 * token, API key or admin token may be in it.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class SecretsInLogsTest {

    private static final Path LOG = Path.of("target", "quarkus-test.log");

    @InjectFakeMeta
    FakeMeta meta;

    @Test
    void noSecretEverReachesTheLog() throws Exception {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("log", 12, "PENDING"));
        TwoChatSyncTest.startSync(c).statusCode(200);
        String jobId = TwoChatSyncTest.awaitFinished(c).getString("sync_id");
        meta.waba(c.wabaId()).templates().forEach(t -> t.put("status", "APPROVED"));
        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .post("/api/v3/workspaces/{ws}/templates/sync", c.workspace().id()).then().statusCode(200);

        // Failures, which are logged: a rejected token at Meta, bad keys, a bad admin token, bad bodies.
        meta.waba(c.wabaId(), "EAAGnot-the-stored-one");
        TwoChatSyncTest.startSync(c).statusCode(200);
        TwoChatSyncTest.awaitFinished(c);
        given().header("X-User-API-Key", c.workspace().apiKey() + "x").get("/open/waba/templates").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Fixtures.ADMIN_TOKEN + "x")
                .body(Map.of("name", "x")).post("/admin/workspaces").then().statusCode(401);
        given().contentType(ContentType.JSON).header("X-User-API-Key", c.workspace().apiKey())
                .body("{\"phone_number\": \"+15550001111\", \"waba_id\": \"123456\", \"access_token\": " + "\"" + c.token())
                .post("/api/v3/workspaces/{ws}/channels", c.workspace().id()).then().statusCode(400);
        given().contentType(ContentType.JSON).header("X-User-API-Key", c.workspace().apiKey())
                .body(Map.of("access_token", c.token() + "-rotated"))
                .patch("/api/v3/workspaces/{ws}/channels/{id}", c.workspace().id(), c.channelId()).then().statusCode(200);

        // Meta's side: a handshake with a wrong token, a forged delivery and a good one.
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", MetaWebhooks.VERIFY_TOKEN + "x")
                .queryParam("hub.challenge", "42").get("/webhooks/meta").then().statusCode(403);
        String delivery = MetaWebhooks.delivery(c.wabaId(), Instant.now(),
                MetaWebhooks.statusChange(meta.waba(c.wabaId()).templates().get(0).get("id").asText(), "log", "en-US",
                        "PAUSED", "NONE"));
        given().contentType(ContentType.JSON).header("X-Hub-Signature-256", MetaWebhooks.signature(delivery, "forged"))
                .body(delivery).post("/webhooks/meta").then().statusCode(403);
        MetaWebhooks.post(delivery).statusCode(200);

        // Outbound webhooks: an endpoint's secret, its rotation, signed deliveries, one answered 500.
        String secret;
        String rotated;
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(500)) {
            secret = given().contentType(ContentType.JSON).header("X-User-API-Key", c.workspace().apiKey())
                    .body(Map.of("url", receiver.url())).post("/api/v3/workspaces/{ws}/webhooks", c.workspace().id())
                    .then().statusCode(201).extract().path("data.secret");
            String endpoint = given().header("X-User-API-Key", c.workspace().apiKey())
                    .get("/api/v3/workspaces/{ws}/webhooks", c.workspace().id()).then().extract().path("data[0].id");
            rotated = given().header("X-User-API-Key", c.workspace().apiKey())
                    .post("/api/v3/workspaces/{ws}/webhooks/{id}/rotate-secret", c.workspace().id(), endpoint)
                    .then().statusCode(200).extract().path("data.secret");
            meta.waba(c.wabaId(), c.token() + "-rotated").templates().add(TwoChatSyncTest.templates("logged", 1,
                    "PENDING").get(0));
            TwoChatSyncTest.startSync(c).statusCode(200);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                    .until(() -> receiver.received().size() >= 2);
        }

        String log = Files.readString(LOG);
        assertThat(log).doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
        assertThat(log).doesNotContain(rotated).doesNotContain(rotated.substring("whsec_".length()));
        assertThat(log).as("the log is captured").contains(jobId);
        assertThat(log).doesNotContain(c.token());
        assertThat(log).doesNotContain(c.workspace().apiKey());
        assertThat(log).doesNotContain(Fixtures.ADMIN_TOKEN);
        assertThat(log).doesNotContain(MetaWebhooks.APP_SECRET);
        assertThat(log).doesNotContain(MetaWebhooks.VERIFY_TOKEN);
    }
}
