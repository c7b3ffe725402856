package io.wabasync.common;

import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;

/**
 * The rounds every replica runs on a tick (inbox, sweeps, reconciliation, delete take-over).
 *
 * <p>A round that finds the database away is skipped: the next tick tries again, and an operator
 * wants to hear about it. While the instance stops, though, its pools close under whatever round is
 * in flight; that is expected, not actionable, so it is not reported, and no new round starts.
 */
@Singleton
public class BackgroundRounds {

    private static final Logger LOG = Logger.getLogger(BackgroundRounds.class);

    private volatile boolean stopping;

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
    }

    // Before other observers of the shutdown, which close what a round would use.
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
    }

    /** Runs one round of {@code what}; a missing database skips it, reported unless the instance stops. */
    public Uni<Void> run(String what, Supplier<Uni<? extends Void>> round) {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().<Void>deferred(round)
                .onFailure(DatabaseFailures::isUnavailable).recoverWithUni(failure -> {
                    report(what + " skipped, database unavailable", failure);
                    return Uni.createFrom().voidItem();
                });
    }

    /** A failure of background work that will be tried again: a warning, but not while stopping. */
    public void report(String what, Throwable failure) {
        if (stopping) {
            LOG.debugf("%s (while stopping): %s", what, failure.getMessage());
        } else {
            LOG.warnf("%s: %s", what, failure.getMessage());
        }
    }
}
