package io.wabasync.webhook;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Meta's template webhooks: the shared secrets and how the inbox is worked off. */
@ConfigMapping(prefix = "wabasync.webhook")
public interface WebhookConfig {

    /** Echoed in Meta's subscription handshake (WABASYNC_WEBHOOK_VERIFY_TOKEN); unset = handshake refused. */
    Optional<String> verifyToken();

    /** The Meta app secret that signs deliveries (WABASYNC_WEBHOOK_APP_SECRET); unset = deliveries refused. */
    Optional<String> appSecret();

    /**
     * How often a replica looks for deliveries still to apply (WABASYNC_WEBHOOK_RETRY_TICK): left
     * by a failed attempt or by an instance that stopped. {@code off} disables it on this replica.
     */
    @WithDefault("5s")
    String retryTick();

    /** Longest wait between two attempts at a delivery; the wait doubles from one second up to it. */
    @WithDefault("5m")
    Duration maxRetryDelay();

    /**
     * When a delivery names a template we do not have, how long it waits before it is applied again,
     * after (or while) the full sync it started runs.
     */
    @WithDefault("10s")
    Duration syncWait();

    /** How long applied deliveries are kept, to recognise Meta's redeliveries (it retries for 36 h). */
    @WithDefault("7d")
    Duration keepApplied();
}
