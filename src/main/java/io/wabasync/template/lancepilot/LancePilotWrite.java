package io.wabasync.template.lancepilot;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * LancePilot's answer to its POST endpoints: {@code {"status": 201, "message": "Resource created
 * successfully.", "data": {...}}} (its GET answers use {@code success} instead).
 */
@RegisterForReflection
public record LancePilotWrite(int status, String message, Object data) {
}
