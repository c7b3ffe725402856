package io.wabasync.template;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A template in LancePilot's shape. */
@RegisterForReflection
public record TemplateView(String id, String workspaceId, String channelId, String phoneNumber, String name,
        String language, String category, String status, String providerId, JsonNode components,
        String rejectedReason, String qualityScore, Instant createdAt, Instant updatedAt) {

    static TemplateView of(Template t, String phoneNumber) {
        return new TemplateView(t.id.toString(), t.workspaceId.toString(), t.channelId.toString(), phoneNumber, t.name,
                t.language, t.category, t.status, t.providerId, t.components, t.rejectedReason, t.qualityScore,
                t.createdAt, t.updatedAt);
    }
}
