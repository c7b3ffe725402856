package io.wabasync.common;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A plain outcome, as LancePilot answers: {@code {"success": true, "message": "..."}}. */
@RegisterForReflection
public record ApiMessage(boolean success, String message) {
}
