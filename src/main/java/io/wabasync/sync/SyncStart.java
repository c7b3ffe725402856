package io.wabasync.sync;

import io.wabasync.job.Job;

/** The outcome of a trigger: the job that now runs for the channel, and whether this trigger started it. */
public record SyncStart(Job job, boolean started) {
}
