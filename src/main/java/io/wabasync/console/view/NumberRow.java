package io.wabasync.console.view;

import java.time.Instant;
import java.util.Locale;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wabasync.channel.Channel;
import io.wabasync.sync.JobView;

/** A connected number with its last full sync, as the numbers page shows it and its progress poll reports it. */
@RegisterForReflection
public record NumberRow(String channelId, String phoneNumber, String name, boolean needsToken, String statusReason,
        boolean syncing, String lastSync, String outcome, String error) {

    public static NumberRow of(Channel channel, JobView sync) {
        String name = channel.verifiedName != null ? channel.verifiedName : channel.friendlyName;
        return new NumberRow(channel.id.toString(), channel.phoneNumber, name,
                Channel.NEEDS_REAUTH.equals(channel.status), channel.statusReason, sync.isSyncing(),
                when(sync), outcome(sync), sync.error());
    }

    private static String when(JobView sync) {
        Instant at = sync.finishedAt() != null ? sync.finishedAt() : sync.startTimeSyncing();
        return at == null ? "never" : Shown.shown(at);
    }

    /** One sentence of what the last sync did, or is doing. */
    static String outcome(JobView sync) {
        if (sync.status() == null) {
            return "Never synced";
        }
        String counts = sync.templatesSeen() + " read, " + sync.created() + " new, " + sync.updated() + " changed, "
                + sync.removed() + " removed";
        if (sync.isSyncing()) {
            return "Syncing: page " + sync.pages() + ", " + counts;
        }
        return sync.status().charAt(0) + sync.status().substring(1).toLowerCase(Locale.ROOT) + ": " + sync.pages()
                + (sync.pages() == 1 ? " page, " : " pages, ") + counts;
    }
}
