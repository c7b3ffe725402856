package io.wabasync.job;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wabasync.common.InstanceName;

/**
 * The jobs this instance runs, of every kind. While a job's work runs, its heartbeat moves every
 * {@link JobConfig#heartbeatEvery()}, however long the work takes (Meta's retries, rate-limit waits),
 * so no replica takes a live job as abandoned. When the instance stops it starts no more jobs and ends
 * its running ones at once, rather than leave them RUNNING until another replica takes them as
 * abandoned; a job of a kind that is taken over ({@link JobTakeOver}) is left RUNNING, for the take-over.
 */
@ApplicationScoped
public class RunningJobs {

    private static final Logger LOG = Logger.getLogger(RunningJobs.class);

    private final JobStatements statements;
    private final JobSweeper sweeper;
    private final JobConfig config;
    private final String runner;
    /** This instance's running jobs that are ended if it stops. */
    private final Set<UUID> endedOnStop = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    RunningJobs(JobStatements statements, JobSweeper sweeper, JobConfig config, InstanceName instance) {
        this.statements = statements;
        this.sweeper = sweeper;
        this.config = config;
        this.runner = instance.value();
    }

    /** Whether this instance is stopping: a job that has not started should not. */
    public boolean stopping() {
        return stopping;
    }

    /**
     * Keeps the job alive while {@code work} runs, on the job's own Vert.x context (the caller's), and
     * counts it as this instance's until it ends.
     */
    public <T> Uni<T> keepAlive(String kind, UUID jobId, Uni<T> work) {
        boolean endOnStop = !sweeper.takesOver(kind);
        if (endOnStop) {
            endedOnStop.add(jobId);
        }
        Context context = Vertx.currentContext();
        long every = Math.max(1, config.heartbeatEvery().toMillis());
        long timer = context == null ? -1 : context.owner().setPeriodic(every, every, id -> statements.beat(jobId)
                .subscribe().with(ok -> { }, failure -> LOG.debugf("Heartbeat of %s failed: %s", jobId, failure)));
        return work.eventually(() -> {
            endedOnStop.remove(jobId);
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
            }
        });
    }

    /** On SIGTERM: start nothing more, and end the running jobs that would otherwise wait to be taken as abandoned. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Set<UUID> ours = Set.copyOf(endedOnStop);
        if (ours.isEmpty()) {
            return;
        }
        try {
            int ended = statements.interrupt(ours, "Interrupted: the service instance " + runner + " stopped")
                    .await().atMost(Duration.ofSeconds(5));
            LOG.infof("Stopping: ended %d running job(s)", ended);
        } catch (RuntimeException e) {
            LOG.warnf("Stopping: could not end %d running job(s); they will be taken as abandoned: %s", ours.size(),
                    e.getMessage());
        }
    }
}
