package io.wabasync.template.twochat;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A template in 2Chat's "Get WABA Templates" shape: 2Chat's documented fields first, then ours
 * ({@code provider_id} onwards; {@code components} is Meta's array as Meta sent it).
 */
@RegisterForReflection
public record TwoChatTemplateView(String uuid, String name, String status, String category, String templateContent,
        String description, Instant updatedAt, TwoChatWaba waba, String providerId, String language,
        JsonNode components, String rejectedReason, String qualityScore) {
}
