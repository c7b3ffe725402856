package io.wabasync.common;

import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The error shape with the failing fields: {@code {"success": false, "message": "...", "errors": {field: [...]}}}. */
@RegisterForReflection
public record ApiValidationError(boolean success, String message, Map<String, List<String>> errors) {
}
