package io.wabasync.outbound;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One event sent (or to send) to one endpoint: {@code id} is the {@code webhook-id} header every
 * attempt carries; {@code status} PENDING, DELIVERED or FAILED (given up); each attempt with the
 * answer's status code (null when there was none: refused address, timeout, connection error), its
 * latency and the first bytes of the answer.
 */
@RegisterForReflection
public record DeliveryView(String id, String endpointId, long sequence, String eventType, String templateId,
        String status, int attempts, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt,
        Integer lastStatusCode, String lastError, List<Attempt> attemptLog) {

    @RegisterForReflection
    public record Attempt(Instant at, Integer statusCode, long latencyMs, String response, String error,
            String instance) {
    }
}
