package io.wabasync.common;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Service-wide settings; each maps to a WABASYNC_* environment variable. */
@ConfigMapping(prefix = "wabasync")
public interface WabasyncConfig {

    /** Operator API token (WABASYNC_ADMIN_TOKEN). Without it the operator API is closed. */
    Optional<String> adminToken();

    /** Base64 of a 32-byte AES key for Meta access tokens (WABASYNC_ENCRYPTION_KEY). */
    Optional<String> encryptionKey();

    /** Folder for local state: the embedded database and, when none is configured, the generated key. */
    @WithDefault("data")
    String dataDir();

    Http http();

    interface Http {

        /** Largest request body, in bytes, answered with a JSON 413 before it is read. */
        @WithDefault("262144")
        long maxBodySize();

        /** The same for Meta's webhook deliveries, which carry up to 1,000 changes each. */
        @WithDefault("2097152")
        long webhookMaxBodySize();

        /** The same for a template create with its media file (multipart): the file may be 16 MB. */
        @WithDefault("17301504")
        long mediaMaxBodySize();
    }

    ChangeLogSettings changeLog();

    interface ChangeLogSettings {

        /**
         * How long template changes stay in the log a stream resumes from (WABASYNC_CHANGE_LOG_RETENTION);
         * a client that resumes after an older change is told to re-read the lists.
         */
        @WithDefault("7d")
        Duration retention();

        /** How often a replica removes changes past retention. */
        @WithDefault("10m")
        String pruneEvery();
    }

    TemplateCountsSettings templateCounts();

    interface TemplateCountsSettings {

        /**
         * How often a replica folds the kept template counts' deltas into one row per number and
         * status (WABASYNC_TEMPLATE_COUNTS_FOLD_EVERY; "off" disables it, the totals stay exact).
         */
        @WithDefault("10s")
        String foldEvery();
    }

    Outbound outbound();

    interface Outbound {

        /**
         * Hosts and addresses the service may fetch from although they are loopback, private or
         * link-local (WABASYNC_OUTBOUND_ALLOWED_HOSTS, comma-separated; none by default).
         */
        Optional<List<String>> allowedHosts();
    }

    Console console();

    interface Console {

        /** Whether the console is served at /console (WABASYNC_CONSOLE_ENABLED); when off, every /console path is 404. */
        @WithDefault("true")
        boolean enabled();

        /** How long a console sign-in lasts (WABASYNC_CONSOLE_SESSION_LIFETIME); then the key is asked again. */
        @WithDefault("12h")
        Duration sessionLifetime();

        /** Failed sign-ins one client address may make within {@link #signInWindow()} (WABASYNC_CONSOLE_SIGN_IN_LIMIT). */
        @WithDefault("10")
        int signInLimit();

        /** The window the failed sign-ins are counted over (WABASYNC_CONSOLE_SIGN_IN_WINDOW). */
        @WithDefault("15m")
        Duration signInWindow();
    }
}
