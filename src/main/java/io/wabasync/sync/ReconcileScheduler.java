package io.wabasync.sync;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.BackgroundRounds;

/**
 * The scheduled reconciliation. Every replica ticks; {@link DueChannels} makes sure each channel is
 * taken by one of them per period. Within this replica a round never overlaps the previous one.
 */
@ApplicationScoped
class ReconcileScheduler {

    private final SyncEngine engine;
    private final BackgroundRounds rounds;

    ReconcileScheduler(SyncEngine engine, BackgroundRounds rounds) {
        this.engine = engine;
        this.rounds = rounds;
    }

    @Scheduled(identity = "reconcile-pending", every = "${wabasync.reconcile.tick:1m}", delayed = "${wabasync.reconcile.initial-delay:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reconcileDueChannels() {
        return rounds.run("Reconciliation round", engine::reconcileDueChannels);
    }
}
