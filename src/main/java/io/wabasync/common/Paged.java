package io.wabasync.common;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A LancePilot list answer: {@code {"success": true, "data": [...], "meta": {...}}}. */
@RegisterForReflection
public record Paged<T>(boolean success, List<T> data, PageMeta meta) {

    public static <T> Paged<T> of(List<T> data, int page, int perPage, long total) {
        return new Paged<>(true, data, PageMeta.of(page, perPage, total, data.size()));
    }
}
