package io.wabasync.meta;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "wabasync.meta")
public interface MetaConfig {

    /** Graph API root (WABASYNC_META_BASE_URL); the REST client reads it through quarkus.rest-client.meta.url. */
    @WithDefault("https://graph.facebook.com")
    String baseUrl();

    /** Graph API version path segment (WABASYNC_META_API_VERSION). */
    @WithDefault("v23.0")
    String apiVersion();

    /** Templates asked for per page; Meta allows up to 100 and defaults to 25. */
    @WithDefault("100")
    int pageSize();

    RateLimit rateLimit();

    /**
     * The Meta app's id (WABASYNC_META_APP_ID): Meta's Resumable Upload API, which turns a media file
     * into the handle a template's header needs, is the app's. Without it only handles are taken.
     */
    Optional<String> appId();

    /**
     * How long a template create, edit or delete waits for Meta's answer (WABASYNC_META_WRITE_TIMEOUT).
     * Past it the outcome is unknown: a create is never repeated before Meta was asked whether it
     * happened.
     */
    @WithDefault("20s")
    Duration writeTimeout();

    interface RateLimit {

        /** Backoff when Meta rate-limits without saying for how long. */
        @WithDefault("5m")
        Duration defaultBackoff();

        /** A sync waits this long at most for Meta to allow it again; longer, and the job fails. */
        @WithDefault("60s")
        Duration maxWait();

        /** Usage (X-Business-Use-Case-Usage) from which we slow down before Meta refuses. */
        @WithDefault("95")
        int usageThresholdPercent();
    }
}
