package io.wabasync.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL a single node brings along, kept in its data folder and used by that instance only.
 *
 * <p>Two instances on one host must never share a server. The folder is locked for the life of the
 * process (a second start in it refuses at once); the server listens on loopback only and accepts
 * nobody without the password generated at its first start ({@code postgres-password}, readable by
 * the service's user only); its port is remembered ({@code postgres-port}), and when the configured
 * one is taken another free one is chosen. Before the service connects, it checks that the server
 * answering on that port is the one running on this folder: the database library alone waits for
 * "something that accepts a login on the port", which used to be another instance's server.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The port of a folder's first start when none is configured and it is free. */
    public static final int DEFAULT_PORT = 55432;
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    static final String CLUSTER_FOLDER = "postgres";
    static final String PASSWORD_FILE = "postgres-password";
    static final String PORT_FILE = "postgres-port";
    static final String LOCK_FILE = "instance.lock";

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

    private final Path folder;
    private final FolderLock lock;
    private final EmbeddedPostgres server;
    private final int port;
    private final String password;

    private EmbeddedDatabase(Path folder, FolderLock lock, EmbeddedPostgres server, int port, String password) {
        this.folder = folder;
        this.lock = lock;
        this.server = server;
        this.port = port;
        this.password = password;
    }

    /**
     * Locks {@code dataFolder}, starts its PostgreSQL (creating it on a first start) and checks that the
     * server answering is this one.
     *
     * @param configuredPort a port the operator chose: used as it is, or the start refuses
     * @throws EmbeddedDatabaseException with a one-line message for the operator
     */
    public static EmbeddedDatabase start(Path dataFolder, Optional<Integer> configuredPort, Duration startupWait) {
        Path folder = dataFolder.toAbsolutePath().normalize();
        FolderLock lock = FolderLock.acquire(folder);
        try {
            Path cluster = folder.resolve(CLUSTER_FOLDER);
            stopOrphanedServer(cluster);
            String password = password(folder);
            boolean created = !Files.exists(cluster.resolve("PG_VERSION"));
            int port = port(folder, configuredPort);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(cluster.toFile())
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(startupWait)
                    // Read by initdb only, on a first start: the superuser gets the generated password and
                    // every login needs it. (The library's own "-A trust" comes first and is overridden.)
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", folder.resolve(PASSWORD_FILE).toString())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", password)
                    .start();
            EmbeddedDatabase database = new EmbeddedDatabase(folder, lock, server, port, password);
            try {
                database.secureEarlierCluster(created);
                database.checkItIsOurs();
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
            return database;
        } catch (IOException e) {
            lock.release();
            String cause = rootMessage(e);
            if (cause != null && cause.contains("password authentication failed")) {
                // Another server took the port between the check and our server's start: only ours
                // knows this folder's password. The next start finds the port taken and picks another.
                throw new EmbeddedDatabaseException("Another PostgreSQL took the port of the embedded database of "
                        + folder + " while it started; start again (a free port is then chosen), or set "
                        + "WABASYNC_EMBEDDED_DATABASE_PORT", e);
            }
            throw new EmbeddedDatabaseException("The embedded database of " + folder + " did not start: " + cause, e);
        } catch (RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public Path folder() {
        return folder;
    }

    /** The datasource settings that point the service at this server. */
    public Map<String, String> datasourceSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/" + DATABASE);
        settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE);
        settings.put("quarkus.datasource.username", USER);
        settings.put("quarkus.datasource.password", password);
        return settings;
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and unlocks the folder. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warnf("The embedded database of %s did not stop cleanly: %s", folder, e.getMessage());
        } finally {
            lock.release();
        }
    }

    /**
     * A cluster made by an earlier version let everyone in without a password: it gets the generated
     * one and password authentication, before the service uses it.
     */
    private void secureEarlierCluster(boolean created) {
        if (created) {
            return;
        }
        Path hba = folder.resolve(CLUSTER_FOLDER).resolve("pg_hba.conf");
        try {
            String rules = Files.readString(hba);
            if (!rules.lines().map(String::strip).anyMatch(l -> !l.startsWith("#") && l.matches(".*\\btrust\\s*$"))) {
                return;
            }
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("SET password_encryption = 'scram-sha-256'");
                st.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
                Files.writeString(hba, """
                        # Written by wabasync: every login needs the password in ../postgres-password.
                        local   all   all                  scram-sha-256
                        host    all   all   127.0.0.1/32   scram-sha-256
                        host    all   all   ::1/128        scram-sha-256
                        """);
                st.execute("SELECT pg_reload_conf()");
            }
            LOG.infof("The embedded database of %s accepted logins without a password (made by an earlier "
                    + "version): it now requires the password in %s", folder, folder.resolve(PASSWORD_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new EmbeddedDatabaseException("Could not set the password of the embedded database of " + folder
                    + ": " + e.getMessage(), e);
        }
    }

    /** The server on the port must run on this folder's cluster: never another instance's. */
    private void checkItIsOurs() {
        Path expected = folder.resolve(CLUSTER_FOLDER);
        String answered;
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW data_directory")) {
            rs.next();
            answered = rs.getString(1);
        } catch (SQLException e) {
            throw new EmbeddedDatabaseException("The PostgreSQL answering on 127.0.0.1:" + port + " is not the "
                    + "embedded database of " + folder + " (" + e.getMessage() + "); set WABASYNC_EMBEDDED_DATABASE_PORT "
                    + "to a free port", e);
        }
        if (!samePath(Path.of(answered), expected)) {
            throw new EmbeddedDatabaseException("The PostgreSQL answering on 127.0.0.1:" + port + " runs on "
                    + answered + ", not on " + expected + "; set WABASYNC_EMBEDDED_DATABASE_PORT to a free port");
        }
    }

    private Connection connect() throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", USER);
        login.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, login);
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * After {@code kill -9} of the service, its PostgreSQL goes on running (it is a daemon of its own)
     * and would hold the folder and the port: it is stopped, once it is certain to be this folder's.
     */
    private static void stopOrphanedServer(Path cluster) {
        Path pidFile = cluster.resolve("postmaster.pid");
        Optional<ProcessHandle> postmaster = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(p -> p.info().commandLine().map(line -> line.contains("postgres")
                        && line.contains(cluster.toString())).orElse(false));
        if (postmaster.isEmpty()) {
            return; // none, or a stale pid file, which PostgreSQL itself replaces
        }
        ProcessHandle process = postmaster.get();
        LOG.infof("Stopping the embedded PostgreSQL (PID %d) left running on %s by an instance that did not stop",
                process.pid(), cluster);
        process.destroy();
        Instant deadline = Instant.now().plus(ORPHAN_STOP_WAIT);
        try {
            process.onExit().get(ORPHAN_STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new EmbeddedDatabaseException("The PostgreSQL left running on " + cluster + " (PID " + process.pid()
                    + ") did not stop by " + deadline + "; stop it and start again", e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The password of the folder's server, generated at its first start, readable by this user only. */
    private static String password(Path folder) throws IOException {
        Path file = folder.resolve(PASSWORD_FILE);
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        writeOwnerOnly(file, password + "\n");
        return password;
    }

    /**
     * The configured port, strictly; else the one remembered from an earlier start (the default on a
     * first start), or any free one if another program holds it, remembered from then on.
     */
    private static int port(Path folder, Optional<Integer> configured) throws IOException {
        Path file = folder.resolve(PORT_FILE);
        int port;
        if (configured.isPresent()) {
            port = configured.get();
            if (!isFree(port)) {
                throw new EmbeddedDatabaseException("Port " + port + " (WABASYNC_EMBEDDED_DATABASE_PORT) is taken by "
                        + "another program, so the embedded database of " + folder + " cannot start; choose a free "
                        + "port, or unset it to let the service choose one");
            }
        } else {
            port = Files.exists(file) ? Integer.parseInt(Files.readString(file).strip()) : DEFAULT_PORT;
            if (!isFree(port)) {
                int taken = port;
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = socket.getLocalPort();
                }
                LOG.infof("Port %d is taken by another program: the embedded database of %s uses port %d, "
                        + "remembered in %s", taken, folder, port, file);
            }
        }
        Files.writeString(file, port + "\n");
        return port;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // written by a start that stopped half-way: overwritten below, permissions kept
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** The lock on a data folder, held as long as the process that took it lives. */
    private record FolderLock(FileChannel channel, FileLock lock) {

        static FolderLock acquire(Path folder) {
            Path file = folder.resolve(LOCK_FILE);
            try {
                Files.createDirectories(folder);
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    String holder = Files.readString(file).strip();
                    channel.close();
                    throw new EmbeddedDatabaseException("Another wabasync instance" + (holder.isEmpty() ? ""
                            : " (PID " + holder + ")") + " is using the data folder " + folder + "; stop it, or start "
                            + "this one in another folder (WABASYNC_DATA_DIR)");
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
                return new FolderLock(channel, lock);
            } catch (IOException e) {
                throw new EmbeddedDatabaseException("Could not lock the data folder " + folder + ": " + e.getMessage(), e);
            }
        }

        void release() {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
                channel.close();
            } catch (IOException e) {
                LOG.debugf("Could not release the lock of the data folder: %s", e.getMessage());
            }
        }
    }
}
