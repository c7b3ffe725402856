package io.wabasync.outbound;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.wabasync.common.Timestamps;

/** Deliveries by outcome, the outbox's depth, and per endpoint the age of its oldest undelivered event. */
@ApplicationScoped
class OutboundMetrics {

    private final MeterRegistry registry;
    private final AtomicLong depth = new AtomicLong();
    private final MultiGauge oldestByEndpoint;
    private final MultiGauge depthByEndpoint;

    OutboundMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("wabasync.outbound.outbox.depth", depth, AtomicLong::get)
                .description("Webhook deliveries not delivered yet (nor given up), all endpoints").register(registry);
        oldestByEndpoint = MultiGauge.builder("wabasync.outbound.oldest.undelivered.age.seconds")
                .description("Per endpoint: age of the oldest event not delivered yet").register(registry);
        depthByEndpoint = MultiGauge.builder("wabasync.outbound.endpoint.pending")
                .description("Per endpoint: events not delivered yet").register(registry);
        // Present from the start, so an alert on failures has a series to watch.
        registry.counter("wabasync.outbound.deliveries", "outcome", "delivered");
        registry.counter("wabasync.outbound.deliveries", "outcome", "failed");
    }

    /** delivered, failed (retried later), gave_up or refused_address (an attempt that was not made). */
    void attempt(String outcome) {
        registry.counter("wabasync.outbound.deliveries", "outcome", outcome).increment();
    }

    void backlog(List<Outbox.Backlog> backlog) {
        depth.set(backlog.stream().mapToLong(Outbox.Backlog::pending).sum());
        OffsetDateTime now = Timestamps.nowAtUtc();
        oldestByEndpoint.register(backlog.stream().map(b -> MultiGauge.Row.of(Tags.of("endpoint",
                b.endpointId().toString()), Math.max(0, Duration.between(b.oldest(), now).toSeconds()))).toList(), true);
        depthByEndpoint.register(backlog.stream().map(b -> MultiGauge.Row.of(Tags.of("endpoint",
                b.endpointId().toString()), b.pending())).toList(), true);
    }
}
