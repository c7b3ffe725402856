package io.wabasync.common;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The one error shape of the contract: {@code {"success": false, "message": "..."}}. */
@RegisterForReflection
public record ApiError(boolean success, String message) {

    public static ApiError of(String message) {
        return new ApiError(false, message);
    }
}
