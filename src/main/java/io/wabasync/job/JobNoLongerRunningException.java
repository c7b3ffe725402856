package io.wabasync.job;

import java.util.UUID;

/**
 * The job was ended elsewhere (taken as abandoned, or its instance is stopping): its page is rolled
 * back and it stops, so two runs never write one channel at once.
 */
public class JobNoLongerRunningException extends RuntimeException {

    public JobNoLongerRunningException(UUID jobId) {
        super("Job " + jobId + " is no longer RUNNING", null, false, false);
    }
}
