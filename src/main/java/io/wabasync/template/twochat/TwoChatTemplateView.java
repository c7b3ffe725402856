package io.wabasync.template.twochat;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A template in 2Chat's "Get WABA Templates" shape: 2Chat's documented fields first, then ours
 * ({@code provider_id} onwards; {@code components} is Meta's array as Meta sent it).
 * {@code templateContent} holds the text already as a JSON string (quoted, escaped), kept so with the
 * other derived texts: it is written out as it is.
 */
@RegisterForReflection
public record TwoChatTemplateView(String uuid, String name, String status, String category,
        @Schema(type = SchemaType.STRING) JsonNode templateContent,
        String description, Instant updatedAt, TwoChatWaba waba, String providerId, String language,
        JsonNode components, String rejectedReason, String qualityScore) {
}
