package io.wabasync.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts the fake Meta before the application and points the Meta client at it. */
public class FakeMetaResource implements QuarkusTestResourceLifecycleManager {

    /** Small pages, so that a few dozen templates already span several pages. */
    public static final int PAGE_SIZE = 10;

    /** Short, so that a Meta that does not answer fails a test sync quickly. */
    public static final int READ_TIMEOUT_MS = 1500;

    private FakeMeta fakeMeta;

    @Override
    public Map<String, String> start() {
        fakeMeta = new FakeMeta();
        fakeMeta.start();
        // Also what the packaged application (prod profile, run by the *IT twins) needs for tests.
        return Map.of(
                "wabasync.meta.base-url", fakeMeta.baseUrl(),
                "wabasync.meta.page-size", String.valueOf(PAGE_SIZE),
                "quarkus.rest-client.meta.read-timeout", String.valueOf(READ_TIMEOUT_MS),
                "wabasync.admin-token", Fixtures.ADMIN_TOKEN,
                "wabasync.encryption-key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                "wabasync.reconcile.tick", "off",
                "wabasync.sync.sweep-every", "off");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(fakeMeta,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeMeta.class, FakeMeta.class));
    }

    @Override
    public void stop() {
        if (fakeMeta != null) {
            fakeMeta.stop();
        }
    }
}
