package io.wabasync.sync;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Scheduled reconciliation of PENDING templates. */
@ConfigMapping(prefix = "wabasync.reconcile")
public interface ReconcileConfig {

    /** How often each channel with PENDING templates is read from Meta (WABASYNC_RECONCILE_EVERY). */
    @WithDefault("30m")
    Duration every();

    /**
     * How often a replica looks for channels that are due (WABASYNC_RECONCILE_TICK); {@code off}
     * disables the scheduler on this replica.
     */
    @WithDefault("1m")
    String tick();

    /** How long after start a replica first looks (WABASYNC_RECONCILE_INITIAL_DELAY). */
    @WithDefault("10s")
    String initialDelay();

    /** Channels one replica reads from Meta at the same time, for the scheduler and the endpoint. */
    @WithDefault("8")
    int concurrency();
}
