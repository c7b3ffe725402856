package io.wabasync.job;

import java.util.Collection;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Job liveness writes that must not share a Hibernate session with the job's own page writes
 * (they run beside them), so they go straight through the reactive pool.
 */
@ApplicationScoped
public class JobHeartbeats {

    private final Pool pool;

    JobHeartbeats(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> beat(UUID jobId) {
        return pool.preparedQuery("UPDATE sync_job SET heartbeat_at = now() WHERE id = $1 AND status = 'RUNNING'")
                .execute(Tuple.of(jobId)).replaceWithVoid();
    }

    /** Ends this instance's running jobs when it stops, so none stays RUNNING until it is taken as dead. */
    public Uni<Integer> interrupt(Collection<UUID> jobIds, String reason) {
        if (jobIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery("""
                UPDATE sync_job SET status = 'FAILED', error = $2, errors = errors + 1,
                       finished_at = now(), heartbeat_at = now()
                WHERE id = ANY($1) AND status = 'RUNNING'
                """)
                .execute(Tuple.of(jobIds.toArray(new UUID[0]), reason))
                .map(rows -> rows.rowCount());
    }
}
