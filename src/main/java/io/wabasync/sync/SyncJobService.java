package io.wabasync.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.Channel;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.common.Ids;
import io.wabasync.common.Paged;
import io.wabasync.job.Job;
import io.wabasync.job.JobRepository;

/** Reads of sync jobs. */
@ApplicationScoped
public class SyncJobService {

    private final JobRepository jobs;
    private final ChannelService channels;

    public SyncJobService(JobRepository jobs, ChannelService channels) {
        this.jobs = jobs;
        this.channels = channels;
    }

    /** The latest full sync of a workspace's number, as 2Chat's status call shows it. */
    @WithSession
    public Uni<JobView> latestFullSync(UUID workspaceId, String phoneNumber) {
        return channels.requireByPhone(workspaceId, phoneNumber).chain(channel -> jobs.findLatestFullSync(channel.id)
                .map(job -> job == null
                        ? JobView.never(channel.id.toString(), channel.phoneNumber)
                        : JobView.of(job, channel.phoneNumber)));
    }

    /** The workspace's jobs, newest first, optionally of one number. */
    @WithSession
    public Uni<Paged<JobView>> page(UUID workspaceId, String phoneNumber, int page, int perPage) {
        Uni<UUID> channelFilter = phoneNumber == null
                ? Uni.createFrom().nullItem()
                : channels.requireByPhone(workspaceId, phoneNumber).map(channel -> channel.id);
        // One after the other: a session never runs two operations at once.
        return channelFilter.chain(channelId -> jobs.countInWorkspace(workspaceId, channelId)
                .chain(total -> jobs.pageInWorkspace(workspaceId, channelId, page - 1, perPage)
                        .chain(list -> phones(workspaceId).map(phones -> Paged.of(
                                list.stream().map(job -> JobView.of(job, phones.get(job.channelId))).toList(),
                                page, perPage, total)))));
    }

    /** The latest full sync of each of these numbers of the workspace (never synced: {@link JobView#never}), by number id. */
    @WithSession
    public Uni<Map<UUID, JobView>> latestFullSyncs(UUID workspaceId, List<Channel> channels) {
        return jobs.findLatestFullSyncs(workspaceId).map(latest -> {
            Map<UUID, Job> byChannel = new HashMap<>();
            latest.forEach(job -> byChannel.putIfAbsent(job.channelId, job));
            Map<UUID, JobView> views = new HashMap<>();
            for (Channel channel : channels) {
                Job job = byChannel.get(channel.id);
                views.put(channel.id, job == null ? JobView.never(channel.id.toString(), channel.phoneNumber)
                        : JobView.of(job, channel.phoneNumber));
            }
            return views;
        });
    }

    @WithSession
    public Uni<JobView> one(UUID workspaceId, String jobId) {
        return jobs.findInWorkspace(workspaceId, Ids.orNotFound(jobId, "Sync job"))
                .onItem().ifNull().failWith(() -> ApiException.notFound("Sync job not found"))
                .chain(job -> phones(workspaceId).map(phones -> JobView.of(job, phones.get(job.channelId))));
    }

    private Uni<Map<UUID, String>> phones(UUID workspaceId) {
        return channels.list(workspaceId).map((List<Channel> list) -> list.stream()
                .collect(Collectors.toMap(c -> c.id, c -> c.phoneNumber, (a, b) -> a)));
    }
}
