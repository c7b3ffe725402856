package io.wabasync.outbound;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A webhook endpoint. {@code secret} is present only in the answer that created it or rotated its
 * secret: it is stored encrypted and never shown again. {@code disabled_reason} says why the service
 * disabled an endpoint that kept failing; {@code previous_secret_expires_at} when the secret before a
 * rotation stops signing too.
 */
@RegisterForReflection
public record EndpointView(String id, String workspaceId, String url, String description, List<String> eventTypes,
        boolean enabled, String disabledReason, Instant failingSince, Instant previousSecretExpiresAt,
        Instant createdAt, Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

    static EndpointView of(EndpointStore.Endpoint e, String secret) {
        return new EndpointView(e.id().toString(), e.workspaceId().toString(), e.url(), e.description(),
                e.eventTypes(), e.enabled(), e.disabledReason(), instant(e.failingSince()),
                instant(e.previousSecretUntil()), instant(e.createdAt()), instant(e.updatedAt()), secret);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
