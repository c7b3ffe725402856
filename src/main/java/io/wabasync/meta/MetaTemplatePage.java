package io.wabasync.meta;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of {@code GET /{version}/{waba-id}/message_templates}. */
@RegisterForReflection
public record MetaTemplatePage(List<MetaTemplate> data, Paging paging) {

    @RegisterForReflection
    public record Paging(Cursors cursors, String next) {
    }

    @RegisterForReflection
    public record Cursors(String before, String after) {
    }

    /**
     * The cursor of the following page, or null on the last one. Only a present {@code next} means
     * there is more: a short page is not the end, and {@code after} alone is set on the last page too.
     */
    String nextCursor() {
        if (paging == null || paging.next() == null || paging.next().isBlank()) {
            return null;
        }
        if (paging.cursors() != null && paging.cursors().after() != null && !paging.cursors().after().isBlank()) {
            return paging.cursors().after();
        }
        return queryParam(paging.next(), "after");
    }

    private static String queryParam(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
