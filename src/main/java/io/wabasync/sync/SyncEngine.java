package io.wabasync.sync;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.Channel;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.meta.MetaApiException;
import io.wabasync.meta.MetaClient;

/**
 * The one sync engine. Every trigger goes through here: the 2Chat endpoint (full sync of a number),
 * the LancePilot endpoint and the scheduler (reconciliation of PENDING templates). Both kinds read
 * Meta through the same paging of {@link MetaClient#templatePages}.
 */
@ApplicationScoped
public class SyncEngine {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);
    private static final int CLAIM_ATTEMPTS = 3;

    private final SyncStore store;
    private final DueChannels dueChannels;
    private final ChannelService channels;
    private final MetaClient meta;
    private final IsolatedContexts contexts;
    private final ReconcileConfig reconcileConfig;
    private final String runner;

    public SyncEngine(SyncStore store, DueChannels dueChannels, ChannelService channels, MetaClient meta,
            IsolatedContexts contexts, ReconcileConfig reconcileConfig) {
        this.store = store;
        this.dueChannels = dueChannels;
        this.channels = channels;
        this.meta = meta;
        this.contexts = contexts;
        this.reconcileConfig = reconcileConfig;
        this.runner = System.getenv().getOrDefault("HOSTNAME", "local") + "/" + ProcessHandle.current().pid();
    }

    // --- full sync ------------------------------------------------------------------------------

    /** Starts a full sync of the workspace's number, or reports the one already running. */
    public Uni<SyncStart> startFullSync(UUID workspaceId, String phoneNumber) {
        return channels.requireByPhone(workspaceId, phoneNumber).chain(this::startFullSync);
    }

    public Uni<SyncStart> startFullSync(Channel channel) {
        SyncTarget target = SyncTarget.of(channel);
        return claimOrJoin(target, CLAIM_ATTEMPTS).invoke(start -> {
            if (start.started()) {
                UUID jobId = start.job().id;
                // The job outlives the request: it runs on a context of its own.
                contexts.start(() -> runFullSync(jobId, target),
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

    Uni<Void> runFullSync(UUID jobId, SyncTarget target) {
        Set<String> seen = new HashSet<>();
        LOG.infof("Sync job %s started for %s", jobId, target);
        return pages(target)
                .onItem().transformToUniAndConcatenate(page -> store.storePage(jobId, target, page))
                .invoke(outcome -> seen.addAll(outcome.providerIds()))
                .collect().last()
                .chain(() -> store.succeed(jobId, target.channelId(), seen))
                .invoke(removed -> LOG.infof("Sync job %s succeeded: %d templates seen, %d removed", jobId,
                        seen.size(), removed))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> fail(jobId, target, failure).replaceWithVoid());
    }

    // --- reconciliation of PENDING templates ----------------------------------------------------

    /**
     * Reads from Meta every channel of the workspace that has PENDING templates, a bounded number at
     * a time, and updates those templates. A channel that fails does not undo the others.
     */
    public Uni<ReconcileResult> reconcileWorkspace(UUID workspaceId) {
        return channels.withPendingTemplates(workspaceId).chain(list -> {
            if (list.isEmpty()) {
                return Uni.createFrom().item(ReconcileResult.NOTHING_PENDING);
            }
            return reconcileAll(list.stream().map(SyncTarget::of).toList())
                    .map(failed -> failed == 0 ? ReconcileResult.SYNCED : ReconcileResult.FAILED);
        });
    }

    /**
     * One scheduler round on this replica: claims due channels a batch at a time until none is left.
     * Replicas running the same round split the channels through {@link DueChannels}.
     */
    public Uni<Void> reconcileDueChannels() {
        int batch = reconcileConfig.concurrency();
        return dueChannels.claim(batch, reconcileConfig.every()).chain(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            LOG.debugf("Reconciling %d due channels", claimed.size());
            return reconcileAll(claimed).chain(failed -> reconcileDueChannels());
        });
    }

    /** Reconciles the channels with at most {@code concurrency} in flight; answers how many failed. */
    private Uni<Integer> reconcileAll(List<SyncTarget> targets) {
        return Multi.createFrom().iterable(targets)
                .onItem().transformToUni(target -> contexts.call(() -> reconcileChannel(target)))
                .merge(reconcileConfig.concurrency())
                .collect().asList()
                .map(results -> (int) results.stream().filter(ok -> !ok).count());
    }

    /** True when the channel was read and stored; false when it failed (recorded in its job). */
    Uni<Boolean> reconcileChannel(SyncTarget target) {
        return store.startReconcile(target, runner).chain(jobId -> store.pendingProviderIds(target.channelId())
                .chain(pending -> {
                    if (pending.isEmpty()) {
                        return store.succeedReconcile(jobId).replaceWith(Boolean.TRUE);
                    }
                    Set<String> remaining = new HashSet<>(pending);
                    return pages(target)
                            .onItem().transformToUniAndConcatenate(
                                    page -> store.storePendingPage(jobId, target, page, remaining))
                            .invoke(outcome -> remaining.removeAll(outcome.providerIds()))
                            // Once every PENDING template has been seen, Meta is not asked for more pages.
                            .select().first(outcome -> !remaining.isEmpty())
                            .collect().last()
                            .chain(() -> store.succeedReconcile(jobId))
                            .replaceWith(Boolean.TRUE)
                            .onFailure().recoverWithUni(failure -> fail(jobId, target, failure).replaceWith(Boolean.FALSE));
                }))
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf(failure, "Reconciliation of %s could not be recorded", target);
                    return Boolean.FALSE;
                });
    }

    // --- shared ---------------------------------------------------------------------------------

    private Multi<List<io.wabasync.meta.MetaTemplate>> pages(SyncTarget target) {
        return Uni.createFrom().item(() -> channels.accessToken(target.encryptedToken()))
                .onItem().transformToMulti(token -> meta.templatePages(target.wabaId(), token));
    }

    private Uni<Integer> fail(UUID jobId, SyncTarget target, Throwable failure) {
        String reason = describe(failure);
        LOG.warnf("Job %s of %s failed: %s", jobId, target, reason);
        return store.fail(jobId, reason);
    }

    private static String describe(Throwable failure) {
        if (failure instanceof MetaApiException) {
            return failure.getMessage();
        }
        LOG.error("Sync failed on our side", failure);
        return "Internal error while storing templates (" + failure.getClass().getSimpleName() + ")";
    }
}
