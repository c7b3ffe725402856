package io.wabasync.sync;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.wabasync.channel.ChannelRepository;
import io.wabasync.common.Timestamps;
import io.wabasync.job.Job;
import io.wabasync.job.JobNoLongerRunningException;
import io.wabasync.job.JobRepository;
import io.wabasync.job.JobStatements;
import io.wabasync.job.JobSweeper;
import io.wabasync.meta.MetaApiException;
import io.wabasync.meta.MetaRateLimitException;
import io.wabasync.meta.MetaTemplate;
import io.wabasync.template.StatusHistoryEntry;
import io.wabasync.template.store.TemplateStore;

/**
 * The sync engine's writes. Each method is one short transaction; none is ever held across a call
 * to Meta. Templates are changed through the template store, jobs through their statements; the
 * channel's health (Hibernate, like the rest of the channel table) is recorded just before a job
 * ends, since the Meta read that proves it has already succeeded, unless the channel was healthy
 * when the job began.
 */
@ApplicationScoped
class SyncStore {

    private final Pool pool;
    private final JobStatements jobs;
    private final JobRepository jobReads;
    private final JobSweeper sweeper;
    private final TemplateStore templates;
    private final ChannelRepository channels;

    SyncStore(Pool pool, JobStatements jobs, JobRepository jobReads, JobSweeper sweeper, TemplateStore templates,
            ChannelRepository channels) {
        this.pool = pool;
        this.jobs = jobs;
        this.jobReads = jobReads;
        this.sweeper = sweeper;
        this.templates = templates;
        this.channels = channels;
    }

    /**
     * Claims the channel for a full sync: the new job, or null when another full sync runs. The
     * channel's abandoned jobs are ended first, so a job left behind by a dead instance never blocks it.
     */
    Uni<Job> claimFullSync(SyncTarget target, String runner) {
        UUID jobId = UUID.randomUUID();
        OffsetDateTime now = Timestamps.nowAtUtc();
        return pool.withTransaction(connection -> sweeper.failAbandoned(connection, target.channelId(), now)
                .chain(() -> jobs.startFullSync(connection, jobId, target.workspaceId(), target.channelId(), runner,
                        now)))
                .chain(started -> started ? Panache.withSession(() -> jobReads.findById(jobId))
                        : Uni.createFrom().nullItem());
    }

    Uni<Job> runningFullSync(UUID channelId) {
        return Panache.withSession(() -> jobReads.findRunningFullSync(channelId));
    }

    /** A reconciliation's job and the Meta ids of the templates it is to look for. */
    record StartedReconcile(UUID jobId, Set<String> waiting) {
    }

    /**
     * Records a reconciliation of the channel's waiting templates (several may run at once) and
     * reads which those are, in one transaction: a round does this for thousands of channels.
     */
    Uni<StartedReconcile> startReconcile(SyncTarget target, String runner, Collection<String> statuses) {
        UUID jobId = UUID.randomUUID();
        return pool.withTransaction(connection -> jobs.startReconcile(connection, jobId, target.workspaceId(),
                target.channelId(), runner, Timestamps.nowAtUtc())
                .chain(() -> templates.providerIdsInStatus(connection, target.channelId(), statuses)))
                .map(ids -> new StartedReconcile(jobId, new HashSet<>(ids)));
    }

    /**
     * Applies one Meta page to the channel's templates that are still waiting on Meta here: status,
     * rejection reason, category and quality. Nothing else is touched, and nothing a webhook said
     * after {@code readSince} (when this reconciliation began reading) is overwritten.
     */
    Uni<PageOutcome> storeWaitingPage(UUID jobId, SyncTarget target, List<MetaTemplate> page, Set<String> pending,
            Collection<String> statuses, Instant readSince) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        OffsetDateTime since = OffsetDateTime.ofInstant(readSince, ZoneOffset.UTC);
        Map<String, MetaTemplate> matched = new LinkedHashMap<>();
        for (MetaTemplate t : page) {
            if (t != null && t.isComplete() && pending.contains(t.id())) {
                matched.put(t.id(), t);
            }
        }
        if (matched.isEmpty()) {
            return pool.withTransaction(connection -> jobs.recordPage(connection, jobId, 0, 0, 0, 0, now))
                    .replaceWith(new PageOutcome(List.of(), 0, 0, 0));
        }
        // The page that holds the last template looked for also ends the job, in the same transaction.
        boolean last = matched.size() == pending.size();
        return (last ? markHealthy(target) : Uni.createFrom().voidItem())
                .chain(() -> pool.withTransaction(connection -> templates
                        .lockWaiting(connection, target.channelId(), statuses, matched.keySet())
                        .chain(stillWaiting -> {
                            stillWaiting.forEach(template -> template.takeStatusFromMeta(
                                    matched.get(template.providerId()), since, StatusHistoryEntry.SOURCE_RECONCILE));
                            return templates.write(connection, stillWaiting, now);
                        })
                        .call(written -> jobs.recordPage(connection, jobId, matched.size(), 0, written.updated(), 0, now))
                        .call(() -> last ? succeed(connection, jobId, 0, now) : Uni.createFrom().voidItem())
                        .map(written -> new PageOutcome(List.copyOf(matched.keySet()), 0, written.updated(), 0))));
    }

    Uni<Integer> succeedReconcile(UUID jobId, SyncTarget target) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        return markHealthy(target)
                .chain(() -> pool.withTransaction(connection -> succeed(connection, jobId, 0, now)))
                .replaceWith(0);
    }

    /**
     * After the last page: what Meta no longer lists is marked removed, and the job succeeds. If the
     * job was ended meanwhile (abandoned), nothing is removed: the rollback keeps every template.
     */
    Uni<Integer> succeed(UUID jobId, SyncTarget target, Collection<String> seenProviderIds) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        return markHealthy(target).chain(() -> pool.withTransaction(connection -> templates
                .removeAllExcept(connection, target.channelId(), seenProviderIds, now)
                .call(removed -> succeed(connection, jobId, removed, now))));
    }

    /** Ends the job FAILED with its reason; what Meta said also changes the channel's health, first. */
    Uni<Integer> fail(UUID jobId, UUID channelId, String error, MetaApiException metaFailure) {
        Instant now = Timestamps.now();
        Uni<Integer> channelEffect = Uni.createFrom().item(0);
        if (metaFailure instanceof MetaRateLimitException limited && limited.retryAfter() != null) {
            channelEffect = Panache.withTransaction(
                    () -> channels.blockMetaUntil(channelId, now.plus(limited.retryAfter()), now));
        } else if (metaFailure != null && metaFailure.kind() == MetaApiException.Kind.TOKEN_INVALID) {
            channelEffect = Panache.withTransaction(
                    () -> channels.markNeedsReauth(channelId, metaFailure.getMessage(), now));
        }
        return channelEffect.chain(() -> jobs.fail(jobId, error, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
                .replaceWith(1);
    }

    /**
     * A successful read from Meta proves the token works again. A channel that was healthy when the
     * job began has nothing to heal: a round of thousands of channels does not open a session each.
     */
    private Uni<Void> markHealthy(SyncTarget target) {
        if (target.healthy()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> channels.markHealthy(target.channelId(), Timestamps.now()))
                .replaceWithVoid();
    }

    /** Fails (and so rolls back the transaction) when the job's row was no longer RUNNING. */
    private Uni<Void> succeed(SqlClient transaction, UUID jobId, int removed, OffsetDateTime now) {
        return jobs.succeed(transaction, jobId, removed, now).invoke(ended -> {
            if (!ended) {
                throw new JobNoLongerRunningException(jobId);
            }
        }).replaceWithVoid();
    }
}
