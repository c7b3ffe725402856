package io.wabasync.job;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.wabasync.common.BackgroundRounds;
import io.wabasync.common.InstanceName;
import io.wabasync.common.IsolatedContexts;
import io.wabasync.common.Timestamps;

/**
 * Jobs whose instance died (no heartbeat for {@link JobConfig#abandonAfter()}): every replica, on each
 * tick, ends them FAILED so that no job stays RUNNING forever and their channels are free, except the
 * kinds that are taken over and run again ({@link JobTakeOver}), which it hands to their owner.
 */
@ApplicationScoped
public class JobSweeper {

    private static final Logger LOG = Logger.getLogger(JobSweeper.class);

    private final Pool pool;
    private final JobStatements statements;
    private final JobConfig config;
    private final Instance<JobTakeOver> takeOvers;
    private final IsolatedContexts contexts;
    private final BackgroundRounds rounds;
    private final String runner;
    private volatile Set<String> takenOverKinds;

    JobSweeper(Pool pool, JobStatements statements, JobConfig config, Instance<JobTakeOver> takeOvers,
            IsolatedContexts contexts, BackgroundRounds rounds, InstanceName instance) {
        this.pool = pool;
        this.statements = statements;
        this.config = config;
        this.takeOvers = takeOvers;
        this.contexts = contexts;
        this.rounds = rounds;
        this.runner = instance.value();
    }

    @Scheduled(identity = "sweep-abandoned-jobs", every = "${wabasync.sync.sweep-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return rounds.run("Abandoned-job sweep", () -> failAbandoned().replaceWithVoid());
    }

    @Scheduled(identity = "take-over-abandoned-jobs", every = "${wabasync.sync.sweep-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> takeOver() {
        return rounds.run("Take-over of abandoned jobs", this::takeOverAbandoned);
    }

    /** Ends FAILED every abandoned job of a kind that is not taken over, in a transaction of its own; how many. */
    public Uni<Integer> failAbandoned() {
        OffsetDateTime now = Timestamps.nowAtUtc();
        return statements.failAbandoned(pool, null, now.minus(config.abandonAfter()), now, takenOverKinds())
                .invoke(count -> {
                    if (count > 0) {
                        LOG.warnf("Marked %d abandoned job(s) FAILED", count);
                    }
                });
    }

    /**
     * The same for one channel, in the caller's transaction: before a full sync is claimed, so a job
     * left behind by a dead instance never blocks the channel.
     */
    public Uni<Integer> failAbandoned(SqlClient transaction, UUID channelId, OffsetDateTime now) {
        return statements.failAbandoned(transaction, channelId, now.minus(config.abandonAfter()), now, takenOverKinds());
    }

    /** Takes over the abandoned jobs of each kind that is run again, and runs them, one after the other. */
    public Uni<Void> takeOverAbandoned() {
        return Multi.createFrom().iterable(takeOvers)
                .onItem().transformToUniAndConcatenate(this::takeOverAbandoned)
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> takeOverAbandoned(JobTakeOver takeOver) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        return statements.takeOver(takeOver.kind(), now.minus(config.abandonAfter()), runner, now)
                .onItem().transformToMulti(taken -> Multi.createFrom().iterable(taken))
                .onItem().transformToUniAndConcatenate(job -> {
                    LOG.infof("Taking over %s job %s of a stopped instance", job.kind, job.id);
                    return contexts.call(() -> takeOver.resume(job));
                })
                .collect().last().replaceWithVoid();
    }

    /** Whether a job of this kind left by a dead or stopping instance is taken over rather than ended. */
    boolean takesOver(String kind) {
        return takenOverKinds().contains(kind);
    }

    private Set<String> takenOverKinds() {
        Set<String> kinds = takenOverKinds;
        if (kinds == null) {
            // The beans are fixed when the application is built; asked once, on first use.
            kinds = takeOvers.stream().map(JobTakeOver::kind).collect(Collectors.toUnmodifiableSet());
            takenOverKinds = kinds;
        }
        return kinds;
    }

}
