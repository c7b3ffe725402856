package io.wabasync.common;

import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.UriInfo;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A LancePilot list answer, as a Laravel paginator writes it:
 * {@code {"success": true, "data": [...], "meta": {...}, "links": {first, last, prev, next}}}.
 */
@RegisterForReflection
public record Paged<T>(boolean success, List<T> data, PageMeta meta, PageLinks links) {

    public static <T> Paged<T> of(List<T> data, int page, int perPage, long total) {
        return new Paged<>(true, data, PageMeta.of(page, perPage, total, data.size()), null);
    }

    /** The same page with each item shaped by {@code shape}. */
    public <R> Paged<R> map(Function<T, R> shape) {
        return new Paged<>(success, data.stream().map(shape).toList(), meta, links);
    }

    /** The same page with the URLs of its neighbours, built from the request that asked for it. */
    public Paged<T> linkedFrom(UriInfo request) {
        return new Paged<>(success, data, meta, PageLinks.of(request, meta.currentPage(), meta.lastPage()));
    }
}
