package io.wabasync.common;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** LancePilot's (Laravel's) paging block: one-based pages, {@code from}/{@code to} null when empty. */
@RegisterForReflection
public record PageMeta(int currentPage, Integer from, int lastPage, int perPage, Integer to, long total) {

    public static PageMeta of(int page, int perPage, long total, int itemsOnPage) {
        Integer from = itemsOnPage == 0 ? null : (page - 1) * perPage + 1;
        Integer to = itemsOnPage == 0 ? null : from + itemsOnPage - 1;
        int lastPage = (int) Math.max(1, (total + perPage - 1) / perPage);
        return new PageMeta(page, from, lastPage, perPage, to, total);
    }
}
