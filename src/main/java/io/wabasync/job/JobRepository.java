package io.wabasync.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The jobs' table through Hibernate, for reads and for writes inside the callers' transactions. */
@ApplicationScoped
@WithSession
public class JobRepository implements PanacheRepositoryBase<Job, UUID> {

    private static final Sort NEWEST_FIRST = Sort.descending("startedAt").and("id", Sort.Direction.Descending);

    /**
     * Inserts a RUNNING job unless the channel already has one. The partial unique index
     * {@code sync_job_one_running} decides, so the answer holds across replicas; concurrent
     * claimers wait on the index and then insert nothing. Returns 1 when this call claimed.
     */
    public Uni<Integer> insertRunningFullSyncUnlessAnother(UUID jobId, UUID workspaceId, UUID channelId, String runner,
            Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO sync_job (id, workspace_id, channel_id, kind, status, runner, started_at, heartbeat_at)
                VALUES (?1, ?2, ?3, 'FULL', 'RUNNING', ?4, ?5, ?5)
                ON CONFLICT (channel_id) WHERE status = 'RUNNING' AND kind = 'FULL' DO NOTHING
                """)
                .setParameter(1, jobId)
                .setParameter(2, workspaceId)
                .setParameter(3, channelId)
                .setParameter(4, runner)
                .setParameter(5, now)
                .executeUpdate());
    }

    public Uni<Job> findRunningFullSync(UUID channelId) {
        return find("channelId = ?1 and status = ?2 and kind = ?3", channelId, Job.RUNNING, Job.KIND_FULL)
                .firstResult();
    }

    public Uni<Job> findInWorkspace(UUID workspaceId, UUID jobId) {
        return find("id = ?1 and workspaceId = ?2", jobId, workspaceId).firstResult();
    }

    public Uni<List<Job>> pageInWorkspace(UUID workspaceId, UUID channelId, int pageIndex, int pageSize) {
        return channelId == null
                ? find("workspaceId", NEWEST_FIRST, workspaceId).page(Page.of(pageIndex, pageSize)).list()
                : find("workspaceId = ?1 and channelId = ?2", NEWEST_FIRST, workspaceId, channelId)
                        .page(Page.of(pageIndex, pageSize)).list();
    }

    public Uni<Long> countInWorkspace(UUID workspaceId, UUID channelId) {
        return channelId == null
                ? count("workspaceId", workspaceId)
                : count("workspaceId = ?1 and channelId = ?2", workspaceId, channelId);
    }

    /** The latest full sync: what 2Chat's status call reports. */
    public Uni<Job> findLatestFullSync(UUID channelId) {
        return find("channelId = ?1 and kind = ?2", NEWEST_FIRST, channelId, Job.KIND_FULL).firstResult();
    }

    public Uni<Integer> recordPage(UUID jobId, int seen, int created, int updated, int errors, Instant now) {
        return update("pages = pages + 1, templatesSeen = templatesSeen + ?1, createdCount = createdCount + ?2, "
                + "updatedCount = updatedCount + ?3, errors = errors + ?4, heartbeatAt = ?5 where id = ?6",
                seen, created, updated, errors, now, jobId);
    }

    public Uni<Integer> markSucceeded(UUID jobId, int removed, Instant now) {
        return update("status = ?1, removedCount = ?2, finishedAt = ?3, heartbeatAt = ?3 where id = ?4 and status = ?5",
                Job.SUCCEEDED, removed, now, jobId, Job.RUNNING);
    }

    /**
     * Ends RUNNING jobs (of one channel, or all when null) whose heartbeat is older than the cutoff,
     * except those of the kinds given (which are taken over instead).
     */
    public Uni<Integer> failAbandoned(UUID channelId, Instant cutoff, Instant now, Collection<String> kindsLeft) {
        String error = "Abandoned: no heartbeat since before " + cutoff + " (its instance stopped or lost the database)";
        List<Object> params = new ArrayList<>(List.of(Job.FAILED, error, now, Job.RUNNING, cutoff));
        StringBuilder where = new StringBuilder("status = ?4 and heartbeatAt < ?5");
        if (channelId != null) {
            params.add(channelId);
            where.append(" and channelId = ?").append(params.size());
        }
        if (!kindsLeft.isEmpty()) {
            params.add(List.copyOf(kindsLeft));
            where.append(" and kind not in (?").append(params.size()).append(')');
        }
        return update("status = ?1, error = ?2, errors = errors + 1, finishedAt = ?3 where " + where, params.toArray());
    }

    public Uni<Integer> markFailed(UUID jobId, String error, Instant now) {
        return update("status = ?1, error = ?2, errors = errors + 1, finishedAt = ?3, heartbeatAt = ?3 "
                + "where id = ?4 and status = ?5", Job.FAILED, error, now, jobId, Job.RUNNING);
    }
}
