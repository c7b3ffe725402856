package io.wabasync.common;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.wabasync.testing.FakeMetaResource;

@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class DurabilityTest {

    @Inject
    Pool pool;

    /** The embedded server defaults to asynchronous commits; the service's own connections must not. */
    @Test
    void applicationConnectionsCommitSynchronously() {
        String value = pool.query("SHOW synchronous_commit").execute()
                .map(rows -> rows.iterator().next().getString(0))
                .await().atMost(java.time.Duration.ofSeconds(10));
        assertThat(value).isEqualTo("on");
    }
}
