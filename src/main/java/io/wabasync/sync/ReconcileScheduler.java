package io.wabasync.sync;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.DatabaseFailures;

/**
 * The scheduled reconciliation. Every replica ticks; {@link DueChannels} makes sure each channel is
 * taken by one of them per period. Within this replica a round never overlaps the previous one.
 */
@ApplicationScoped
class ReconcileScheduler {

    private static final Logger LOG = Logger.getLogger(ReconcileScheduler.class);

    private final SyncEngine engine;

    ReconcileScheduler(SyncEngine engine) {
        this.engine = engine;
    }

    @Scheduled(identity = "reconcile-pending", every = "${wabasync.reconcile.tick:1m}", delayed = "${wabasync.reconcile.initial-delay:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reconcileDueChannels() {
        return engine.reconcileDueChannels()
                .onFailure(DatabaseFailures::isUnavailable).recoverWithUni(failure -> {
                    LOG.warnf("Reconciliation round skipped, database unavailable: %s", failure.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }
}
