package io.wabasync.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The current time at PostgreSQL's precision, so an answer shows what a later read returns. */
public final class Timestamps {

    private Timestamps() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** {@link #now()} as the reactive PostgreSQL client binds timestamptz. */
    public static OffsetDateTime nowAtUtc() {
        return OffsetDateTime.ofInstant(now(), ZoneOffset.UTC);
    }
}
