package io.wabasync;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wabasync.common.WabasyncConfig;
import io.wabasync.embedded.EmbeddedDatabase;
import io.wabasync.embedded.EmbeddedDatabaseBinaries;
import io.wabasync.embedded.EmbeddedDatabaseConfig;
import io.wabasync.embedded.EmbeddedDatabaseException;

/**
 * Starts the service; a single node (a build with the database binaries, no datasource configured)
 * first starts its own PostgreSQL on its data folder, and stops it only after the service has stopped.
 *
 * <p>Here rather than in a bean: the datasource settings must exist before Quarkus reads them, and the
 * database must outlive every pool and job, so it is stopped once {@link Quarkus#run} has returned.
 * Tests ({@code @QuarkusTest}) do not come through here; they get a database of their own.
 */
@QuarkusMain
public final class Main {

    private static final Logger LOG = Logger.getLogger(Main.class);
    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";

    private Main() {
    }

    public static void main(String... args) {
        Optional<EmbeddedDatabase> database;
        try {
            database = EmbeddedDatabaseBinaries.included() ? startEmbeddedDatabase(settings()) : Optional.empty();
        } catch (EmbeddedDatabaseException | ConfigValidationException | IllegalArgumentException e) {
            System.err.println("wabasync cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Quarkus.run(null, (exitCode, failure) -> {
            if (failure != null) {
                reportStartFailure(failure);
            }
            database.ifPresent(db -> {
                db.close();
                // Quarkus has closed its log handlers by now.
                System.err.println("Embedded PostgreSQL of " + db.folder() + " stopped");
            });
            System.exit(exitCode);
        }, args);
    }

    private static Optional<EmbeddedDatabase> startEmbeddedDatabase(SmallRyeConfig config) {
        if (config.getOptionalValue(REACTIVE_URL, String.class).isPresent()) {
            return Optional.empty();
        }
        EmbeddedDatabaseConfig settings = config.getConfigMapping(EmbeddedDatabaseConfig.class);
        Path folder = Path.of(config.getConfigMapping(WabasyncConfig.class).dataDir());
        LOG.infof("Starting the embedded PostgreSQL of %s", folder.toAbsolutePath());
        EmbeddedDatabase database = EmbeddedDatabase.start(folder, settings.port(), settings.startupWait());
        database.datasourceSettings().forEach(System::setProperty);
        LOG.infof("Embedded PostgreSQL of %s ready on 127.0.0.1:%d", database.folder(), database.port());
        return Optional.of(database);
    }

    /** The settings as Quarkus will read them (environment, system properties, application.properties). */
    private static SmallRyeConfig settings() {
        String profile = Optional.ofNullable(System.getProperty("quarkus.profile"))
                .or(() -> Optional.ofNullable(System.getenv("QUARKUS_PROFILE"))).orElse("prod");
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDefaultSources()
                .withProfile(profile)
                .withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(WabasyncConfig.class)
                .withMapping(EmbeddedDatabaseConfig.class);
        var properties = Main.class.getClassLoader().getResource("application.properties");
        if (properties != null) {
            try {
                builder.withSources(new PropertiesConfigSource(properties, 250));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return builder.build();
    }

    /** What Quarkus logs of a failed start when it is not given an exit handler. */
    private static void reportStartFailure(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof ConfigurationException || root instanceof ConfigValidationException) {
            System.err.println(root.getMessage());
        } else {
            LOG.error("Failed to start application", failure);
        }
    }
}
