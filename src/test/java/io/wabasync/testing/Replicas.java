package io.wabasync.testing;

import static io.restassured.RestAssured.given;
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

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Several instances of the packaged cluster flavour ({@code mvn package -Dcluster}), each its own
 * process, all on one PostgreSQL and one fake Meta: replicas as Kubernetes runs them, on loopback.
 */
public final class Replicas implements AutoCloseable {

    public static final String ADMIN_TOKEN = "replica-admin-token";
    private static final String ENCRYPTION_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private EmbeddedPostgres database;
    private final Path dataDir;
    private final int dbPort;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final Path logDir;
    private String jar;
    private FakeMeta meta;
    private Map<String, String> environment;
    private int launches;
    private List<String> jvmOptions = List.of("-Xmx256m");

    private Replicas(Path dataDir, int dbPort, Path logDir) throws IOException {
        this.dataDir = dataDir;
        this.dbPort = dbPort;
        this.logDir = logDir;
        startDatabase();
    }

    /** (Re)starts the shared PostgreSQL on the same port and data folder: what was committed is there. */
    public void startDatabase() throws IOException {
        database = EmbeddedPostgres.builder().setPort(dbPort).setDataDirectory(dataDir).setCleanDataDirectory(false)
                .start();
    }

    /** Stops the shared PostgreSQL; the instances stay up and must cope. */
    public void stopDatabase() throws IOException {
        database.close();
    }

    public javax.sql.DataSource database() {
        return database.getPostgresDatabase();
    }

    /** {@code kill -9}: the instance gets no chance to clean up. */
    public void kill(int index) throws InterruptedException {
        Process p = processes.get(index);
        p.destroyForcibly();
        p.waitFor();
    }

    /** SIGTERM, and waits for the instance to exit. */
    public void terminate(int index) throws InterruptedException {
        Process p = processes.get(index);
        p.destroy();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    /** Starts instance {@code index} again, as a new process (on a new port), and waits until ready. */
    public void restart(int index) throws IOException {
        launch(index, jar, meta, environment);
        awaitReady(urls.get(index));
    }

    public boolean isAlive(int index) {
        return processes.get(index).isAlive();
    }

    /** Starts one shared PostgreSQL and {@code count} instances with the given extra environment. */
    public static Replicas start(int count, FakeMeta meta, Map<String, String> environment) throws IOException {
        return start(count, meta, environment, List.of("-Xmx256m"));
    }

    /** As {@link #start(int, FakeMeta, Map)}, with the instances' JVM options (heap size, profiling). */
    public static Replicas start(int count, FakeMeta meta, Map<String, String> environment, List<String> jvmOptions)
            throws IOException {
        String jar = System.getProperty("cluster.app.jar", "target/cluster-build/quarkus-app/quarkus-run.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException("No cluster build at " + jar + ": run through mvn verify");
        }
        Path logDir = Files.createDirectories(Path.of("target", "replicas"));
        Path dataDir = Files.createTempDirectory(logDir, "pgdata");
        Replicas replicas = new Replicas(dataDir, freePort(), logDir);
        replicas.jar = jar;
        replicas.meta = meta;
        replicas.environment = Map.copyOf(environment);
        replicas.jvmOptions = List.copyOf(jvmOptions);
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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar);
        ProcessBuilder builder = new ProcessBuilder(command);
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
        Path log = logDir.resolve("instance-" + index + "-" + (launches++) + ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        if (index < processes.size()) {
            processes.set(index, process);
            urls.set(index, "http://localhost:" + port);
        } else {
            processes.add(process);
            urls.add("http://localhost:" + port);
        }
    }

    /** Creates a workspace through the operator API of the instance at {@code url}: its id and api_key. */
    public static JsonPath createWorkspace(String url, String name) {
        return given().baseUri(url).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + ADMIN_TOKEN).body(Map.of("name", name))
                .post("/admin/workspaces").then().statusCode(201).extract().jsonPath();
    }

    public static void awaitReady(String url) {
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
