package io.wabasync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/**
 * Meta failing in the ways the contract names: each ends the job FAILED with Meta's own words, and
 * leaves what was stored before exactly as it was.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class MetaFailuresTest {

    @InjectFakeMeta
    FakeMeta meta;

    @ParameterizedTest
    @CsvSource({
            "400, 4, Application request limit reached",
            "400, 80007, Rate limit hit for this WhatsApp Business Account",
            "429, 80008, Too many calls for this WhatsApp Business Account",
            "400, 100, Unsupported get request. Object does not exist",
            "403, 200, Permission denied",
            "500, 1, An unknown error occurred" })
    void graphErrorOnALaterPageFailsTheJobAndKeepsTheTemplates(int httpStatus, int code, String message) {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("rl", 25, "PENDING"));
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");

        waba.templates(new java.util.ArrayList<>(waba.templates().subList(0, 5))).failPageWithGraphError(1, httpStatus, code, message);
        TwoChatSyncTest.startSync(c).statusCode(200);
        JsonPath job = TwoChatSyncTest.awaitFinished(c);

        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("Meta error " + code).contains("HTTP " + httpStatus).contains(message);
        assertThat(job.getInt("removed")).isZero();
        assertThat(TwoChatSyncTest.listAll(c)).hasSize(25);
    }

    @Test
    void metaThatDoesNotAnswerInTimeFailsTheJob() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("slow", 3, "APPROVED"))
                .delay(Duration.ofMillis(FakeMetaResource.READ_TIMEOUT_MS * 2L));

        TwoChatSyncTest.startSync(c).statusCode(200);
        JsonPath job = TwoChatSyncTest.awaitFinished(c);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("did not answer in time");
        assertThat(TwoChatSyncTest.listAll(c)).isEmpty();
    }

    @Test
    void nonJsonErrorPageFromAProxyFailsTheJobWithTheStatus() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("gw", 3, "APPROVED"))
                .failPage(1, 502, "<html><body>Bad Gateway</body></html>", Integer.MAX_VALUE);

        TwoChatSyncTest.startSync(c).statusCode(200);
        JsonPath job = TwoChatSyncTest.awaitFinished(c);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).isEqualTo("Meta answered HTTP 502");
    }

    @Test
    void aFailedSyncDoesNotBlockTheNextOne() {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("again", 14, "APPROVED"))
                .failPageWithGraphError(2, 500, 2, "Please retry your request");
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("FAILED");

        waba.clearFaults();
        TwoChatSyncTest.startSync(c).statusCode(200);
        JsonPath job = TwoChatSyncTest.awaitFinished(c);
        assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
        List<Map<String, Object>> stored = TwoChatSyncTest.listAll(c);
        assertThat(stored).hasSize(14);
    }
}
