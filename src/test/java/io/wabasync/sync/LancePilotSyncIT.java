package io.wabasync.sync;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same checks against the packaged application (the jar here, the native binary where GraalVM is). */
@QuarkusIntegrationTest
class LancePilotSyncIT extends LancePilotSyncTest {
}
