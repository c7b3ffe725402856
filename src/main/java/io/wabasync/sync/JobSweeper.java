package io.wabasync.sync;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.BackgroundRounds;

/** Every replica ends jobs whose instance died (no heartbeat), so no job stays RUNNING forever. */
@ApplicationScoped
class JobSweeper {

    private final SyncEngine engine;
    private final BackgroundRounds rounds;

    JobSweeper(SyncEngine engine, BackgroundRounds rounds) {
        this.engine = engine;
        this.rounds = rounds;
    }

    @Scheduled(identity = "sweep-abandoned-jobs", every = "${wabasync.sync.sweep-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return rounds.run("Abandoned-job sweep", () -> engine.failAbandonedJobs().replaceWithVoid());
    }
}
