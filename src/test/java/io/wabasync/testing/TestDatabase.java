package io.wabasync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.wabasync.embedded.EmbeddedDatabase;

/**
 * Every test's PostgreSQL: the service's own embedded database ({@link EmbeddedDatabase}), in a fresh
 * folder of {@code target/test-databases} for each test JVM, started once and shared by every restart
 * of the application in that JVM (its library stops it when the JVM exits). The packaged application
 * of the {@code *IT} twins gets the same settings, so it does not start a database of its own.
 */
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        return shared().datasourceSettings();
    }

    @Override
    public void stop() {
        // kept for the next restart of the application in this JVM
    }

    private static synchronized EmbeddedDatabase shared() {
        if (database == null) {
            try {
                Path folder = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-databases")), "db");
                database = EmbeddedDatabase.start(folder, Optional.empty(), Duration.ofSeconds(60));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return database;
    }
}
