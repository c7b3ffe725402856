package io.wabasync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.Channel;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.common.ContextDelays;
import io.wabasync.common.IsolatedContexts;
import io.wabasync.common.DatabaseFailures;
import io.wabasync.common.InstanceName;
import io.wabasync.common.Timestamps;
import io.wabasync.job.Job;
import io.wabasync.job.JobNoLongerRunningException;
import io.wabasync.job.JobOutcome;
import io.wabasync.job.RunningJobs;
import io.wabasync.meta.MetaApiException;
import io.wabasync.meta.MetaClient;
import io.wabasync.meta.MetaRateLimitException;
import io.wabasync.meta.MetaTemplate;
import io.wabasync.template.Template;
import io.wabasync.template.TemplateMetrics;

/**
 * The one sync engine. Every trigger goes through here: the 2Chat endpoint (full sync of a number),
 * the LancePilot endpoint and the scheduler (reconciliation of PENDING templates). Both kinds read
 * Meta through the same paging of {@link MetaClient#templatePages}.
 */
@ApplicationScoped
public class SyncEngine {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);
    private static final int CLAIM_ATTEMPTS = 3;

    private static final int FAIL_RECORD_ATTEMPTS = 8;
    private static final Duration FAIL_RECORD_FIRST_WAIT = Duration.ofMillis(500);
    private static final Duration FAIL_RECORD_LONGEST_WAIT = Duration.ofSeconds(15);
    /** LancePilot's sync endpoint is documented for PENDING templates only. */
    private static final List<String> LANCEPILOT_PENDING = List.of("PENDING");

    private final SyncStore store;
    private final PageWriter pageWriter;
    private final DueChannels dueChannels;
    private final RunningJobs runningJobs;
    private final ChannelService channels;
    private final MetaClient meta;
    private final IsolatedContexts contexts;
    private final ReconcileConfig reconcileConfig;
    private final SyncMetrics metrics;
    private final TemplateMetrics templateMetrics;
    private final String runner;

    public SyncEngine(SyncStore store, PageWriter pageWriter, DueChannels dueChannels, RunningJobs runningJobs, ChannelService channels,
            MetaClient meta, IsolatedContexts contexts, ReconcileConfig reconcileConfig,
            SyncMetrics metrics, TemplateMetrics templateMetrics, InstanceName instance) {
        this.store = store;
        this.pageWriter = pageWriter;
        this.dueChannels = dueChannels;
        this.runningJobs = runningJobs;
        this.channels = channels;
        this.meta = meta;
        this.contexts = contexts;
        this.reconcileConfig = reconcileConfig;
        this.metrics = metrics;
        this.templateMetrics = templateMetrics;
        this.runner = instance.value();
    }

    /** On SIGTERM this instance claims nothing more ({@link RunningJobs} ends the jobs it runs). */
    private void refuseWhenStopping() {
        if (runningJobs.stopping()) {
            throw new ApiException(503, "This instance is shutting down; please retry");
        }
    }

    // --- full sync ------------------------------------------------------------------------------

    /** Starts a full sync of the workspace's number, or reports the one already running. */
    public Uni<SyncStart> startFullSync(UUID workspaceId, String phoneNumber) {
        return channels.requireByPhone(workspaceId, phoneNumber).chain(this::startFullSync);
    }

    /**
     * Starts a full sync of the channel, or joins the one running; null when the channel is gone.
     * For a Meta webhook about a template this service does not know yet.
     */
    public Uni<SyncStart> startFullSync(UUID channelId) {
        return channels.find(channelId).chain(channel -> channel == null ? Uni.createFrom().nullItem()
                : startFullSync(channel));
    }

    /** Whether a full sync of any of these channels is running now, on any replica. */
    public Uni<Boolean> anyFullSyncRunning(Collection<UUID> channelIds) {
        return Multi.createFrom().iterable(channelIds)
                .onItem().transformToUniAndConcatenate(channelId -> store.runningFullSync(channelId).map(Objects::nonNull))
                .collect().asList()
                .map(running -> running.contains(true));
    }

    public Uni<SyncStart> startFullSync(Channel channel) {
        refuseWhenStopping();
        SyncTarget target = SyncTarget.of(channel);
        return claimOrJoin(target, CLAIM_ATTEMPTS).invoke(start -> {
            if (start.started()) {
                UUID jobId = start.job().id;
                // The job outlives the request: it runs on a context of its own.
                Instant readSince = start.job().startedAt;
                contexts.start(() -> runFullSync(jobId, readSince, target),
                        failure -> LOG.errorf(failure, "Sync job %s of %s could not record its end", jobId, target));
            }
        });
    }

    private Uni<SyncStart> claimOrJoin(SyncTarget target, int attemptsLeft) {
        return store.claimFullSync(target, runner).chain(claimed -> {
            if (claimed != null) {
                return Uni.createFrom().item(new SyncStart(claimed, true));
            }
            return store.runningFullSync(target.channelId()).chain(running -> {
                if (running != null) {
                    return Uni.createFrom().item(new SyncStart(running, false));
                }
                // The running job finished between our claim and our look: claim again.
                if (attemptsLeft <= 1) {
                    return Uni.createFrom().failure(new ApiException(503, "Could not start a sync, please retry"));
                }
                return claimOrJoin(target, attemptsLeft - 1);
            });
        });
    }

    Uni<Void> runFullSync(UUID jobId, Instant readSince, SyncTarget target) {
        Set<String> seen = new HashSet<>();
        return alive(jobId, target, Job.KIND_FULL, pages(target, true)
                .onItem().transformToUniAndConcatenate(page -> pageWriter.store(jobId, target, page, readSince))
                .invoke(outcome -> seen.addAll(outcome.providerIds()))
                .collect().last()
                .chain(() -> store.succeed(jobId, target, seen))
                .invoke(removed -> LOG.infof("Sync job %s succeeded: %d templates seen, %d removed", jobId,
                        seen.size(), removed))
                .call(() -> refreshVerifiedName(target.channelId()))
                .invoke(() -> templateMetrics.refresh().subscribe().with(ok -> { }, e -> { }))
                .replaceWith(JobOutcome.SUCCEEDED)
                .onFailure().recoverWithUni(failure -> fail(jobId, target, failure).replaceWith(JobOutcome.of(failure))))
                .replaceWithVoid();
    }

    /** Each full sync also reads the number's verified name; the job's outcome never depends on it. */
    private Uni<Channel> refreshVerifiedName(UUID channelId) {
        return channels.find(channelId)
                .chain(channel -> channel == null ? Uni.createFrom().<Channel>nullItem() : channels.refreshVerifiedName(channel))
                .onFailure().recoverWithNull();
    }

    /**
     * Keeps the job's heartbeat moving while {@code work} runs, however long Meta takes (retries,
     * rate-limit waits), and tracks the job as this instance's until it ends ({@link RunningJobs}).
     * {@code work} answers how the job ended, for the metrics.
     */
    private Uni<JobOutcome> alive(UUID jobId, SyncTarget target, String kind, Uni<JobOutcome> work) {
        // Every log line of this job carries its ids (the MDC lives in the job's own Vert.x context).
        MDC.put("jobId", jobId.toString());
        MDC.put("workspaceId", target.workspaceId().toString());
        MDC.put("channelId", target.channelId().toString());
        // A round reconciles thousands of channels; each is in the job list, so those starts only at DEBUG.
        LOG.logf(Job.KIND_RECONCILE.equals(kind) ? Logger.Level.DEBUG : Logger.Level.INFO, "%s job %s started for %s",
                kind, jobId, target);
        long started = System.nanoTime();
        return runningJobs.keepAlive(kind, jobId,
                work.invoke(outcome -> metrics.jobEnded(kind, outcome, Duration.ofNanos(System.nanoTime() - started))));
    }

    // --- reconciliation of PENDING templates ----------------------------------------------------

    /**
     * Reads from Meta every channel of the workspace that has PENDING templates, a bounded number at
     * a time, and updates those templates. A channel that fails does not undo the others.
     */
    public Uni<ReconcileResult> reconcileWorkspace(UUID workspaceId) {
        refuseWhenStopping();
        return channels.withPendingTemplates(workspaceId).chain(list -> {
            if (list.isEmpty()) {
                return Uni.createFrom().item(ReconcileResult.NOTHING_PENDING);
            }
            return reconcileAll(Multi.createFrom().iterable(list).map(SyncTarget::of), LANCEPILOT_PENDING)
                    .map(failed -> failed == 0 ? ReconcileResult.SYNCED : ReconcileResult.FAILED);
        });
    }

    /**
     * One scheduler round on this replica: keeps {@code concurrency} channels in flight, claiming the
     * next due ones as reads end, until none is left. (Claiming a batch and waiting for all of it
     * left the slots idle behind each batch's slowest channel.) Replicas running the same round split
     * the channels through {@link DueChannels}; at most one batch is claimed ahead of the reads.
     */
    public Uni<Void> reconcileDueChannels() {
        long started = System.nanoTime();
        AtomicInteger channelsRead = new AtomicInteger();
        Multi<SyncTarget> due = Multi.createBy().repeating()
                .uni(() -> runningJobs.stopping() ? Uni.createFrom().item(List.<SyncTarget>of())
                        : dueChannels.claim(reconcileConfig.concurrency(), reconcileConfig.every()))
                .whilst(claimed -> !claimed.isEmpty())
                .onItem().<SyncTarget>disjoint()
                .invoke(channelsRead::incrementAndGet);
        return reconcileAll(due, Template.WAITING_ON_META)
                .invoke(() -> {
                    if (channelsRead.get() > 0) {
                        metrics.reconcileRound(Duration.ofNanos(System.nanoTime() - started), channelsRead.get());
                    }
                })
                .replaceWithVoid();
    }

    /** Reconciles the channels with at most {@code concurrency} in flight; answers how many failed. */
    private Uni<Integer> reconcileAll(Multi<SyncTarget> targets, List<String> statuses) {
        return targets
                .onItem().transformToUni(target -> contexts.call(() -> reconcileChannel(target, statuses)))
                .merge(reconcileConfig.concurrency())
                .collect().in(AtomicInteger::new, (failed, outcome) -> {
                    if (outcome != JobOutcome.SUCCEEDED) {
                        failed.incrementAndGet();
                    }
                })
                .map(AtomicInteger::get);
    }

    /** How the channel's reconciliation ended; a failure is recorded in its job. */
    Uni<JobOutcome> reconcileChannel(SyncTarget target, List<String> statuses) {
        Instant readSince = Timestamps.now();
        return store.startReconcile(target, runner, statuses).chain(started -> alive(started.jobId(), target,
                Job.KIND_RECONCILE, Uni.createFrom().item(started.waiting())
                .chain(pending -> {
                    UUID jobId = started.jobId();
                    if (pending.isEmpty()) {
                        return store.succeedReconcile(jobId, target).replaceWith(JobOutcome.SUCCEEDED);
                    }
                    Set<String> remaining = new HashSet<>(pending);
                    // No read-ahead here: reading stops as soon as every PENDING template was seen.
                    return pages(target, false)
                            .onItem().transformToUniAndConcatenate(
                                    page -> store.storeWaitingPage(jobId, target, page, remaining, statuses, readSince))
                            .invoke(outcome -> remaining.removeAll(outcome.providerIds()))
                            // Once every PENDING template has been seen, Meta is not asked for more pages.
                            .select().first(outcome -> !remaining.isEmpty())
                            .collect().last()
                            // Ended with the page that held the last one; else some were not at Meta.
                            .chain(() -> remaining.isEmpty() ? Uni.createFrom().item(0)
                                    : store.succeedReconcile(jobId, target))
                            .replaceWith(JobOutcome.SUCCEEDED)
                            .onFailure().recoverWithUni(failure -> fail(jobId, target, failure)
                                    .replaceWith(JobOutcome.of(failure)));
                })))
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf(failure, "Reconciliation of %s could not be recorded", target);
                    return JobOutcome.FAILED;
                });
    }

    // --- shared ---------------------------------------------------------------------------------

    private Multi<List<MetaTemplate>> pages(SyncTarget target, boolean readAhead) {
        Instant blockedUntil = target.metaBlockedUntil();
        if (blockedUntil != null && blockedUntil.isAfter(Timestamps.now())) {
            // Meta asked us to keep away from this WABA until then: do not even ask.
            return Multi.createFrom().failure(new MetaRateLimitException(0, null, null,
                    "Meta rate-limited this WABA until " + blockedUntil + "; not calling it before then", null));
        }
        return Uni.createFrom().item(() -> channels.accessToken(target.encryptedToken()))
                .onItem().transformToMulti(token -> meta.templatePages(target.wabaId(), token, readAhead));
    }

    private Uni<Integer> fail(UUID jobId, SyncTarget target, Throwable failure) {
        if (failure instanceof JobNoLongerRunningException) {
            LOG.warnf("Job %s of %s was ended elsewhere; it stops here", jobId, target);
            return Uni.createFrom().item(0);
        }
        String reason = describe(failure);
        LOG.warnf("Job %s of %s failed: %s", jobId, target, reason);
        MetaApiException metaFailure = failure instanceof MetaApiException m ? m : null;
        return recordFailure(jobId, target, reason, metaFailure);
    }

    /**
     * The failure is recorded even if the database is away for a while (retried with backoff); if it
     * stays away longer, the job's heartbeat stops and it is taken as abandoned once it is back.
     */
    private Uni<Integer> recordFailure(UUID jobId, SyncTarget target, String reason, MetaApiException metaFailure) {
        return store.fail(jobId, target.channelId(), reason, metaFailure)
                // Each attempt opens its transaction on this context, where Hibernate Reactive expects it.
                .runSubscriptionOn(ContextDelays.currentContext())
                .onFailure().retry().withBackOff(FAIL_RECORD_FIRST_WAIT, FAIL_RECORD_LONGEST_WAIT)
                .atMost(FAIL_RECORD_ATTEMPTS - 1);
    }

    private static String describe(Throwable failure) {
        if (failure instanceof MetaApiException) {
            return failure.getMessage();
        }
        if (DatabaseFailures.isUnavailable(failure)) {
            return "The database became unreachable during the sync: " + failure.getMessage();
        }
        LOG.error("Sync failed on our side", failure);
        return "Internal error while storing templates (" + failure.getClass().getSimpleName() + ")";
    }
}
