package io.wabasync.job;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The jobs' table on the reactive client: liveness writes, which must not share a Hibernate session
 * with the job's own writes (they run beside them), and the job's side of work written on the client
 * in one transaction with other tables (a page of a full sync, the end of a delete). Every change
 * applies only to a job that is still RUNNING.
 */
@ApplicationScoped
public class JobStatements {

    private static final String BEAT = "UPDATE sync_job SET heartbeat_at = now() WHERE id = $1 AND status = 'RUNNING'";
    private static final String INTERRUPT = """
            UPDATE sync_job SET status = 'FAILED', error = $2, errors = errors + 1,
                   finished_at = now(), heartbeat_at = now()
            WHERE id = ANY($1) AND status = 'RUNNING'
            """;
    private static final String START_DELETE = """
            INSERT INTO sync_job (id, workspace_id, channel_id, kind, status, runner, started_at, heartbeat_at, template_id)
            VALUES ($1, $2, $3, 'DELETE', 'RUNNING', $4, $5, $5, $6)
            ON CONFLICT (template_id) WHERE kind = 'DELETE' AND status = 'RUNNING' DO NOTHING
            """;
    private static final String START_FULL_SYNC = """
            INSERT INTO sync_job (id, workspace_id, channel_id, kind, status, runner, started_at, heartbeat_at)
            VALUES ($1, $2, $3, 'FULL', 'RUNNING', $4, $5, $5)
            ON CONFLICT (channel_id) WHERE status = 'RUNNING' AND kind = 'FULL' DO NOTHING
            """;
    private static final String START_RECONCILE = """
            INSERT INTO sync_job (id, workspace_id, channel_id, kind, status, runner, started_at, heartbeat_at)
            VALUES ($1, $2, $3, 'RECONCILE', 'RUNNING', $4, $5, $5)
            """;
    // Of one channel ($4), or of all when null; never of the kinds taken over instead ($5).
    private static final String FAIL_ABANDONED = """
            UPDATE sync_job SET status = 'FAILED', error = $1, errors = errors + 1, finished_at = $2
            WHERE status = 'RUNNING' AND heartbeat_at < $3 AND ($4::uuid IS NULL OR channel_id = $4)
              AND kind <> ALL($5)
            """;
    private static final String RECORD_PAGE = """
            UPDATE sync_job SET pages = pages + 1, templates_seen = templates_seen + $2, created = created + $3,
                   updated = updated + $4, errors = errors + $5, heartbeat_at = $6
            WHERE id = $1 AND status = 'RUNNING'
            """;
    private static final String SUCCEED = """
            UPDATE sync_job SET status = 'SUCCEEDED', finished_at = $3, heartbeat_at = $3, removed = $2
            WHERE id = $1 AND status = 'RUNNING'
            """;
    private static final String FAIL = """
            UPDATE sync_job SET status = 'FAILED', error = $2, errors = errors + 1, finished_at = $3, heartbeat_at = $3
            WHERE id = $1 AND status = 'RUNNING'
            """;
    private static final String TAKE_OVER = """
            UPDATE sync_job j SET runner = $2, heartbeat_at = $3
            FROM (SELECT id FROM sync_job WHERE kind = $4 AND status = 'RUNNING' AND heartbeat_at < $1
                  ORDER BY heartbeat_at LIMIT 50 FOR UPDATE SKIP LOCKED) due
            WHERE j.id = due.id
            RETURNING j.id, j.workspace_id, j.channel_id, j.kind, j.status, j.runner, j.started_at, j.template_id
            """;

    private final Pool pool;

