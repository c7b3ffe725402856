package io.wabasync.meta;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Meta's error body: {@code {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}}. */
@RegisterForReflection
record GraphErrorEnvelope(GraphError error) {

    @RegisterForReflection
    record GraphError(String message, String type, Integer code, Integer errorSubcode, String fbtraceId,
            Boolean isTransient) {
    }
}
