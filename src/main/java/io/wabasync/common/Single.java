package io.wabasync.common;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A LancePilot single-item answer: {@code {"success": true, "data": {...}}}. */
@RegisterForReflection
public record Single<T>(boolean success, T data) {

    public static <T> Single<T> of(T data) {
        return new Single<>(true, data);
    }
}
