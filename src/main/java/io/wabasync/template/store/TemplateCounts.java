package io.wabasync.template.store;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.common.BackgroundRounds;

/**
 * Keeps the kept counts of listed templates short to read. Triggers on {@code template} append a
 * delta per channel and status in every transaction that changes listed rows (schema version 7);
 * a reader sums a key's deltas. Each tick folds the keys of the channels that gathered more than a
 * few deltas into one row per key, in one statement, so a reader sees the same sum before and after
 * and a key whose sum is zero disappears.
 *
 * <p>Every replica folds; two folds at once are safe: the second one's delete waits for the first
 * one's rows, finds them gone and skips them, and deltas appended meanwhile are outside both.
 */
@ApplicationScoped
public class TemplateCounts {

    /** A channel with more delta rows than this is folded on the next tick. */
    static final int FOLD_ABOVE = 8;

    private static final String FOLD = """
            WITH busy AS (
                SELECT channel_id FROM template_count GROUP BY channel_id HAVING count(*) > $1 LIMIT 500),
            folded AS (
                DELETE FROM template_count WHERE channel_id IN (SELECT channel_id FROM busy)
                RETURNING channel_id, workspace_id, status, n)
            INSERT INTO template_count (channel_id, workspace_id, status, n)
            SELECT channel_id, workspace_id, status, sum(n) FROM folded GROUP BY 1, 2, 3 HAVING sum(n) <> 0
            """;

    private final Pool pool;
    private final BackgroundRounds rounds;

    TemplateCounts(Pool pool, BackgroundRounds rounds) {
        this.pool = pool;
        this.rounds = rounds;
    }

    @Scheduled(identity = "fold-template-counts", every = "${wabasync.template-counts.fold-every:10s}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onTick() {
        return rounds.run("Folding of kept template counts", () -> fold().replaceWithVoid());
    }

    /** One fold of the busiest channels' deltas; how many rows it wrote back. */
    public Uni<Integer> fold() {
        return pool.preparedQuery(FOLD).execute(Tuple.of(FOLD_ABOVE))
                .map(rows -> rows.rowCount());
    }
}
