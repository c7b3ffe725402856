package io.wabasync.channel;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.ApiException;
import io.wabasync.common.DatabaseFailures;
import io.wabasync.common.Ids;
import io.wabasync.common.Timestamps;
import io.wabasync.meta.MetaClient;

@ApplicationScoped
public class ChannelService {

    private static final Logger LOG = Logger.getLogger(ChannelService.class);

    private final ChannelRepository channels;
    private final TokenCipher cipher;
    private final MetaClient meta;

    public ChannelService(ChannelRepository channels, TokenCipher cipher, MetaClient meta) {
        this.channels = channels;
        this.cipher = cipher;
        this.meta = meta;
    }

    @WithTransaction
    public Uni<Channel> connect(UUID workspaceId, CreateChannelRequest request) {
        return channels.findByPhoneNumber(request.phoneNumber()).chain(existing -> {
            if (existing != null) {
                throw ApiException.conflict("Phone number " + request.phoneNumber() + " is already connected");
            }
            Instant now = Timestamps.now();
            Channel channel = new Channel();
            channel.id = UUID.randomUUID();
            channel.workspaceId = workspaceId;
            channel.phoneNumber = request.phoneNumber();
            channel.wabaId = request.wabaId();
            channel.accessTokenEnc = cipher.encrypt(request.accessToken());
            channel.friendlyName = request.friendlyName();
            channel.status = Channel.ACTIVE;
            channel.createdAt = now;
            channel.updatedAt = now;
            return channels.persistAndFlush(channel);
        }).onFailure(DatabaseFailures::isUniqueViolation).transform(e ->
                // Two requests for one number raced past the check: the unique index decided.
                ApiException.conflict("Phone number " + request.phoneNumber() + " is already connected"));
    }

    /** Replaces the access token (and the WABA id, if given); the channel is healthy again. */
    @WithTransaction
    public Uni<Channel> update(UUID workspaceId, String channelId, UpdateChannelRequest request) {
        UUID id = Ids.orNotFound(channelId, "Channel");
        return channels.findInWorkspace(workspaceId, id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Channel not found"))
                .invoke(channel -> {
                    if (request.accessToken() != null) {
                        channel.accessTokenEnc = cipher.encrypt(request.accessToken());
                    }
                    if (request.wabaId() != null) {
                        channel.wabaId = request.wabaId();
                    }
                    if (request.friendlyName() != null) {
                        channel.friendlyName = request.friendlyName();
                    }
                    if (request.changesMetaAccess()) {
                        channel.status = Channel.ACTIVE;
                        channel.statusReason = null;
                        channel.metaBlockedUntil = null;
                    }
                    channel.updatedAt = Timestamps.now();
                });
    }

    /**
     * Asks Meta for the number's verified business name and stores what it says (null when Meta
     * lists no name for the number). Called outside any transaction, after a connect and after each
     * full sync; when Meta cannot be asked, the stored name stays and nothing else is affected.
     */
    public Uni<Channel> refreshVerifiedName(Channel channel) {
        return meta.verifiedName(channel.wabaId, accessToken(channel.accessTokenEnc), channel.phoneNumber)
                .chain(name -> storeVerifiedName(channel.id, name).invoke(() -> channel.verifiedName = name))
                .replaceWith(channel)
                .onFailure().recoverWithItem(failure -> {
                    LOG.infof("Verified name of %s not read from Meta: %s", channel.phoneNumber, failure.getMessage());
                    return channel;
                });
    }

    @WithTransaction
    Uni<Integer> storeVerifiedName(UUID channelId, String name) {
        return channels.setVerifiedName(channelId, name, Timestamps.now());
    }

    @WithSession
    public Uni<List<Channel>> list(UUID workspaceId) {
        return channels.listInWorkspace(workspaceId);
    }

    @WithTransaction
    public Uni<Void> disconnect(UUID workspaceId, String channelId) {
        UUID id = Ids.orNotFound(channelId, "Channel");
        return channels.findInWorkspace(workspaceId, id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Channel not found"))
                .chain(channels::delete);
    }

    @WithSession
    public Uni<List<Channel>> withPendingTemplates(UUID workspaceId) {
        return channels.listWithPendingTemplates(workspaceId);
    }

    /** The workspace's channel for a phone number, or 404 if this workspace has no such number. */
    @WithSession
    public Uni<Channel> requireByPhone(UUID workspaceId, String phoneNumber) {
        return channels.findInWorkspaceByPhone(workspaceId, phoneNumber)
                .onItem().ifNull().failWith(() -> ApiException.notFound(
                        "Phone number " + phoneNumber + " is not connected in this workspace"));
    }

    /** The channel, or null once it was disconnected. */
    @WithSession
    public Uni<Channel> find(UUID channelId) {
        return channels.findById(channelId);
    }

    /** The plain access token, for the moment a Meta call is made; never stored or logged. */
    public String accessToken(byte[] encrypted) {
        return cipher.decrypt(encrypted);
    }
}
