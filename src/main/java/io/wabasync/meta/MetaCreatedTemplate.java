package io.wabasync.meta;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Meta's answer to a template create: its id, and its status (PENDING, or APPROVED/REJECTED at once). */
@RegisterForReflection
public record MetaCreatedTemplate(String id, String status, String category) {
}
