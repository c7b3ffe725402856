package io.wabasync.template.twochat;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A template in 2Chat's "Get WABA Templates" shape: 2Chat's documented fields first, then ours
 * ({@code provider_id} onwards; {@code components} is Meta's array as Meta sent it).
 * {@code templateContent} (a JSON string) and {@code waba} (the page's number, the same for every
 * template) come already written as JSON, and are copied out as they are.
 */
@RegisterForReflection
public record TwoChatTemplateView(String uuid, String name, String status, String category,
        @Schema(implementation = String.class) JsonNode templateContent, String description, Instant updatedAt,
        @Schema(implementation = TwoChatWaba.class) JsonNode waba, String providerId, String language,
        JsonNode components, String rejectedReason, String qualityScore) {
}
