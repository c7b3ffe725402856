package io.wabasync.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Several instances of the packaged cluster flavour ({@code mvn package -Dcluster}), each its own
 * process, all on one PostgreSQL and one fake Meta: replicas as Kubernetes runs them, on loopback.
 */
public final class Replicas implements AutoCloseable {

    public static final String ADMIN_TOKEN = "replica-admin-token";
    private static final String ENCRYPTION_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private final EmbeddedPostgres database;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final Path logDir;

    private Replicas(EmbeddedPostgres database, Path logDir) {
        this.database = database;
        this.logDir = logDir;
    }

    /** Starts one shared PostgreSQL and {@code count} instances with the given extra environment. */
    public static Replicas start(int count, FakeMeta meta, Map<String, String> environment) throws IOException {
        String jar = System.getProperty("cluster.app.jar", "target/cluster-app/quarkus-run.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException("No cluster build at " + jar + ": run through mvn verify");
        }
        Path logDir = Files.createDirectories(Path.of("target", "replicas"));
        Replicas replicas = new Replicas(EmbeddedPostgres.builder().start(), logDir);
        try {
            for (int i = 0; i < count; i++) {
                replicas.launch(i, jar, meta, environment);
            }
            for (String url : replicas.urls) {
                awaitReady(url);
            }
            return replicas;
        } catch (RuntimeException | IOException e) {
            replicas.close();
            throw e;
        }
    }

    public String url(int index) {
        return urls.get(index);
    }

    public int size() {
        return urls.size();
    }

    /** The PID of each instance, as the service reports it in a job's {@code runner}. */
    public List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    private void launch(int index, String jar, FakeMeta meta, Map<String, String> extra) throws IOException {
        int port = freePort();
        int dbPort = database.getPort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar);
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + dbPort + "/postgres");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + dbPort + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("WABASYNC_META_BASE_URL", meta.baseUrl());
        env.put("WABASYNC_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("WABASYNC_ENCRYPTION_KEY", ENCRYPTION_KEY);
        env.putAll(new HashMap<>(extra));
        Path log = logDir.resolve("instance-" + index + ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        processes.add(builder.start());
        urls.add("http://localhost:" + port);
    }

    private static void awaitReady(String url) {
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        try {
            database.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
