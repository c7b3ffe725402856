package io.wabasync.template;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class TemplateRepository implements PanacheRepositoryBase<Template, UUID> {

    private static final Sort LISTING_ORDER = Sort.by("name").and("language").and("id");

    /** Meta's ids of the channel's templates in one of {@code statuses}. */
    public Uni<List<String>> providerIdsInStatus(UUID channelId, Collection<String> statuses) {
        return find("select providerId from Template where channelId = ?1 and status in ?2 and removedAt is null",
                channelId, statuses).project(String.class).list();
    }

    /**
     * Locked, so a webhook changing one of them meanwhile is waited for, and the row, no longer in
     * one of {@code statuses} after it, is left out.
     */
    public Uni<List<Template>> findInStatusByProviderIds(UUID channelId, Collection<String> statuses,
            Collection<String> providerIds) {
        return find("channelId = ?1 and status in ?2 and removedAt is null and providerId in ?3", channelId,
                statuses, providerIds).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    public Uni<List<Template>> listVisible(UUID channelId, int pageIndex, int pageSize) {
        return find("channelId = ?1 and removedAt is null", LISTING_ORDER, channelId)
                .page(Page.of(pageIndex, pageSize)).list();
    }

    public Uni<Long> countVisible(UUID channelId) {
        return count("channelId = ?1 and removedAt is null", channelId);
    }

    /** A page of the workspace's listed templates matching the filter; {@code channelId} null = any. */
    public Uni<List<Template>> pageInWorkspace(UUID workspaceId, UUID channelId, TemplateFilter filter, int pageIndex,
            int pageSize) {
        Parameters params = workspaceQuery(workspaceId, channelId, filter);
        return find(workspaceWhere(channelId, filter), LISTING_ORDER, params).page(Page.of(pageIndex, pageSize)).list();
    }

    public Uni<Long> countInWorkspace(UUID workspaceId, UUID channelId, TemplateFilter filter) {
        return count(workspaceWhere(channelId, filter), workspaceQuery(workspaceId, channelId, filter));
    }

    public Uni<Template> findInWorkspace(UUID workspaceId, UUID templateId) {
        return find("id = ?1 and workspaceId = ?2", templateId, workspaceId).firstResult();
    }

    /** By LancePilot's integer id, only within the workspace. */
    public Uni<Template> findByNumberInWorkspace(UUID workspaceId, long number) {
        return find("number = ?1 and workspaceId = ?2", number, workspaceId).firstResult();
    }

    private static String workspaceWhere(UUID channelId, TemplateFilter filter) {
        StringBuilder where = new StringBuilder("workspaceId = :workspace and removedAt is null");
        if (channelId != null) {
            where.append(" and channelId = :channel");
        }
        if (filter.status() != null) {
            where.append(" and status = :status");
        }
        if (filter.name() != null) {
            where.append(" and lower(name) like :name escape '\\'");
        }
        if (filter.language() != null) {
            where.append(" and language = :language");
        }
        return where.toString();
    }

    private static Parameters workspaceQuery(UUID workspaceId, UUID channelId, TemplateFilter filter) {
        Parameters params = Parameters.with("workspace", workspaceId);
        if (channelId != null) {
            params.and("channel", channelId);
        }
        if (filter.status() != null) {
            params.and("status", filter.status().toUpperCase(java.util.Locale.ROOT));
        }
        if (filter.name() != null) {
            params.and("name", "%" + escapeLike(filter.name().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        if (filter.language() != null) {
            params.and("language", filter.language());
        }
        return params;
    }

    /** A name filter is matched literally: % and _ in it are not wildcards. */
    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /**
     * Marks removed every listed template of the channel that is not among {@code seenProviderIds}.
     * Runs only after a sync has read every page, so a partial read never removes anything.
     */
    public Uni<Integer> markRemovedExcept(UUID channelId, Collection<String> seenProviderIds, Instant now) {
        if (seenProviderIds.isEmpty()) {
            return update("removedAt = ?1, updatedAt = ?1 where channelId = ?2 and removedAt is null", now, channelId);
        }
        return update("removedAt = ?1, updatedAt = ?1 where channelId = ?2 and removedAt is null and providerId not in ?3",
                now, channelId, seenProviderIds);
    }
}
