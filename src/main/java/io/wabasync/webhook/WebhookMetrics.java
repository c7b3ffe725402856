package io.wabasync.webhook;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wabasync.common.Timestamps;

/** Deliveries by outcome, their changes by result, failed attempts, and the inbox's backlog. */
@ApplicationScoped
class WebhookMetrics {

    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("wabasync.webhook.inbox.pending", pending, AtomicLong::get)
                .description("Webhook deliveries received but not applied yet").register(registry);
        Gauge.builder("wabasync.webhook.inbox.oldest.age.seconds", oldestAgeSeconds, AtomicLong::get)
                .description("Age of the oldest delivery not applied yet").register(registry);
        // Present from the start, so an alert on refused deliveries has a series to watch.
        registry.counter("wabasync.webhook.deliveries", "outcome", "accepted");
    }

    /** accepted, duplicate, missing_signature, bad_signature, malformed or not_configured. */
    void delivery(String outcome) {
        registry.counter("wabasync.webhook.deliveries", "outcome", outcome).increment();
    }

    void applied(WebhookApplier.Result result) {
        change("applied", result.applied());
        change("unchanged", result.unchanged());
        change("stale", result.stale());
        change("unknown_template", result.unknownTemplate());
        change("unknown_waba", result.unknownWaba());
    }

    void applyFailed() {
        registry.counter("wabasync.webhook.apply.failures").increment();
    }

    void backlog(WebhookInbox.Backlog backlog) {
        pending.set(backlog.pending());
        OffsetDateTime oldest = backlog.oldest();
        oldestAgeSeconds.set(oldest == null ? 0
                : Math.max(0, Duration.between(oldest.toInstant(), Timestamps.now()).toSeconds()));
    }

    private void change(String result, int count) {
        if (count > 0) {
            registry.counter("wabasync.webhook.changes", "result", result).increment(count);
        }
    }
}
