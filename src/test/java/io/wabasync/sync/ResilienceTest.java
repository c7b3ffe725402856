package io.wabasync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.job.JobSweeper;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/** What the service does when Meta, or a job's own instance, misbehaves. */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class ResilienceTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @Inject
    JobSweeper sweeper;

    @Test
    void transientFailuresAreRetried() {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("tr", 25, "APPROVED"))
                .failPage(2, 503, "<html>Service Unavailable</html>", 2);

        JsonPath job = sync(c);
        assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(job.getInt("templates_seen")).isEqualTo(25);
        assertThat(waba.requests()).isEqualTo(3 + 2); // three pages, page 2 twice more
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void graphCodes1And2AreRetried(int code) {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("g" + code, 5, "APPROVED"))
                .failPage(1, 500, graphError(code, "An unexpected error occurred. Please retry your request"), 1);

        assertThat(sync(c).getString("status")).isEqualTo("SUCCEEDED");
        assertThat(waba.requests()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({ "401, 190", "400, 100", "403, 200", "403, 10", "400, 294" })
    void permanentErrorsAreNotRetried(int status, int code) {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("p", 5, "APPROVED"))
                .failPage(1, status, graphError(code, "refused"), Integer.MAX_VALUE);

        JsonPath job = sync(c);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("Meta error " + code);
        assertThat(waba.requests()).isEqualTo(1);
    }

    @Test
    void wrongWabaIdSaysSo() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).failPage(1, 400, graphError(100, "Unsupported get request. Object with ID '"
                + c.wabaId() + "' does not exist"), Integer.MAX_VALUE);

        assertThat(sync(c).getString("error")).contains("Meta error 100").contains("check the channel's waba_id");
    }

    @Test
    void expiredTokenMarksTheChannelAndANewTokenClearsIt() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("tok", 3, "APPROVED"));
        meta.waba(c.wabaId(), "EAAGrotated"); // Meta now only accepts a new token

        assertThat(sync(c).getString("error")).contains("Meta error 190").contains("needs a new access token");
        Map<String, Object> channel = channel(c);
        assertThat(channel).containsEntry("status", "NEEDS_REAUTH");
        assertThat((String) channel.get("status_reason")).contains("Invalid OAuth access token");

        given().contentType(ContentType.JSON).header("X-User-API-Key", c.workspace().apiKey())
                .body(Map.of("access_token", "EAAGrotated"))
                .patch("/api/v3/workspaces/{ws}/channels/{id}", c.workspace().id(), c.channelId())
                .then().statusCode(200).body("status", equalTo("ACTIVE"));
        assertThat(sync(c).getString("status")).isEqualTo("SUCCEEDED");
        assertThat(channel(c)).containsEntry("status", "ACTIVE").containsEntry("status_reason", null);
    }

    @Test
    void patchNeedsSomethingValid() {
        Connected c = Fixtures.connectedChannel(meta);
        given().contentType(ContentType.JSON).header("X-User-API-Key", c.workspace().apiKey()).body(Map.of())
                .patch("/api/v3/workspaces/{ws}/channels/{id}", c.workspace().id(), c.channelId())
                .then().statusCode(400).body("success", equalTo(false));
        given().contentType(ContentType.JSON).header("X-User-API-Key", c.workspace().apiKey())
                .body(Map.of("waba_id", "not a number"))
                .patch("/api/v3/workspaces/{ws}/channels/{id}", c.workspace().id(), c.channelId())
                .then().statusCode(400).body("success", equalTo(false));
        Fixtures.Workspace other = Fixtures.workspace();
        given().contentType(ContentType.JSON).header("X-User-API-Key", other.apiKey())
                .body(Map.of("access_token", "EAAGx"))
                .patch("/api/v3/workspaces/{ws}/channels/{id}", other.id(), c.channelId())
                .then().statusCode(404);
    }

    @Test
    void shortRateLimitIsWaitedOutThenTheSyncGoesOn() {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("rl", 15, "APPROVED"))
                .failPage(2, 400, graphError(80007, "Rate limit hit for WhatsApp Business Account"), 1);

        assertThat(sync(c).getString("status")).isEqualTo("SUCCEEDED");
        assertThat(waba.requests()).isEqualTo(3); // page 2 once refused, asked again once after the wait
    }

    @Test
    void longRateLimitFailsTheJobAndKeepsAwayFromMetaUntilThen() {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("rl", 5, "APPROVED"))
                .usage(100, 2)
                .failPage(1, 400, graphError(4, "Application request limit reached"), Integer.MAX_VALUE);

        JsonPath job = sync(c);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("Meta error 4");
        assertThat(waba.requests()).isEqualTo(1);
        Instant blockedUntil = Instant.parse((String) channel(c).get("meta_blocked_until"));
        assertThat(blockedUntil).isAfter(Instant.now().plusSeconds(60));

        // Another trigger before then does not call Meta at all.
        JsonPath again = sync(c);
        assertThat(again.getString("status")).isEqualTo("FAILED");
        assertThat(again.getString("error")).contains("not calling it before");
        assertThat(waba.requests()).isEqualTo(1);
    }

    @Test
    void usageNearTheLimitStopsAfterThePageInHand() {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("u", 25, "APPROVED"))
                .usage(97, 5);

        JsonPath job = sync(c);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("near its limit").contains("5 min");
        assertThat(waba.requests()).isEqualTo(1);
        assertThat(TwoChatSyncTest.listAll(c)).hasSize(10); // the page Meta did serve is kept
    }

    @Test
    void http429WithoutABodyIsARateLimit() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("t", 3, "APPROVED"))
                .failPage(1, 429, "", Integer.MAX_VALUE);

        JsonPath job = sync(c);
        assertThat(job.getString("error")).contains("HTTP 429");
        assertThat(channel(c).get("meta_blocked_until")).isNotNull();
    }

    @Test
    void aJobLeftRunningByADeadInstanceDoesNotBlockTheChannel() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("ab", 3, "APPROVED"));
        UUID dead = insertRunningJob(c, Duration.ofMinutes(10));

        TwoChatSyncTest.startSync(c).statusCode(200)
                .body("message", equalTo("Template sync started in background. Please wait."));
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        given().header("X-User-API-Key", c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/sync-jobs/{id}", c.workspace().id(), dead)
                .then().statusCode(200)
                .body("data.status", equalTo("FAILED"))
                .body("data.error", org.hamcrest.Matchers.startsWith("Abandoned"));
    }

    @Test
    void aJobWithAFreshHeartbeatIsStillTheRunningOne() {
        Connected c = Fixtures.connectedChannel(meta);
        UUID alive = insertRunningJob(c, Duration.ZERO);
        TwoChatSyncTest.startSync(c).statusCode(200)
                .body("message", equalTo("Template sync is already in progress. Please wait."))
                .body("sync_id", equalTo(alive.toString()));
        endJob(alive);
    }

    @Test
    void theSweeperEndsAbandonedJobsOnItsOwn() throws Throwable {
        Connected c = Fixtures.connectedChannel(meta);
        UUID dead = insertRunningJob(c, Duration.ofMinutes(10));
        int swept = VertxContextSupport.subscribeAndAwait(() -> sweeper.failAbandoned());
        assertThat(swept).isGreaterThanOrEqualTo(1);
        given().header("X-User-API-Key", c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/sync-jobs/{id}", c.workspace().id(), dead)
                .then().statusCode(200).body("data.status", equalTo("FAILED"));
    }

    @Test
    void aJobEndedElsewhereStopsWritingAndRemovesNothing() {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("el", 30, "APPROVED"));
        assertThat(sync(c).getString("status")).isEqualTo("SUCCEEDED");
        waba.templates(new java.util.ArrayList<>(waba.templates().subList(0, 25))).delay(Duration.ofMillis(400));

        String jobId = TwoChatSyncTest.startSync(c).statusCode(200).extract().path("sync_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> TwoChatSyncTest.status(c).getInt("pages") >= 1);
        endJob(UUID.fromString(jobId));
        int requestsAtEnd = waba.requests();

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> waba.requests() <= requestsAtEnd + 1);
        JsonPath job = TwoChatSyncTest.status(c);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).isEqualTo("ended by the test");
        assertThat(TwoChatSyncTest.listAll(c)).hasSize(30); // the five Meta dropped are not removed
        waba.clearFaults();
    }

    // --- helpers ---------------------------------------------------------------------------

    private static JsonPath sync(Connected c) {
        TwoChatSyncTest.startSync(c).statusCode(200);
        return TwoChatSyncTest.awaitFinished(c);
    }

    private static Map<String, Object> channel(Connected c) {
        return given().header("X-User-API-Key", c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/channels", c.workspace().id())
                .then().statusCode(200).extract().jsonPath().getMap("data.find { it.id == '" + c.channelId() + "' }");
    }

    private UUID insertRunningJob(Connected c, Duration heartbeatAge) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO sync_job (id, workspace_id, channel_id, kind, status, runner, started_at, heartbeat_at)
                VALUES ($1, $2, $3, 'FULL', 'RUNNING', 'dead-host/1', now() - $4 * interval '1 millisecond',
                        now() - $4 * interval '1 millisecond')
                """).execute(Tuple.of(id, UUID.fromString(c.workspace().id()), UUID.fromString(c.channelId()),
                heartbeatAge.toMillis())).await().atMost(Duration.ofSeconds(5));
        return id;
    }

    private void endJob(UUID id) {
        pool.preparedQuery("UPDATE sync_job SET status = 'FAILED', error = 'ended by the test', finished_at = now() "
                + "WHERE id = $1").execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5));
    }

    private static String graphError(int code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
                + ",\"fbtrace_id\":\"AXsgnV2Cm3ZMGF3dF_cfYIn\"}}";
    }
}
