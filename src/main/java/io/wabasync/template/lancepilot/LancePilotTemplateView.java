package io.wabasync.template.lancepilot;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wabasync.template.ListedTemplate;
import io.wabasync.template.StoredJson;
import io.wabasync.template.Template;

/**
 * A template in LancePilot's shape: its integer {@code id}, {@code components} as LancePilot's object
 * {@code {header, body, footer, buttons}} (converted from Meta's array by {@link LancePilotComponents}),
 * LancePilot's documented fields first, then ours: the uuid the 2Chat surface shows, and the rest of
 * Meta's template model. Meta's components as Meta sent them are in the detail
 * ({@code meta_components}) and on the 2Chat surface.
 */
@RegisterForReflection
@Schema(name = "TemplateView")
public record LancePilotTemplateView(long id, String workspaceId, String channelId, String phoneNumber, String name,
        String language, String category, String status, String providerId, JsonNode components,
        String rejectedReason, String qualityScore, Instant createdAt, Instant updatedAt, String uuid,
        String previousCategory, String correctCategory, String subCategory, String parameterFormat,
        Integer messageSendTtlSeconds, JsonNode otherInfo, JsonNode rejectionInfo, JsonNode disableInfo,
        boolean locked) {

    /** A stored template, converted here: a write's answer, the detail. */
    public static LancePilotTemplateView of(Template t, String phoneNumber) {
        return new LancePilotTemplateView(t.number, t.workspaceId.toString(), t.channelId.toString(), phoneNumber, t.name,
                t.language, t.category, t.status, t.providerId, LancePilotComponents.fromMeta(t.components),
                t.rejectedReason, t.qualityScore, t.createdAt, t.updatedAt, t.id.toString(), t.previousCategory,
                t.correctCategory, t.subCategory, t.parameterFormat, t.messageSendTtlSeconds, t.otherInfo,
                t.rejectionInfo, t.disableInfo, t.locked);
    }

    /** A listed template, its components object from the rendering's cache. */
    static LancePilotTemplateView of(ListedTemplate t, LancePilotRendering rendering) {
        return new LancePilotTemplateView(t.number(), t.workspaceId().toString(), t.channelId().toString(),
                t.phoneNumber(), t.name(), t.language(), t.category(), t.status(), t.providerId(),
                rendering.of(t.componentsKey(), t.components()), t.rejectedReason(), t.qualityScore(), t.createdAt(), t.updatedAt(),
                t.id().toString(), t.previousCategory(), t.correctCategory(), t.subCategory(), t.parameterFormat(),
                t.messageSendTtlSeconds(), StoredJson.raw(t.otherInfo()), StoredJson.raw(t.rejectionInfo()),
                StoredJson.raw(t.disableInfo()), t.locked());
    }
}
