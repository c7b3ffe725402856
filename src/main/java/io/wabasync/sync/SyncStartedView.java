package io.wabasync.sync;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** 2Chat's answer to "Sync WABA Templates". */
@RegisterForReflection
public record SyncStartedView(boolean success, boolean isSyncing, Instant startTimeSyncing, String message,
        String syncId) {

    static SyncStartedView of(SyncStart start) {
        String message = start.started()
                ? "Template sync started in background. Please wait."
                : "Template sync is already in progress. Please wait.";
        return new SyncStartedView(true, true, start.job().startedAt, message, start.job().id.toString());
    }
}
