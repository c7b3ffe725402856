package io.wabasync.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Hands out channels whose scheduled reconciliation is due, so that replicas split them: one
 * statement picks due, healthy channels with templates waiting on Meta (PENDING, IN_APPEAL,
 * PENDING_DELETION, UPDATING) and no running full sync, skips any another
 * replica has locked at that moment, and pushes their due time one period forward.
 */
@ApplicationScoped
class DueChannels {

    private static final String CLAIM = """
            WITH due AS (
                SELECT c.id FROM channel c
                WHERE c.reconcile_due_at <= now()
                  AND c.status = 'ACTIVE'
                  AND (c.meta_blocked_until IS NULL OR c.meta_blocked_until <= now())
                  AND EXISTS (SELECT 1 FROM template t
                              WHERE t.channel_id = c.id AND t.removed_at IS NULL
                                AND t.status IN ('PENDING', 'IN_APPEAL', 'PENDING_DELETION', 'UPDATING'))
                  AND NOT EXISTS (SELECT 1 FROM sync_job j
                                  WHERE j.channel_id = c.id AND j.status = 'RUNNING' AND j.kind = 'FULL')
                ORDER BY c.reconcile_due_at
                LIMIT $1
                FOR UPDATE OF c SKIP LOCKED
            )
            UPDATE channel c SET reconcile_due_at = now() + ($2 * interval '1 millisecond')
            FROM due WHERE c.id = due.id
            RETURNING c.id, c.workspace_id, c.waba_id, c.access_token_enc, c.meta_blocked_until
            """;

    private final Pool pool;

    DueChannels(Pool pool) {
        this.pool = pool;
    }

    Uni<List<SyncTarget>> claim(int limit, Duration period) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(limit, period.toMillis())).map(rows -> {
            List<SyncTarget> targets = new ArrayList<>(rows.size());
            for (Row row : rows) {
                targets.add(new SyncTarget(row.getUUID("workspace_id"), row.getUUID("id"), row.getString("waba_id"),
                        row.getBuffer("access_token_enc").getBytes(), null, row.getValue("meta_blocked_until") == null));
            }
            return targets;
        });
    }
}
