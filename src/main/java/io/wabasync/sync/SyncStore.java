package io.wabasync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.ChannelRepository;
import io.wabasync.common.Timestamps;
import io.wabasync.job.Job;
import io.wabasync.job.JobNoLongerRunningException;
import io.wabasync.job.JobRepository;
import io.wabasync.job.JobSweeper;
import io.wabasync.meta.MetaApiException;
import io.wabasync.meta.MetaRateLimitException;
import io.wabasync.meta.MetaTemplate;
import io.wabasync.template.Template;
import io.wabasync.template.TemplateRepository;
import io.wabasync.template.TemplateStatusChange;
import io.wabasync.template.TemplateStatusChangeRepository;

/**
 * The sync engine's writes. Each method is one short transaction; none is ever held across a call
 * to Meta.
 */
@ApplicationScoped
class SyncStore {

    private final JobRepository jobs;
    private final JobSweeper sweeper;
    private final TemplateRepository templates;
    private final TemplateStatusChangeRepository history;
    private final ChannelRepository channels;

    SyncStore(JobRepository jobs, JobSweeper sweeper, TemplateRepository templates,
            TemplateStatusChangeRepository history, ChannelRepository channels) {
        this.jobs = jobs;
        this.sweeper = sweeper;
        this.templates = templates;
        this.history = history;
        this.channels = channels;
    }

    /**
     * Claims the channel for a full sync: the new job, or null when another full sync runs. The
     * channel's abandoned jobs are ended first, so a job left behind by a dead instance never blocks it.
     */
    @WithTransaction
    Uni<Job> claimFullSync(SyncTarget target, String runner) {
        UUID jobId = UUID.randomUUID();
        Instant now = Timestamps.now();
        return sweeper.failAbandoned(target.channelId(), now)
                .chain(() -> jobs.insertRunningFullSyncUnlessAnother(jobId, target.workspaceId(), target.channelId(),
                        runner, now))
                .chain(inserted -> inserted == 1 ? jobs.findById(jobId) : Uni.createFrom().nullItem());
    }

    @WithSession
    Uni<Job> runningFullSync(UUID channelId) {
        return jobs.findRunningFullSync(channelId);
    }

    /** A reconciliation's job and the Meta ids of the templates it is to look for. */
    record StartedReconcile(UUID jobId, Set<String> waiting) {
    }

    /**
     * Records a reconciliation of the channel's waiting templates (several may run at once) and
     * reads which those are, in one transaction: a round does this for thousands of channels.
     */
    @WithTransaction
    Uni<StartedReconcile> startReconcile(SyncTarget target, String runner, Collection<String> statuses) {
        Instant now = Timestamps.now();
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.workspaceId = target.workspaceId();
        job.channelId = target.channelId();
        job.kind = Job.KIND_RECONCILE;
        job.status = Job.RUNNING;
        job.runner = runner;
        job.startedAt = now;
        job.heartbeatAt = now;
        return jobs.persist(job)
                .chain(() -> templates.providerIdsInStatus(target.channelId(), statuses))
                .map(ids -> new StartedReconcile(job.id, new HashSet<>(ids)));
    }

    /**
     * Applies one Meta page to the channel's templates that are still PENDING here: status,
     * rejection reason, category and quality. Nothing else is touched, and nothing a webhook said
     * after {@code readSince} (when this reconciliation began reading) is overwritten.
     */
    @WithTransaction
    Uni<PageOutcome> storeWaitingPage(UUID jobId, SyncTarget target, List<MetaTemplate> page, Set<String> pending,
            Collection<String> statuses, Instant readSince) {
        Instant now = Timestamps.now();
        Map<String, MetaTemplate> matched = new LinkedHashMap<>();
        for (MetaTemplate t : page) {
            if (t != null && t.isComplete() && pending.contains(t.id())) {
                matched.put(t.id(), t);
            }
        }
        if (matched.isEmpty()) {
            return recordPage(jobId, 0, 0, 0, 0, now).replaceWith(new PageOutcome(List.of(), 0, 0, 0));
        }
        return templates.findInStatusByProviderIds(target.channelId(), statuses, matched.keySet()).chain(stillPending -> {
            List<TemplateStatusChange> changes = new ArrayList<>();
            int updated = 0;
            for (Template template : stillPending) {
                MetaTemplate meta = matched.get(template.providerId);
                if (isNewer(template.statusAsOf, readSince)) {
                    continue;
                }
                if (differsInStatus(template, meta)) {
                    String before = template.status;
                    template.status = Template.afterMeta(template.status, meta.status());
                    if (!Objects.equals(before, template.status)) {
                        // What a webhook said about the old status does not hold for the new one.
                        template.otherInfo = null;
                        template.rejectionInfo = null;
                        template.disableInfo = null;
                    }
                    template.rejectedReason = meta.rejectedReason();
                    template.statusAsOf = readSince;
                    if (!isNewer(template.categoryAsOf, readSince)) {
                        template.category = meta.category();
                        template.categoryAsOf = readSince;
                    }
                    if (!isNewer(template.qualityAsOf, readSince)) {
                        template.qualityScore = meta.qualityScoreText();
                        template.qualityAsOf = readSince;
                    }
                    template.updatedAt = now;
                    updated++;
                    if (!Objects.equals(before, template.status)) {
                        changes.add(TemplateStatusChange.of(template.id, before, template.status, now,
                                TemplateStatusChange.SOURCE_RECONCILE));
                    }
                }
            }
            int updatedCount = updated;
            // The page that holds the last template looked for also ends the job, in the same transaction.
            boolean last = matched.size() == pending.size();
            return persistAll(history, changes)
                    .chain(() -> recordPage(jobId, matched.size(), 0, updatedCount, 0, now))
                    .chain(() -> last ? endReconcile(jobId, target.channelId(), now) : Uni.createFrom().item(0))
                    .replaceWith(new PageOutcome(List.copyOf(matched.keySet()), 0, updatedCount, 0));
        });
    }

