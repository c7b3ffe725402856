package io.wabasync.channel;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A channel as the API shows it: never with its access token. */
@RegisterForReflection
public record ChannelView(String id, String phoneNumber, String wabaId, Instant createdAt) {

    static ChannelView of(Channel channel) {
        return new ChannelView(channel.id.toString(), channel.phoneNumber, channel.wabaId, channel.createdAt);
    }
}
