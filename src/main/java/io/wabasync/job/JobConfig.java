package io.wabasync.job;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How jobs prove they are alive, and when one is taken as dead. Under {@code wabasync.sync} (the
 * {@code WABASYNC_SYNC_*} variables), where these settings were when every job was a sync.
 */
@ConfigMapping(prefix = "wabasync.sync")
public interface JobConfig {

    /** A RUNNING job whose heartbeat is older than this is marked FAILED (abandoned), on any replica. */
    @WithDefault("2m")
    Duration abandonAfter();

    /** How often a running job moves its heartbeat, whatever Meta's pace. */
    @WithDefault("20s")
    Duration heartbeatEvery();

    /** How often each replica looks for abandoned jobs ({@code off} disables it). */
    @WithDefault("30s")
    String sweepEvery();
}
