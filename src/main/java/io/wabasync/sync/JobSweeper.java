package io.wabasync.sync;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.DatabaseFailures;

/** Every replica ends jobs whose instance died (no heartbeat), so no job stays RUNNING forever. */
@ApplicationScoped
class JobSweeper {

    private static final Logger LOG = Logger.getLogger(JobSweeper.class);

    private final SyncEngine engine;

    JobSweeper(SyncEngine engine) {
        this.engine = engine;
    }

    @Scheduled(identity = "sweep-abandoned-jobs", every = "${wabasync.sync.sweep-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return engine.failAbandonedJobs().replaceWithVoid()
                .onFailure(DatabaseFailures::isUnavailable).recoverWithUni(failure -> {
                    LOG.warnf("Abandoned-job sweep skipped, database unavailable: %s", failure.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }
}
