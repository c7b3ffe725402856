package io.wabasync.outbound;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhooks to the customer's endpoints: timeouts, retries, rotation (WABASYNC_OUTBOUND_WEBHOOKS_*). */
@ConfigMapping(prefix = "wabasync.outbound-webhooks")
public interface OutboundConfig {

    /** How often a replica looks for deliveries that are due; a new change also wakes it at once. */
    @WithDefault("1s")
    String tick();

    /** How often a replica refreshes the outbox gauges and removes finished deliveries past retention. */
    @WithDefault("15s")
    String backlogEvery();

    /** Longest wait to open a connection to an endpoint. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Longest wait for a whole attempt, answer included. */
    @WithDefault("15s")
    Duration totalTimeout();

    /** Wait after the first failed attempt; it doubles (with jitter) from one attempt to the next. */
    @WithDefault("5s")
    Duration firstRetryDelay();

    /** Longest wait between two attempts. */
    @WithDefault("2h")
    Duration maxRetryDelay();

    /**
     * How long a delivery is retried before it is given up, and how long an endpoint may fail every
     * attempt before it is disabled (with the reason).
     */
    @WithDefault("3d")
    Duration retryFor();

    /** After a secret rotation, how long the previous secret still signs beside the new one. */
    @WithDefault("24h")
    Duration secretOverlap();

    /** Deliveries at once per replica. */
    @WithDefault("16")
    int concurrency();
}
