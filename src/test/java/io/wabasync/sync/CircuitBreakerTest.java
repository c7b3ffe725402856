package io.wabasync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/** The breaker opens on Meta-wide trouble only, fails fast while open, and closes again. */
@QuarkusTest
@TestProfile(CircuitBreakerTest.SmallBreaker.class)
@WithTestResource(FakeMetaResource.class)
class CircuitBreakerTest {

    /** A breaker that opens after 4 calls half of which failed, and tries again after 1.5 s. */
    public static class SmallBreaker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String prefix = "quarkus.fault-tolerance.\"io.wabasync.meta.MetaClient/templatePage\".";
            Map<String, String> overrides = new HashMap<>();
            for (String p : new String[] { "", "%test." }) {
                overrides.put(p + prefix + "retry.max-retries", "0");
                overrides.put(p + prefix + "circuit-breaker.request-volume-threshold", "4");
                overrides.put(p + prefix + "circuit-breaker.failure-ratio", "0.5");
                overrides.put(p + prefix + "circuit-breaker.delay", "1500");
                overrides.put(p + prefix + "circuit-breaker.delay-unit", "millis");
                overrides.put(p + prefix + "circuit-breaker.success-threshold", "1");
            }
            return overrides;
        }
    }

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void closeBreakers() {
        breakers.resetAll();
    }

    @Test
    void badTokensOfSomeCustomersDoNotCutOffTheOthers() {
        for (int i = 0; i < 8; i++) {
            Connected bad = Fixtures.connectedChannel(meta);
            meta.waba(bad.wabaId(), "EAAGsomething-else").templates(TwoChatSyncTest.templates("bad", 2, "APPROVED"));
            assertThat(sync(bad).getString("error")).contains("Meta error 190");
        }
        Connected good = Fixtures.connectedChannel(meta);
        meta.waba(good.wabaId()).templates(TwoChatSyncTest.templates("good", 2, "APPROVED"));
        assertThat(sync(good).getString("status")).isEqualTo("SUCCEEDED");
    }

    @Test
    void metaWideFailuresOpenTheBreakerWhichFailsFastThenRecovers() {
        for (int i = 0; i < 4; i++) {
            Connected down = Fixtures.connectedChannel(meta);
            meta.waba(down.wabaId()).templates(TwoChatSyncTest.templates("down", 2, "APPROVED"))
                    .failPage(1, 500, "{\"error\":{\"message\":\"Please retry\",\"code\":2}}", Integer.MAX_VALUE);
            assertThat(sync(down).getString("status")).isEqualTo("FAILED");
        }

        Connected good = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(good.wabaId()).templates(TwoChatSyncTest.templates("good", 2, "APPROVED"));
        JsonPath failedFast = sync(good);
        assertThat(failedFast.getString("status")).isEqualTo("FAILED");
        assertThat(failedFast.getString("error")).contains("circuit open");
        assertThat(waba.requests()).isZero();

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> "SUCCEEDED".equals(sync(good).getString("status")));
        assertThat(waba.requests()).isEqualTo(1);
    }

    private static JsonPath sync(Connected c) {
        TwoChatSyncTest.startSync(c).statusCode(200);
        return TwoChatSyncTest.awaitFinished(c);
    }
}
