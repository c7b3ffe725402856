package io.wabasync.template;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class TemplateRepository implements PanacheRepositoryBase<Template, UUID> {

    private static final Sort LISTING_ORDER = Sort.by("name").and("language").and("id");

    /** The channel's stored templates among the given Meta ids, removed ones included. */
    public Uni<List<Template>> findByProviderIds(UUID channelId, Collection<String> providerIds) {
        return list("channelId = ?1 and providerId in ?2", channelId, providerIds);
    }

    public Uni<List<Template>> listVisible(UUID channelId, int pageIndex, int pageSize) {
        return find("channelId = ?1 and removedAt is null", LISTING_ORDER, channelId)
                .page(Page.of(pageIndex, pageSize)).list();
    }

    public Uni<Long> countVisible(UUID channelId) {
        return count("channelId = ?1 and removedAt is null", channelId);
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
