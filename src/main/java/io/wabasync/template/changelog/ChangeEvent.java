package io.wabasync.template.changelog;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One change of one template, as the event stream sends it. {@code field} says what changed:
 * {@code status} (then old/new status are the change), {@code quality_score}, {@code category},
 * {@code components} (an edit of its texts: old/new value are the body before and after) or
 * {@code removed} ("true" once a complete sync no longer finds it at Meta, "false" when it is back)
 * (then old/new value are, and the statuses show the current one). {@code source} is SYNC,
 * RECONCILE, WEBHOOK or API. {@code sequence} is its number in the workspace's change log (the stream's
 * event id, to resume after) and {@code type} its event type as outbound webhooks name it.
 */
@RegisterForReflection
@Schema(name = "TemplateChangeEvent")
public record ChangeEvent(UUID id, UUID workspaceId, UUID channelId, UUID templateId, String providerId,
        String name, String language, String field, String oldStatus, String newStatus, String oldValue,
        String newValue, String source, Instant changedAt, long sequence, String type) {
}
