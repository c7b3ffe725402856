package io.wabasync.template;

import java.time.Instant;
import java.util.UUID;

/**
 * A template as the lists read it, before either surface shapes it: the columns both show, JSON
 * kept as the stored text (written out as it is, never parsed). A 2Chat page reads fewer columns;
 * those it does not read are null. {@code componentsKey} is a digest of the components (the database
 * keeps it with the row): what is derived from them is found by it.
 */
public record ListedTemplate(UUID id, Long number, UUID workspaceId, UUID channelId, String phoneNumber, String name,
        String language, String category, String status, String providerId, String components,
        String rejectedReason, String qualityScore, String description, Instant createdAt, Instant updatedAt,
        String previousCategory, String correctCategory, String subCategory, String parameterFormat,
        Integer messageSendTtlSeconds, String otherInfo, String rejectionInfo, String disableInfo, Boolean locked, String componentsKey) {
}
