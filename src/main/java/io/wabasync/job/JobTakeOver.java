package io.wabasync.job;

import io.smallrye.mutiny.Uni;

/**
 * A kind of job that is not ended when its instance dies but taken over by another replica (or the
 * same one, restarted) and run again from the start, so running it twice must be harmless. The
 * {@link JobSweeper} finds such jobs by their old heartbeat and hands them here; the other kinds are
 * ended FAILED ("Abandoned"). A job of such a kind is also left RUNNING when its instance stops, for
 * the take-over, where the others are ended at once ("Interrupted").
 */
public interface JobTakeOver {

    /** The kind of job ({@link Job#kind}) run again here. */
    String kind();

    /** Runs the taken-over job again to its end (on a context of its own), its runner now this instance. */
    Uni<Void> resume(Job job);
}
