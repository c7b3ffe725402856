package io.wabasync.sync;

/** The outcome of a workspace's pending-status sync, as LancePilot's endpoint reports it. */
public enum ReconcileResult {
    NOTHING_PENDING,
    SYNCED,
    FAILED
}
