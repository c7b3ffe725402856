package io.wabasync.sync;

import java.util.Locale;

/** How a job ended, as the metrics tag it. */
enum JobOutcome {
    SUCCEEDED,
    FAILED,
    /** Ended elsewhere while it ran (taken as abandoned, or its instance stopping). */
    ABANDONED;

    static JobOutcome of(Throwable failure) {
        return failure instanceof JobNoLongerRunningException ? ABANDONED : FAILED;
    }

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
