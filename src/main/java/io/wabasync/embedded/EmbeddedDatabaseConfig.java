package io.wabasync.embedded;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The single node's embedded database. Read by {@link io.wabasync.Main} before the service starts, from
 * the same sources as every other setting (environment, system properties, application.properties).
 */
@ConfigMapping(prefix = "wabasync.embedded-database")
public interface EmbeddedDatabaseConfig {

    /**
     * WABASYNC_EMBEDDED_DATABASE_PORT: a port of the operator's choice, used strictly. Unset, a data
     * folder keeps the port of its first start (55432, or a free one when that is taken).
     */
    Optional<Integer> port();

    /** How long the server may take to start. */
    @WithDefault("30s")
    Duration startupWait();
}
