package io.wabasync.template;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class TemplateRepository implements PanacheRepositoryBase<Template, UUID> {

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

    public Uni<Template> findInWorkspace(UUID workspaceId, UUID templateId) {
        return find("id = ?1 and workspaceId = ?2", templateId, workspaceId).firstResult();
    }

    /** By LancePilot's integer id, only within the workspace. */
    public Uni<Template> findByNumberInWorkspace(UUID workspaceId, long number) {
        return find("number = ?1 and workspaceId = ?2", number, workspaceId).firstResult();
    }

    /**
     * Marks removed every listed template of the channel that is not among {@code seenProviderIds}.
     * Runs only after a sync has read every page, so a partial read never removes anything.
     */
    public Uni<Integer> markRemovedExcept(UUID channelId, Collection<String> seenProviderIds, Instant now) {
        // One array parameter: an HQL "not in" list of 6,000 ids cost Hibernate about half a second
        // of CPU per full sync to expand and bind (JFR of B1), more than the update itself.
        return getSession().chain(session -> session.createNativeQuery("""
                UPDATE template SET removed_at = :now, updated_at = :now
                 WHERE channel_id = :channel AND removed_at IS NULL AND provider_id <> ALL(:seen)
                """).setParameter("now", now).setParameter("channel", channelId)
                .setParameter("seen", seenProviderIds.toArray(new String[0]))
                .executeUpdate());
    }
}
