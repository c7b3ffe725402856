package io.wabasync.console.view;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.quarkus.qute.TemplateExtension;

/** How the pages write times: UTC to the second, the same on every replica and in every browser. */
@TemplateExtension
public final class Shown {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Shown() {
    }

    /** {@code {template.updatedAt.shown}} in a page, and the numbers' last sync. */
    static String shown(Instant time) {
        return time == null ? "" : FORMAT.format(time);
    }

    /** {@code {template.status.cssName}}: a value as part of a class name (APPROVED → approved). */
    static String cssName(String value) {
        return value == null ? "none" : value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

}
