package io.wabasync.channel;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A channel as the API shows it: never with its access token. */
@RegisterForReflection
public record ChannelView(String id, String phoneNumber, String wabaId, String status, String statusReason,
        Instant metaBlockedUntil, Instant createdAt, Instant updatedAt, String friendlyName, String verifiedName,
        String isoCountryCode) {

    static ChannelView of(Channel channel, PhoneCountries countries) {
        return new ChannelView(channel.id.toString(), channel.phoneNumber, channel.wabaId, channel.status,
                channel.statusReason, channel.metaBlockedUntil, channel.createdAt, channel.updatedAt,
                channel.friendlyName, channel.verifiedName, countries.isoCountryCode(channel.phoneNumber));
    }
}
