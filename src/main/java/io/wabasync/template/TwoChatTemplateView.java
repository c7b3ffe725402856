package io.wabasync.template;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A template in 2Chat's "Get WABA Templates" shape. */
@RegisterForReflection
public record TwoChatTemplateView(String uuid, String providerId, String name, String language, String status,
        String category, JsonNode components, String rejectedReason, String qualityScore, Instant updatedAt) {

    static TwoChatTemplateView of(Template t) {
        return new TwoChatTemplateView(t.id.toString(), t.providerId, t.name, t.language, t.status, t.category,
                t.components, t.rejectedReason, t.qualityScore, t.updatedAt);
    }
}
