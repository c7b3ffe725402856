package io.wabasync.sync;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wabasync.channel.Channel;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.meta.MetaApiException;
import io.wabasync.meta.MetaClient;

/**
 * The one sync engine. Every trigger (the 2Chat endpoint today; LancePilot, the scheduler and
 * webhooks later) claims a channel here and the engine streams Meta's pages into PostgreSQL.
 */
@ApplicationScoped
public class SyncEngine {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);
    private static final int CLAIM_ATTEMPTS = 3;

    private final SyncStore store;
    private final ChannelService channels;
    private final MetaClient meta;
    private final Vertx vertx;

    public SyncEngine(SyncStore store, ChannelService channels, MetaClient meta, Vertx vertx) {
        this.store = store;
        this.channels = channels;
        this.meta = meta;
        this.vertx = vertx;
    }

    /** Starts a full sync of the workspace's number, or reports the one already running. */
    public Uni<SyncStart> startFullSync(UUID workspaceId, String phoneNumber) {
        return channels.requireByPhone(workspaceId, phoneNumber).chain(this::startFullSync);
    }

    public Uni<SyncStart> startFullSync(Channel channel) {
        SyncTarget target = SyncTarget.of(channel);
        return claimOrJoin(target, CLAIM_ATTEMPTS).invoke(start -> {
            if (start.started()) {
                launch(start.job().id, target);
            }
        });
    }

    private Uni<SyncStart> claimOrJoin(SyncTarget target, int attemptsLeft) {
        return store.claim(target, SyncJob.KIND_FULL).chain(claimed -> {
            if (claimed != null) {
                return Uni.createFrom().item(new SyncStart(claimed, true));
            }
            return store.running(target.channelId()).chain(running -> {
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

    /**
     * Runs the job after the request has been answered, on a context of its own: the request's
     * context is gone by then, and Hibernate Reactive needs a safe duplicated context.
     */
    private void launch(UUID jobId, SyncTarget target) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> run(jobId, target).subscribe().with(
                outcome -> LOG.debugf("Sync job %s of %s ended", jobId, target),
                failure -> LOG.errorf(failure, "Sync job %s of %s could not record its end", jobId, target)));
    }

    Uni<Void> run(UUID jobId, SyncTarget target) {
        Set<String> seen = new HashSet<>();
        LOG.infof("Sync job %s started for %s", jobId, target);
        return Uni.createFrom().item(() -> channels.accessToken(target.encryptedToken()))
                .onItem().transformToMulti(token -> meta.templatePages(target.wabaId(), token))
                .onItem().transformToUniAndConcatenate(page -> store.storePage(jobId, target, page))
                .invoke(outcome -> seen.addAll(outcome.providerIds()))
                .collect().last()
                .chain(() -> store.succeed(jobId, target.channelId(), seen))
                .invoke(removed -> LOG.infof("Sync job %s succeeded: %d templates seen, %d removed", jobId,
                        seen.size(), removed))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    String reason = describe(failure);
                    LOG.warnf("Sync job %s of %s failed: %s", jobId, target, reason);
                    return store.fail(jobId, reason).replaceWithVoid();
                });
    }

    private static String describe(Throwable failure) {
        if (failure instanceof MetaApiException) {
            return failure.getMessage();
        }
        LOG.error("Sync failed on our side", failure);
        return "Internal error while storing templates (" + failure.getClass().getSimpleName() + ")";
    }
}
