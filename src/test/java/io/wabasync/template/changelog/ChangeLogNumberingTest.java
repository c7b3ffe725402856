package io.wabasync.template.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/**
 * The change log's numbers are given at commit, once per transaction: a transaction's changes get
 * consecutive numbers in the order they were written, and a transaction that commits later gets
 * higher numbers than one that committed before it, whenever each began. A client resuming after the
 * highest number it saw therefore never skips a change.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class ChangeLogNumberingTest {

    private static final String CHANGE = """
            SELECT wabasync_template_change_notify($1, $2, 'OLD', $3, 'TEST', now(), $4)
            """;

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @Test
    void aTransactionsChangesAreNumberedTogetherInWrittenOrderAfterThoseCommittedBeforeIt() {
        Connected c = Fixtures.syncedChannel(meta, TwoChatSyncTest.templates("numbered", 2, "PENDING"));
        List<UUID> templates = pool.preparedQuery("SELECT id FROM template WHERE channel_id = $1 ORDER BY name")
                .execute(Tuple.of(UUID.fromString(c.channelId()))).await().indefinitely().stream()
                .map(row -> row.getUUID(0)).toList();
        UUID early1 = UUID.randomUUID();
        UUID early2 = UUID.randomUUID();
        UUID early3 = UUID.randomUUID();
        UUID late = UUID.randomUUID();

        // The early transaction writes first but commits last.
        SqlConnection early = pool.getConnection().await().indefinitely();
        SqlConnection other = pool.getConnection().await().indefinitely();
        try {
            early.query("BEGIN").execute().await().indefinitely();
            change(early, templates.get(0), "category", "UTILITY", early1);
            change(early, templates.get(0), "quality_score", "GREEN", early2);
            change(early, templates.get(1), "category", "MARKETING", early3);
            other.query("BEGIN").execute().await().indefinitely();
            change(other, templates.get(1), "quality_score", "RED", late);
            other.query("COMMIT").execute().await().indefinitely();
            early.query("COMMIT").execute().await().indefinitely();
        } finally {
            early.close().await().indefinitely();
            other.close().await().indefinitely();
        }

        List<Long> seqs = new ArrayList<>();
        for (UUID event : List.of(late, early1, early2, early3)) {
            seqs.add(pool.preparedQuery("SELECT seq FROM template_change_log WHERE event_id = $1")
                    .execute(Tuple.of(event)).await().indefinitely().iterator().next().getLong(0));
        }
        assertThat(seqs).doesNotContainNull().isSorted();
        assertThat(seqs.get(2)).isEqualTo(seqs.get(1) + 1);
        assertThat(seqs.get(3)).isEqualTo(seqs.get(2) + 1);
        assertThat(pool.query("SELECT count(*) FROM template_change_log WHERE seq IS NULL").execute().await()
                .indefinitely().iterator().next().getLong(0)).as("nothing left unnumbered").isZero();
        assertThat(pool.query("SELECT count(*) FROM template_change_commit").execute().await().indefinitely()
                .iterator().next().getLong(0)).as("no marker outlives its commit").isZero();
    }

    @Test
    void aRolledBackTransactionLeavesNeitherChangesNorMarker() {
        Connected c = Fixtures.syncedChannel(meta, TwoChatSyncTest.templates("rolled", 1, "PENDING"));
        UUID template = pool.preparedQuery("SELECT id FROM template WHERE channel_id = $1")
                .execute(Tuple.of(UUID.fromString(c.channelId()))).await().indefinitely().iterator().next().getUUID(0);
        UUID event = UUID.randomUUID();
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            connection.query("BEGIN").execute().await().indefinitely();
            change(connection, template, "category", "UTILITY", event);
            connection.query("ROLLBACK").execute().await().indefinitely();
        } finally {
            connection.close().await().indefinitely();
        }
        assertThat(pool.preparedQuery("SELECT count(*) FROM template_change_log WHERE event_id = $1")
                .execute(Tuple.of(event)).await().indefinitely().iterator().next().getLong(0)).isZero();
        assertThat(pool.query("SELECT count(*) FROM template_change_commit").execute().await().indefinitely()
                .iterator().next().getLong(0)).isZero();
    }

    private static void change(SqlConnection connection, UUID template, String field, String value, UUID event) {
        connection.preparedQuery(CHANGE).execute(Tuple.of(template, field, value, event)).await().indefinitely();
    }
}