    @WithTransaction
    Uni<Integer> succeedReconcile(UUID jobId, UUID channelId) {
        return endReconcile(jobId, channelId, Timestamps.now());
    }

    private Uni<Integer> endReconcile(UUID jobId, UUID channelId, Instant now) {
        return channels.markHealthy(channelId, now).chain(() -> requireRunning(jobId, jobs.markSucceeded(jobId, 0, now)));
    }

    /**
     * After the last page: what Meta no longer lists is marked removed, and the job succeeds. If the
     * job was ended meanwhile (abandoned), nothing is removed: the rollback keeps every template.
     */
    @WithTransaction
    Uni<Integer> succeed(UUID jobId, UUID channelId, Collection<String> seenProviderIds) {
        Instant now = Timestamps.now();
        return templates.markRemovedExcept(channelId, seenProviderIds, now)
                .call(removed -> requireRunning(jobId, jobs.markSucceeded(jobId, removed, now)))
                .call(() -> channels.markHealthy(channelId, now));
    }

    /** Ends the job FAILED with its reason; what Meta said also changes the channel's health. */
    @WithTransaction
    Uni<Integer> fail(UUID jobId, UUID channelId, String error, MetaApiException metaFailure) {
        Instant now = Timestamps.now();
        Uni<Integer> channelEffect = Uni.createFrom().item(0);
        if (metaFailure instanceof MetaRateLimitException limited && limited.retryAfter() != null) {
            channelEffect = channels.blockMetaUntil(channelId, now.plus(limited.retryAfter()), now);
        } else if (metaFailure != null && metaFailure.kind() == MetaApiException.Kind.TOKEN_INVALID) {
            channelEffect = channels.markNeedsReauth(channelId, metaFailure.getMessage(), now);
        }
        return channelEffect.chain(() -> jobs.markFailed(jobId, error, now));
    }

    private Uni<Integer> recordPage(UUID jobId, int seen, int created, int updated, int errors, Instant now) {
        return requireRunning(jobId, jobs.recordPage(jobId, seen, created, updated, errors, now));
    }

    /** Fails (and so rolls back the transaction) when the job's row was no longer RUNNING. */
    private static Uni<Integer> requireRunning(UUID jobId, Uni<Integer> update) {
        return update.invoke(rows -> {
            if (rows == 0) {
                throw new JobNoLongerRunningException(jobId);
            }
        });
    }

    /** Panache refuses an empty batch; most pages of a resync create nothing. */
    private static <E> Uni<Void> persistAll(PanacheRepositoryBase<E, UUID> repository, List<E> entities) {
        return entities.isEmpty() ? Uni.createFrom().voidItem() : repository.persist(entities);
    }

    private static boolean isNewer(Instant asOf, Instant readSince) {
        return asOf != null && asOf.isAfter(readSince);
    }

    private static boolean differsInStatus(Template t, MetaTemplate m) {
        return !Objects.equals(t.status, Template.afterMeta(t.status, m.status()))
                || !Objects.equals(t.category, m.category())
                || !Objects.equals(t.rejectedReason, m.rejectedReason())
                || !Objects.equals(t.qualityScore, m.qualityScoreText());
    }

}
