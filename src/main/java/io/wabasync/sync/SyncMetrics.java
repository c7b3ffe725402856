package io.wabasync.sync;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wabasync.job.JobOutcome;

/** Sync jobs by kind and outcome, their durations, and reconciliation rounds. */
@ApplicationScoped
class SyncMetrics {

    private final MeterRegistry registry;

    SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Present from the start, so dashboards and alerts see the series before the first round.
        roundTimer();
    }

    void jobEnded(String kind, JobOutcome outcome, Duration took) {
        registry.counter("wabasync.sync.jobs", "kind", kind, "outcome", outcome.tag()).increment();
        Timer.builder("wabasync.sync.duration").description("Duration of sync jobs")
                .tags("kind", kind, "outcome", outcome.tag())
                .publishPercentileHistogram()
                .register(registry).record(took);
    }

    void reconcileRound(Duration took, int channels) {
        roundTimer().record(took);
        registry.counter("wabasync.reconcile.channels").increment(channels);
    }

    private Timer roundTimer() {
        return Timer.builder("wabasync.reconcile.round").description("Duration of a replica's reconciliation round")
                .publishPercentileHistogram()
                .register(registry);
    }
}
