package io.wabasync.sync;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wabasync.job.Job;

/** A sync job with the fields of 2Chat's sync status, plus which kind, channel and replica. */
@RegisterForReflection
public record JobView(String id, String kind, String channelId, String phoneNumber, String runner, boolean isSyncing,
        String syncId, String status, Instant startTimeSyncing, Instant finishedAt, int pages, int templatesSeen,
        int created, int updated, int removed, int errors, String error) {

    static JobView of(Job job, String phoneNumber) {
        return new JobView(job.id.toString(), job.kind, job.channelId.toString(), phoneNumber, job.runner,
                job.isRunning(), job.id.toString(), job.status, job.startedAt, job.finishedAt, job.pages,
                job.templatesSeen, job.createdCount, job.updatedCount, job.removedCount, job.errors, job.error);
    }

    /** The number is connected but was never synced. */
    static JobView never(String channelId, String phoneNumber) {
        return new JobView(null, null, channelId, phoneNumber, null, false, null, null, null, null, 0, 0, 0, 0, 0, 0,
                null);
    }
}
