package io.wabasync.sync;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A sync job in the shape of 2Chat's sync status, with our counters. */
@RegisterForReflection
public record SyncJobView(boolean success, boolean isSyncing, String syncId, String status, Instant startTimeSyncing,
        Instant finishedAt, int pages, int templatesSeen, int created, int updated, int removed, int errors,
        String error) {

    static SyncJobView of(SyncJob job) {
        if (job == null) {
            // The number is connected but was never synced.
            return new SyncJobView(true, false, null, null, null, null, 0, 0, 0, 0, 0, 0, null);
        }
        return new SyncJobView(true, job.isRunning(), job.id.toString(), job.status, job.startedAt, job.finishedAt,
                job.pages, job.templatesSeen, job.createdCount, job.updatedCount, job.removedCount, job.errors,
                job.error);
    }
}
