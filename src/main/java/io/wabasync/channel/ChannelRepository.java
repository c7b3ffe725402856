package io.wabasync.channel;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class ChannelRepository implements PanacheRepositoryBase<Channel, UUID> {

    public Uni<Channel> findByPhoneNumber(String phoneNumber) {
        return find("phoneNumber", phoneNumber).firstResult();
    }

    public Uni<Channel> findInWorkspace(UUID workspaceId, UUID channelId) {
        return find("id = ?1 and workspaceId = ?2", channelId, workspaceId).firstResult();
    }

    public Uni<Channel> findInWorkspaceByPhone(UUID workspaceId, String phoneNumber) {
        return find("phoneNumber = ?1 and workspaceId = ?2", phoneNumber, workspaceId).firstResult();
    }

    public Uni<List<Channel>> listWithPendingTemplates(UUID workspaceId) {
        return list("from Channel c where c.workspaceId = ?1 and exists (select 1 from Template t "
                + "where t.channelId = c.id and t.status = 'PENDING' and t.removedAt is null)", workspaceId);
    }

    public Uni<Integer> markNeedsReauth(UUID channelId, String reason, Instant now) {
        return update("status = ?1, statusReason = ?2, updatedAt = ?3 where id = ?4", Channel.NEEDS_REAUTH, reason, now,
                channelId);
    }

    public Uni<Integer> blockMetaUntil(UUID channelId, Instant until, Instant now) {
        return update("metaBlockedUntil = ?1, updatedAt = ?2 where id = ?3", until, now, channelId);
    }

    /** A successful read from Meta proves the token works again. */
    public Uni<Integer> markHealthy(UUID channelId, Instant now) {
        return update("status = ?1, statusReason = null, metaBlockedUntil = null, updatedAt = ?2 "
                + "where id = ?3 and (status <> ?1 or metaBlockedUntil is not null)", Channel.ACTIVE, now, channelId);
    }

    /** Only when it differs: an unchanged name is not a change of the channel. */
    public Uni<Integer> setVerifiedName(UUID channelId, String verifiedName, Instant now) {
        return update("verifiedName = ?1, updatedAt = ?2 where id = ?3 and verifiedName is distinct from ?1",
                verifiedName, now, channelId);
    }

    public Uni<List<Channel>> listInWorkspace(UUID workspaceId) {
        return list("workspaceId", Sort.by("createdAt").and("id"), workspaceId);
    }
}
