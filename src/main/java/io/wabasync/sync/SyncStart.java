package io.wabasync.sync;

/** The outcome of a trigger: the job that now runs for the channel, and whether this trigger started it. */
public record SyncStart(SyncJob job, boolean started) {
}
