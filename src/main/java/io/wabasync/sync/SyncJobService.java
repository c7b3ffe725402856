package io.wabasync.sync;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.ChannelService;

/** Reads of sync jobs. */
@ApplicationScoped
public class SyncJobService {

    private final SyncJobRepository jobs;
    private final ChannelService channels;

    public SyncJobService(SyncJobRepository jobs, ChannelService channels) {
        this.jobs = jobs;
        this.channels = channels;
    }

    /** The latest job of a workspace's number, or null if it was never synced. */
    @WithSession
    public Uni<SyncJob> latest(UUID workspaceId, String phoneNumber) {
        return channels.requireByPhone(workspaceId, phoneNumber).chain(channel -> jobs.findLatest(channel.id));
    }
}
