package io.wabasync.webhook;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.wabasync.common.BackgroundRounds;
import io.wabasync.common.IsolatedContexts;
import io.wabasync.sync.SyncEngine;

/**
 * Works off the inbox: a new delivery at once, and, on every replica's tick, whatever is still
 * due (a failed attempt, or a delivery whose instance stopped before applying it). Each delivery
 * is applied in one transaction that holds its row, so replicas never apply one twice at once.
 */
@ApplicationScoped
class WebhookProcessor {

    private static final Logger LOG = Logger.getLogger(WebhookProcessor.class);
    private static final int MAX_PER_TICK = 200;

    private final WebhookInbox inbox;
    private final WebhookApplier applier;
    private final SyncEngine engine;
    private final IsolatedContexts contexts;
    private final ObjectMapper json;
    private final WebhookMetrics metrics;
    private final WebhookConfig config;
    private final BackgroundRounds rounds;

    WebhookProcessor(WebhookInbox inbox, WebhookApplier applier, SyncEngine engine, IsolatedContexts contexts,
            ObjectMapper json, WebhookMetrics metrics, WebhookConfig config, BackgroundRounds rounds) {
        this.inbox = inbox;
        this.applier = applier;
        this.engine = engine;
        this.contexts = contexts;
        this.json = json;
        this.metrics = metrics;
        this.config = config;
        this.rounds = rounds;
    }

    /** Applies a just-stored delivery after the answer to Meta; if that fails the inbox keeps it. */
    void applySoon(UUID deliveryId) {
        contexts.start(() -> process(connection -> inbox.claim(connection, deliveryId)),
                failure -> rounds.report("Webhook delivery " + deliveryId + " not applied yet (it will be retried)",
                        failure));
    }

    @Scheduled(identity = "webhook-inbox", every = "${wabasync.webhook.retry-tick:5s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> workOffInbox() {
        return rounds.run("Webhook inbox round", () -> contexts.call(() -> drain(MAX_PER_TICK)
                .chain(() -> inbox.purgeAppliedBefore(OffsetDateTime.now().minus(config.keepApplied())))
                .chain(inbox::backlog)
                .invoke(metrics::backlog)
                .replaceWithVoid()));
    }

    private Uni<Void> drain(int left) {
        if (left == 0) {
            return Uni.createFrom().voidItem();
        }
        return process(inbox::claimDue).chain(took -> took ? drain(left - 1) : Uni.createFrom().voidItem());
    }

    /** Claims a delivery and applies it; false when there was none to claim. */
    private Uni<Boolean> process(Function<SqlConnection, Uni<WebhookInbox.Claimed>> claim) {
        AtomicReference<WebhookInbox.Claimed> taken = new AtomicReference<>();
        return inbox.pool().withTransaction(connection -> claim.apply(connection).chain(claimed -> {
            if (claimed == null) {
                return Uni.createFrom().<WebhookApplier.Result>nullItem();
            }
            taken.set(claimed);
            List<TemplateUpdate> changes;
            try {
                changes = TemplateUpdate.of(json.readTree(claimed.body()));
            } catch (Exception e) {
                return Uni.createFrom().failure(e);
            }
            return applier.apply(connection, changes).call(result -> result.channelsToSync().isEmpty()
                    ? inbox.markApplied(connection, claimed.id())
                    : inbox.postpone(connection, claimed.id(), config.syncWait()));
        }))
                .chain(result -> {
                    if (result == null) {
                        return Uni.createFrom().item(false);
                    }
                    metrics.applied(result);
                    return (result.channelsToSync().isEmpty() ? Uni.createFrom().voidItem()
                            : fetchUnknownTemplates(taken.get(), result.channelsToSync())).replaceWith(true);
                })
                .onFailure().recoverWithUni(failure -> {
                    WebhookInbox.Claimed claimed = taken.get();
                    if (claimed == null) {
                        return Uni.createFrom().failure(failure);
                    }
                    metrics.applyFailed();
                    LOG.warnf("Webhook delivery %s could not be applied (attempt %d), retried later: %s", claimed.id(),
                            claimed.attempts() + 1, failure.getMessage());
                    return inbox.markFailed(claimed.id(), failure.getMessage(), config.maxRetryDelay())
                            .onFailure().invoke(e -> LOG.warnf("Could not record the failed attempt: %s", e.getMessage()))
                            .onFailure().recoverWithNull()
                            .replaceWith(true);
                });
    }

    /**
     * Templates Meta knows and we do not: the first time, their channels get a full sync (or join
     * the one running: the claim keeps it to one), and the delivery is applied again after it, so
     * the event's state lands on the templates the sync brought. If they are still unknown once no
     * sync runs, Meta no longer lists them: the delivery counts as applied.
     */
    private Uni<Void> fetchUnknownTemplates(WebhookInbox.Claimed delivery, Set<UUID> channels) {
        if (!delivery.syncsStarted()) {
            return Multi.createFrom().iterable(channels)
                    .onItem().transformToUniAndConcatenate(channelId -> engine.startFullSync(channelId)
                            .invoke(start -> {
                                if (start != null) {
                                    LOG.infof("Webhook delivery %s names a template unknown here: full sync %s of "
                                            + "channel %s %s", delivery.id(), start.job().id, channelId,
                                            start.started() ? "started" : "already running");
                                }
                            }))
                    .collect().last()
                    .chain(() -> inbox.markSyncsStarted(delivery.id()));
        }
        return engine.anyFullSyncRunning(channels).chain(running -> {
            if (running) {
                return inbox.postpone(delivery.id(), config.syncWait());
            }
            LOG.infof("Webhook delivery %s names templates Meta no longer lists; left as applied", delivery.id());
            return inbox.markApplied(delivery.id());
        });
    }
}
