package io.wabasync.common;

import jakarta.ws.rs.core.UriInfo;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Laravel's paginator links: absolute URLs of the first, last, previous and next pages ({@code prev}
 * and {@code next} null at the ends), keeping the request's other query parameters (filters,
 * {@code per_page}) so that following a link pages through the same list.
 */
@RegisterForReflection
public record PageLinks(String first, String last, String prev, String next) {

    static PageLinks of(UriInfo request, int page, int lastPage) {
        return new PageLinks(url(request, 1), url(request, lastPage),
                page > 1 ? url(request, Math.min(page - 1, lastPage)) : null,
                page < lastPage ? url(request, page + 1) : null);
    }

    private static String url(UriInfo request, int page) {
        return request.getRequestUriBuilder().replaceQueryParam("page", page).build().toString();
    }
}