    JobStatements(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> beat(UUID jobId) {
        return pool.preparedQuery(BEAT).execute(Tuple.of(jobId)).replaceWithVoid();
    }

    /** Ends this instance's running jobs when it stops, so none stays RUNNING until it is taken as dead. */
    Uni<Integer> interrupt(Collection<UUID> jobIds, String reason) {
        if (jobIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery(INTERRUPT)
                .execute(Tuple.of(jobIds.toArray(new UUID[0]), reason))
                .map(rows -> rows.rowCount());
    }

    /**
     * Inserts a RUNNING delete of the template unless one runs already: the partial unique index
     * {@code sync_job_one_delete} decides, across replicas. Whether this call started it.
     */
    public Uni<Boolean> startDelete(UUID jobId, UUID workspaceId, UUID channelId, UUID templateId, String runner,
            OffsetDateTime now) {
        return pool.preparedQuery(START_DELETE)
                .execute(Tuple.tuple(Arrays.<Object>asList(jobId, workspaceId, channelId, runner, now, templateId)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Inserts a RUNNING full sync of the channel unless one runs already: the partial unique index
     * {@code sync_job_one_running} decides, so the answer holds across replicas; concurrent claimers
     * wait on the index and then insert nothing. Whether this call started it.
     */
    public Uni<Boolean> startFullSync(SqlClient transaction, UUID jobId, UUID workspaceId, UUID channelId,
            String runner, OffsetDateTime now) {
        return transaction.preparedQuery(START_FULL_SYNC)
                .execute(Tuple.tuple(Arrays.<Object>asList(jobId, workspaceId, channelId, runner, now)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Inserts a RUNNING reconciliation of the channel (several may run at once). */
    public Uni<Void> startReconcile(SqlClient transaction, UUID jobId, UUID workspaceId, UUID channelId, String runner,
            OffsetDateTime now) {
        return transaction.preparedQuery(START_RECONCILE)
                .execute(Tuple.tuple(Arrays.<Object>asList(jobId, workspaceId, channelId, runner, now)))
                .replaceWithVoid();
    }

    /**
     * Ends FAILED the RUNNING jobs (of one channel, or all when {@code channelId} is null) whose
     * heartbeat is older than the cutoff, except those of the kinds given; how many.
     */
    Uni<Integer> failAbandoned(SqlClient client, UUID channelId, OffsetDateTime cutoff, OffsetDateTime now,
            Collection<String> kindsLeft) {
        String error = "Abandoned: no heartbeat since before " + cutoff.toInstant()
                + " (its instance stopped or lost the database)";
        return client.preparedQuery(FAIL_ABANDONED)
                .execute(Tuple.tuple(Arrays.<Object>asList(error, now, cutoff, channelId,
                        kindsLeft.toArray(new String[0]))))
                .map(rows -> rows.rowCount());
    }

    /**
     * Counts one stored page of the job, in the caller's transaction, which also proves the job is
     * still RUNNING: when it was ended elsewhere (abandoned, or this instance is stopping) this fails
     * with {@link JobNoLongerRunningException}, so the page is rolled back and the job stops.
     */
    public Uni<Void> recordPage(SqlClient transaction, UUID jobId, int seen, int created, int updated, int errors,
            OffsetDateTime now) {
        return transaction.preparedQuery(RECORD_PAGE).execute(Tuple.of(jobId, seen, created, updated, errors, now))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new JobNoLongerRunningException(jobId);
                    }
                })
                .replaceWithVoid();
    }

    /** Ends the job SUCCEEDED, in the caller's transaction; false when it was no longer RUNNING. */
    public Uni<Boolean> succeed(SqlClient transaction, UUID jobId, int removed, OffsetDateTime now) {
        return transaction.preparedQuery(SUCCEED).execute(Tuple.of(jobId, removed, now)).map(rows -> rows.rowCount() == 1);
    }

    /** Ends the job FAILED with its reason, unless it was no longer RUNNING. */
    public Uni<Void> fail(UUID jobId, String reason, OffsetDateTime now) {
        return fail(pool, jobId, reason, now);
    }

    /** The same in the caller's transaction. */
    public Uni<Void> fail(SqlClient transaction, UUID jobId, String reason, OffsetDateTime now) {
        return transaction.preparedQuery(FAIL).execute(Tuple.of(jobId, reason, now)).replaceWithVoid();
    }

    /**
     * Takes over up to 50 RUNNING jobs of the kind whose heartbeat is older than {@code cutoff} for
     * {@code runner}, oldest first, skipping any another replica is taking at the same moment.
     */
    Uni<List<Job>> takeOver(String kind, OffsetDateTime cutoff, String runner, OffsetDateTime now) {
        return pool.preparedQuery(TAKE_OVER).execute(Tuple.of(cutoff, runner, now, kind)).map(rows -> {
            List<Job> taken = new ArrayList<>(rows.size());
            for (Row row : rows) {
                Job job = new Job();
                job.id = row.getUUID("id");
                job.workspaceId = row.getUUID("workspace_id");
                job.channelId = row.getUUID("channel_id");
                job.kind = row.getString("kind");
                job.status = row.getString("status");
                job.runner = row.getString("runner");
                job.startedAt = row.getOffsetDateTime("started_at").toInstant();
                job.heartbeatAt = now.toInstant();
                job.templateId = row.getUUID("template_id");
                taken.add(job);
            }
            return taken;
        });
    }
}
