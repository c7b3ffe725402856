package io.wabasync.job;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** The jobs' table through Hibernate, for reads only: every write is SQL in {@link JobStatements}. */
@ApplicationScoped
@WithSession
public class JobRepository implements PanacheRepositoryBase<Job, UUID> {

    private static final Sort NEWEST_FIRST = Sort.descending("startedAt").and("id", Sort.Direction.Descending);

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

    /** The latest full sync of each number of the workspace that had one, in one query. */
    public Uni<List<Job>> findLatestFullSyncs(UUID workspaceId) {
        return list("from Job o where o.workspaceId = ?1 and o.kind = ?2 and o.startedAt = (select max(j.startedAt) "
                + "from Job j where j.channelId = o.channelId and j.kind = ?2)", workspaceId, Job.KIND_FULL);
    }
}
