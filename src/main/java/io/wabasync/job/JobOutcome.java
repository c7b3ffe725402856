package io.wabasync.job;

import java.util.Locale;

/** How a job ended, as the metrics tag it. */
public enum JobOutcome {
    SUCCEEDED,
    FAILED,
    /** Ended elsewhere while it ran (taken as abandoned, or its instance stopping). */
    ABANDONED;

    public static JobOutcome of(Throwable failure) {
        return failure instanceof JobNoLongerRunningException ? ABANDONED : FAILED;
    }

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
