package io.wabasync.sync;

import java.time.Instant;
import java.util.UUID;

import io.wabasync.channel.Channel;

/**
 * What a running job needs of its channel, detached from any session. {@code healthy}: when the job
 * began, the channel was ACTIVE with no Meta block recorded, so a successful read has nothing to heal.
 */
record SyncTarget(UUID workspaceId, UUID channelId, String wabaId, byte[] encryptedToken, Instant metaBlockedUntil,
        boolean healthy) {

    static SyncTarget of(Channel channel) {
        return new SyncTarget(channel.workspaceId, channel.id, channel.wabaId, channel.accessTokenEnc,
                channel.metaBlockedUntil, Channel.ACTIVE.equals(channel.status) && channel.metaBlockedUntil == null);
    }

    @Override
    public String toString() {
        return "SyncTarget[channel=" + channelId + ", waba=" + wabaId + "]";
    }
}
