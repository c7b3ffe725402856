package io.wabasync.meta;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;

/** {@code wabasync_meta_calls_total{outcome, graph_code}}: every call to Meta, retries included. */
@ApplicationScoped
class MetaMetrics {

    private final MeterRegistry registry;

    MetaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void succeeded() {
        registry.counter("wabasync.meta.calls", "outcome", "success", "graph_code", "none").increment();
    }

    void failed(Throwable failure) {
        String outcome = "error";
        String code = "none";
        if (failure instanceof MetaApiException meta) {
            outcome = meta.kind().name().toLowerCase(java.util.Locale.ROOT);
            code = meta.graphCode() == null ? "none" : String.valueOf(meta.graphCode());
        } else if (failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException) {
            outcome = "timeout";
        } else if (failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException) {
            outcome = "circuit_open";
        }
        registry.counter("wabasync.meta.calls", "outcome", outcome, "graph_code", code).increment();
    }
}
