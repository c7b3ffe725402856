package io.wabasync.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The embedded database's failure paths and its upgrade of a folder made by an earlier version. */
class EmbeddedDatabaseTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Earlier versions let anyone on the host in as postgres/postgres; such a folder gets a password. */
    @Test
    void aFolderMadeWithoutAPasswordGetsOneAtItsFirstStart() throws Exception {
        Path folder = folder("earlier");
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(folder.resolve("postgres"))
                .setCleanDataDirectory(false).start()) {
            try (Connection c = login(earlier.getPort(), "postgres")) {
                assertThat(c.isValid(1)).as("the earlier version's well-known login").isTrue();
            }
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.start(folder, Optional.empty(), WAIT)) {
            assertThatThrownBy(() -> login(database.port(), "postgres")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            String password = Files.readString(folder.resolve(EmbeddedDatabase.PASSWORD_FILE)).strip();
            try (Connection c = login(database.port(), password)) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void aConfiguredPortThatIsTakenRefusesTheStartNamingPortFolderAndSetting() throws Exception {
        Path folder = folder("taken");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(folder, Optional.of(taken.getLocalPort()), WAIT))
                    .isInstanceOf(EmbeddedDatabaseException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort())
                    .hasMessageContaining(folder.toAbsolutePath().normalize().toString())
                    .hasMessageContaining("WABASYNC_EMBEDDED_DATABASE_PORT");
        }
        assertThat(folder.resolve("postgres")).as("nothing created").doesNotExist();
        // The folder is not left locked by the refused start.
        try (EmbeddedDatabase database = EmbeddedDatabase.start(folder, Optional.empty(), WAIT)) {
            assertThat(database.port()).isPositive();
        }
    }

    private static Connection login(int port, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
    }

    private static Path folder(String name) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(Path.of("target", "embedded-database-test")), name);
    }
}
