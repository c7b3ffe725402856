package io.wabasync.sync;

import java.time.Instant;
import java.util.UUID;

import io.wabasync.channel.Channel;

/** What a running job needs of its channel, detached from any session. */
record SyncTarget(UUID workspaceId, UUID channelId, String wabaId, byte[] encryptedToken, Instant metaBlockedUntil) {

    static SyncTarget of(Channel channel) {
        return new SyncTarget(channel.workspaceId, channel.id, channel.wabaId, channel.accessTokenEnc,
                channel.metaBlockedUntil);
    }

    @Override
    public String toString() {
        return "SyncTarget[channel=" + channelId + ", waba=" + wabaId + "]";
    }
}
