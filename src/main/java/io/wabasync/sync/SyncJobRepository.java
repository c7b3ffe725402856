package io.wabasync.sync;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class SyncJobRepository implements PanacheRepositoryBase<SyncJob, UUID> {

    /**
     * Inserts a RUNNING job unless the channel already has one. The partial unique index
     * {@code sync_job_one_running} decides, so the answer holds across replicas; concurrent
     * claimers wait on the index and then insert nothing. Returns 1 when this call claimed.
     */
    public Uni<Integer> insertRunningUnlessAnother(UUID jobId, UUID workspaceId, UUID channelId, String kind, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO sync_job (id, workspace_id, channel_id, kind, status, started_at, heartbeat_at)
                VALUES (?1, ?2, ?3, ?4, 'RUNNING', ?5, ?5)
                ON CONFLICT (channel_id) WHERE status = 'RUNNING' DO NOTHING
                """)
                .setParameter(1, jobId)
                .setParameter(2, workspaceId)
                .setParameter(3, channelId)
                .setParameter(4, kind)
                .setParameter(5, now)
                .executeUpdate());
    }

    public Uni<SyncJob> findRunning(UUID channelId) {
        return find("channelId = ?1 and status = ?2", channelId, SyncJob.RUNNING).firstResult();
    }

    public Uni<SyncJob> findLatest(UUID channelId) {
        return find("channelId", Sort.descending("startedAt").and("id"), channelId).firstResult();
    }

    public Uni<Integer> recordPage(UUID jobId, int seen, int created, int updated, int errors, Instant now) {
        return update("pages = pages + 1, templatesSeen = templatesSeen + ?1, createdCount = createdCount + ?2, "
                + "updatedCount = updatedCount + ?3, errors = errors + ?4, heartbeatAt = ?5 where id = ?6",
                seen, created, updated, errors, now, jobId);
    }

    public Uni<Integer> markSucceeded(UUID jobId, int removed, Instant now) {
        return update("status = ?1, removedCount = ?2, finishedAt = ?3, heartbeatAt = ?3 where id = ?4 and status = ?5",
                SyncJob.SUCCEEDED, removed, now, jobId, SyncJob.RUNNING);
    }

    public Uni<Integer> markFailed(UUID jobId, String error, Instant now) {
        return update("status = ?1, error = ?2, errors = errors + 1, finishedAt = ?3, heartbeatAt = ?3 "
                + "where id = ?4 and status = ?5", SyncJob.FAILED, error, now, jobId, SyncJob.RUNNING);
    }
}
