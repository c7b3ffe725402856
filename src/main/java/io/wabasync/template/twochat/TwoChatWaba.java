package io.wabasync.template.twochat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wabasync.channel.Channel;

/**
 * The number a template belongs to, in 2Chat's {@code waba} shape: its times as 2Chat writes them
 * ({@code 2024-01-31 09:15:00}, UTC), and a one-letter connection status: {@code C} (connected) while
 * Meta accepts the channel's token, {@code D} (disconnected) once Meta rejected it.
 */
@RegisterForReflection
public record TwoChatWaba(String uuid, String friendlyName, String isoCountryCode, String verifiedName,
        String phoneNumber, String connectionStatus, String createdAt, String updatedAt) {

    private static final DateTimeFormatter TWO_CHAT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** A number without a friendly name is called by itself, so the field is always a string. */
    static TwoChatWaba of(Channel channel, String isoCountryCode) {
        return new TwoChatWaba(channel.id.toString(),
                channel.friendlyName != null ? channel.friendlyName : channel.phoneNumber,
                isoCountryCode, channel.verifiedName, channel.phoneNumber,
                Channel.ACTIVE.equals(channel.status) ? "C" : "D",
                time(channel.createdAt), time(channel.updatedAt));
    }

    private static String time(Instant instant) {
        return instant == null ? null : TWO_CHAT_TIME.format(instant);
    }
}
