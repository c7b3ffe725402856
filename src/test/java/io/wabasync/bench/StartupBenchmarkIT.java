package io.wabasync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * B8, start-up and footprint: wall time from spawning the single-node service to its first 200 on
 * {@code /q/health/ready}, and the Java process's resident memory (VmRSS) after 5 s idle, for the
 * normal JVM build on Java 17 and for the JDK's ahead-of-time class caches.
 *
 * <p>The variants, each started {@value #DEFAULT_RUNS} times, one run of each in turn (so that the load of this
 * shared machine drifts over all of them alike):
 * <ul>
 * <li>B8a: Java 17 (the JVM running this test), the normal fast-jar: the baseline;</li>
 * <li>B8b: JDK 25, the same fast-jar, no cache;</li>
 * <li>B8c: JDK 25, {@code quarkus.package.jar.aot.enabled=true} with {@code .aot.type=AOT} and {@code .aot.phase=BUILD},
 * built on JDK 25: the {@code aot-jar} packaging (every jar on the class path, which the JDK's cache covers; the
 * fast-jar's own class loader it does not) and {@code app.aot} from the start-and-exit training run Quarkus does
 * during the build, run with {@code -XX:AOTCache=app.aot};</li>
 * <li>B8c2: the same aot-jar on JDK 25 with a cache from a training run of our own, started like the measured runs,
 * ready, 5 s idle, SIGINT ({@code -XX:AOTCacheOutput}), which also sees the classes of serving and stopping.</li>
 * </ul>
 * With {@code -Dbench.startup.appcds=true} (one more build), Java 17's AppCDS as well: B8d, the same property built on
 * Java 17, where Quarkus makes {@code app-cds.jsa} instead; B8d2, that aot-jar with an archive from our own training
 * run ({@code -XX:ArchiveClassesAtExit}). JDK 25 is looked for at {@code -Dbench.jdk25}, {@code JAVA25_HOME} or
 * /usr/lib/jvm/temurin-25-jdk-amd64; without it the JDK 25 variants are reported as skipped.
 *
 * <p>The test builds each variant itself (Maven, into {@code target/startup-bench/});
 * {@code -Dbench.startup.reuse=true} reuses those builds when made the same way. Every run starts in its build's {@code quarkus-app} folder (the caches
 * only apply when started from there) on a copy of the same initialised data folder: a restart of an existing single
 * node, so the embedded PostgreSQL's start is in the figure (and shown apart, from the log), its first-time initdb
 * and the migrations are not. RSS is the Java process's alone; PostgreSQL runs in processes of its own, not counted.
 * Each run ends with SIGINT and must exit with 130 and its PostgreSQL stopped. Results: target/bench/startup.md.
 */
@Tag("bench")
class StartupBenchmarkIT {

    private static final int DEFAULT_RUNS = 3;
    private static final int RUNS = Integer.getInteger("bench.startup.runs", DEFAULT_RUNS);
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration READY_DEADLINE = Duration.ofSeconds(180);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Path ROOT = Path.of("target", "startup-bench").toAbsolutePath();
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");

    private static final List<String[]> ROWS = new ArrayList<>();
    private static final List<String> NOTES = new ArrayList<>();
    private static final List<String> RUN_LINES = new ArrayList<>();
    private static String loadBefore;

    /** A way of starting the service; {@code training}, when set, is the run that makes its cache first. */
    record Variant(String id, String what, Path java, Path appDir, List<String> jvmOptions, Training training) {
        Variant(String id, String what, Path java, Path appDir, List<String> jvmOptions) {
            this(id, what, java, appDir, jvmOptions, null);
        }
    }

    /** A training run: started like a measured one with {@code jvmOptions}, it writes {@code output} when stopped. */
    record Training(String output, List<String> jvmOptions) {
    }

    record Run(double readyMillis, double databaseMillis, double cpuMillis, long rssKb, long anonKb, long fileKb) {
    }

    @BeforeAll
    static void load() throws IOException {
        loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    }

    @Test
    void b8StartUpToReadyAndIdleResidentMemory() throws Exception {
        Files.createDirectories(ROOT);
        Path java17 = Path.of(System.getProperty("java.home"));
        Path jdk25 = Path.of(System.getProperty("bench.jdk25",
                Optional.ofNullable(System.getenv("JAVA25_HOME")).orElse("/usr/lib/jvm/temurin-25-jdk-amd64")));
        boolean have25 = Files.isExecutable(jdk25.resolve("bin/java"));
        boolean appcds = Boolean.getBoolean("bench.startup.appcds");

        List<Variant> variants = new ArrayList<>();
        Path fast = build("fast", java17, List.of());
        String v17 = version(java17);
        variants.add(new Variant("B8a", "Java " + v17 + ", fast-jar (the normal build)", bin(java17), fast, List.of()));
        if (have25) {
            String v25 = version(jdk25);
            variants.add(new Variant("B8b", "JDK " + v25 + ", the same fast-jar, no cache", bin(jdk25), fast, List.of()));
            try {
                // The project targets Java 17, so the type must be asked for (else AppCDS); and an AOT cache
                // is otherwise recorded during the @QuarkusIntegrationTest runs of mvn verify, not by package.
                Path aot = build("aot-25", jdk25, List.of("-Dquarkus.package.jar.aot.enabled=true",
                        "-Dquarkus.package.jar.aot.type=AOT", "-Dquarkus.package.jar.aot.phase=BUILD"));
                requireFile(aot.resolve("app.aot"), "aot-25");
                NOTES.add("B8c cache: app.aot " + megabytes(aot.resolve("app.aot")) + " MiB, recorded by Quarkus's start-and-exit "
                        + "training run during the build");
                variants.add(new Variant("B8c", "JDK " + v25 + ", aot-jar + AOT cache from the build (quarkus.package.jar.aot."
                        + "enabled=true, .aot.type=AOT, .aot.phase=BUILD, built on JDK 25; -XX:AOTCache=app.aot)", bin(jdk25), aot,
                        List.of("-XX:AOTMode=on", "-XX:AOTCache=app.aot")));
                variants.add(new Variant("B8c2", "JDK " + v25 + ", the same aot-jar + AOT cache from a training run to ready "
                        + "(-XX:AOTCacheOutput=trained.aot, SIGINT; then -XX:AOTCache=trained.aot)", bin(jdk25), aot,
                        List.of("-XX:AOTMode=on", "-XX:AOTCache=trained.aot"),
                        new Training("trained.aot", List.of("-XX:AOTCacheOutput=trained.aot"))));
            } catch (IllegalStateException e) {
                row("B8c", "JDK 25 with the AOT cache", "not measured: " + e.getMessage(), "");
            }
        } else {
            String why = "skipped: no JDK 25 at " + jdk25 + " (-Dbench.jdk25=<JDK home> or JAVA25_HOME)";
            row("B8b", "JDK 25, the same fast-jar, no cache", why, "");
            row("B8c", "JDK 25 with the AOT cache", why, "");
        }
        if (appcds) {
            try {
                Path cds = build("aot-17", java17, List.of("-Dquarkus.package.jar.aot.enabled=true"));
                requireFile(cds.resolve("app-cds.jsa"), "aot-17");
                NOTES.add("B8d archive: app-cds.jsa " + megabytes(cds.resolve("app-cds.jsa")) + " MiB, recorded by Quarkus's "
                        + "start-and-exit training run during the build");
                variants.add(new Variant("B8d", "Java " + v17 + ", aot-jar + AppCDS from the build (the same property built on "
                        + "Java 17; -XX:SharedArchiveFile=app-cds.jsa)", bin(java17), cds,
                        List.of("-Xshare:on", "-XX:SharedArchiveFile=app-cds.jsa")));
                variants.add(new Variant("B8d2", "Java " + v17 + ", the same aot-jar + AppCDS from a training run to ready "
                        + "(-XX:ArchiveClassesAtExit=trained.jsa, SIGINT; then -XX:SharedArchiveFile=trained.jsa)", bin(java17), cds,
                        List.of("-Xshare:on", "-XX:SharedArchiveFile=trained.jsa"),
                        new Training("trained.jsa", List.of("-XX:ArchiveClassesAtExit=trained.jsa"))));
            } catch (IllegalStateException e) {
                row("B8d", "Java 17 with AppCDS", "not measured: " + e.getMessage(), "");
            }
        } else {
            NOTES.add("AppCDS on Java 17 (B8d, B8d2) not measured: -Dbench.startup.appcds=true adds them (one more build)");
        }

        // One unmeasured start on an empty folder: initdb and the migrations, then every run gets a copy of it.
        Path seed = ROOT.resolve("seed");
        deleteTree(seed);
        Files.createDirectories(seed);
        run(variants.get(0), variants.get(0).jvmOptions(), seed, "warm-up", Duration.ofSeconds(60));
        Path seedData = seed.resolve("data");

        for (Variant v : List.copyOf(variants)) {
            if (v.training() != null) {
                Path output = v.appDir().resolve(v.training().output());
                Files.deleteIfExists(output);
                freshData(seedData, v.appDir());
                long t0 = System.nanoTime();
                run(v, v.training().jvmOptions(), v.appDir(), v.id() + "-training", Duration.ofMinutes(10));
                if (!Files.isRegularFile(output)) {
                    row(v.id(), v.what(), "not measured: the training run wrote no " + output.getFileName()
                            + " (see target/startup-bench/logs/" + v.id() + "-training.log)", "");
                    variants.remove(v);
                    continue;
                }
                NOTES.add(String.format("%s cache: %s %d MiB, training run (start, ready, %d s idle, SIGINT, cache written) %.0f s",
                        v.id(), v.training().output(), megabytes(output), IDLE.toSeconds(), (System.nanoTime() - t0) / 1e9));
            }
        }

        Map<Variant, List<Run>> results = new LinkedHashMap<>();
        variants.forEach(v -> results.put(v, new ArrayList<>()));
        for (int round = 1; round <= RUNS; round++) {
            for (Variant v : variants) {
                freshData(seedData, v.appDir());
                results.get(v).add(run(v, v.jvmOptions(), v.appDir(), v.id() + "-" + round, Duration.ofSeconds(60)));
            }
        }

        Run base = medians(results.get(variants.get(0)));
        for (Variant v : variants) {
            List<Run> runs = results.get(v);
            Run m = medians(runs);
            String result = String.format("ready %.2f s (%s), of which embedded PostgreSQL start %.2f s; CPU to ready %.1f s; "
                    + "idle RSS %d MiB (anon %d, file %d)", m.readyMillis() / 1000, each(runs), m.databaseMillis() / 1000,
                    m.cpuMillis() / 1000, m.rssKb() / 1024, m.anonKb() / 1024, m.fileKb() / 1024);
            String baseline = v == variants.get(0) ? "baseline (medians of " + RUNS + ")"
                    : String.format("start-up ×%.2f, CPU ×%.2f, RSS ×%.2f of B8a", m.readyMillis() / base.readyMillis(),
                            m.cpuMillis() / base.cpuMillis(), (double) m.rssKb() / base.rssKb());
            row(v.id(), "start-up to ready, then idle RSS: " + v.what(), result, baseline);
        }
    }

    /** The run's data folder (under its working folder, as the build sets it): a copy of the initialised one. */
    private static void freshData(Path seedData, Path workDir) throws IOException {
        Path data = workDir.resolve("data");
        deleteTree(data);
        copyTree(seedData, data);
    }

    @AfterAll
    static void report() throws IOException {
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        StringBuilder table = new StringBuilder();
        table.append("wabasync start-up benchmark (B8), ").append(LocalDate.now()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, load average before ")
                .append(loadBefore).append(", after ").append(loadAfter).append("\n\n");
        table.append("Single-node build restarted on an existing data folder; ready = first 200 of /q/health/ready, polled every ")
                .append(POLL.toMillis()).append(" ms; RSS = VmRSS of the java process after ").append(IDLE.toSeconds())
                .append(" s idle (the embedded PostgreSQL's processes are not counted); medians of ").append(RUNS)
                .append(" runs.\n\n");
        table.append("| id | measure | result | baseline / target |\n|---|---|---|---|\n");
        ROWS.forEach(r -> table.append("| ").append(String.join(" | ", r)).append(" |\n"));
        if (!NOTES.isEmpty()) {
            table.append('\n');
            NOTES.forEach(n -> table.append("- ").append(n).append('\n'));
        }
        table.append("\n| run | ready ms | PostgreSQL start ms | CPU ms | VmRSS KiB | RssAnon KiB | RssFile KiB | exit |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        RUN_LINES.forEach(l -> table.append(l).append('\n'));
        System.out.println("\n" + table);
        Files.createDirectories(Path.of("target", "bench"));
        Files.writeString(Path.of("target", "bench", "startup.md"), table);
    }

    /**
     * Starts the variant's service with {@code jvmOptions} in {@code workDir}, times it to ready, idles, reads its RSS,
     * stops it with SIGINT and waits {@code exitWithin} for it to exit (a training run writes its cache then).
     */
    private static Run run(Variant v, List<String> jvmOptions, Path workDir, String name, Duration exitWithin)
            throws Exception {
        int httpPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(v.java().toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(v.appDir().resolve("quarkus-run.jar").toString());
        Path log = Files.createDirectories(ROOT.resolve("logs")).resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();

        long t0 = System.nanoTime();
        Process process = builder.start();
        try {
            long deadline = t0 + READY_DEADLINE.toNanos();
            long readyAt = 0;
            for (long next = t0; readyAt == 0; next += POLL.toNanos()) {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + " before ready:\n" + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + " not ready within " + READY_DEADLINE + ":\n" + tail(log));
                }
                try {
                    if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        readyAt = System.nanoTime();
                        break;
                    }
                } catch (IOException notListeningYet) {
                    // connection refused until the HTTP listener is up
                }
                long wait = next + POLL.toNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            double readyMillis = (readyAt - t0) / 1e6;
            double cpuMillis = process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);

            TimeUnit.MILLISECONDS.sleep(IDLE.toMillis()); // the idle period itself, not a wait for anything
            Map<String, Long> status = status(process.pid());

            String signal = ignores(process.pid(), 2) ? "TERM" : "INT";
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
            assertThat(process.waitFor(exitWithin.toSeconds(), TimeUnit.SECONDS)).as(name + " exits after SIG" + signal).isTrue();
            assertThat(process.exitValue()).as(name + " exit status after SIG" + signal)
                    .isEqualTo(signal.equals("INT") ? 130 : 143);
            assertThat(workDir.resolve("data/postgres/postmaster.pid")).as(name + ": PostgreSQL stopped").doesNotExist();
            if (signal.equals("TERM") && !NOTES.contains(SIGINT_IGNORED)) {
                NOTES.add(SIGINT_IGNORED);
            }

            Run r = new Run(readyMillis, databaseStart(log), cpuMillis, status.get("VmRSS"), status.get("RssAnon"),
                    status.get("RssFile"));
            String line = String.format("| %s | %.0f | %.0f | %.0f | %d | %d | %d | %d |", name, r.readyMillis(),
                    r.databaseMillis(), r.cpuMillis(), r.rssKb(), r.anonKb(), r.fileKb(), process.exitValue());
            RUN_LINES.add(line);
            System.out.println("B8 run " + line);
            return r;
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
            stopLeftDatabase(workDir);
        }
    }

    private static final String SIGINT_IGNORED = "SIGINT was ignored by the service (inherited from the shell that "
            + "started Maven in the background), so runs were stopped with SIGTERM (exit 143)";

    /**
     * Builds the single-node jar into target/startup-bench/build-NAME,
     * by Maven with JAVA_HOME={@code jdk}; its quarkus-app folder.
     */
    private static Path build(String name, Path jdk, List<String> properties) throws Exception {
        Path dir = ROOT.resolve("build-" + name);
        Path app = dir.resolve("quarkus-app");
        Path stamp = dir.resolve("bench-build");
        String recipe = jdk + " " + String.join(" ", properties);
        if (Boolean.getBoolean("bench.startup.reuse") && Files.exists(app.resolve("quarkus-run.jar"))
                && Files.exists(stamp) && Files.readString(stamp).equals(recipe)) {
            NOTES.add("build-" + name + ": reused (-Dbench.startup.reuse=true)");
            return app;
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B", "-ntp", "-q", "-f", Path.of("pom.xml").toAbsolutePath().toString()));
        String repo = System.getProperty("bench.maven.repo", "");
        if (!repo.isBlank()) {
            command.add("-Dmaven.repo.local=" + repo);
        }
        command.addAll(List.of("-Dmaven.test.skip=true", "-Dwabasync.build.dir=" + dir));
        command.addAll(properties);
        command.add("package");
        Path log = dir.resolve("build.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", jdk.toString());
        long t0 = System.nanoTime();
        Process mvn = builder.start();
        if (!mvn.waitFor(15, TimeUnit.MINUTES)) {
            mvn.destroyForcibly().waitFor();
            throw new IllegalStateException("build " + name + " took over 15 minutes");
        }
        if (mvn.exitValue() != 0) {
            throw new IllegalStateException("build " + name + " failed (" + log + "): " + tail(log));
        }
        Files.writeString(stamp, recipe);
        NOTES.add(String.format("build-%s: %s%s, %.0f s (JAVA_HOME=%s)", name, properties.isEmpty() ? "mvn package"
                : "mvn package ", String.join(" ", properties), (System.nanoTime() - t0) / 1e9, jdk));
        return app;
    }

    private static void requireFile(Path file, String build) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("build " + build + " made no " + file.getFileName() + " (see its build.log)");
        }
    }

    /** Milliseconds from the service's "Starting the embedded PostgreSQL" to its "... ready on". */
    private static double databaseStart(Path log) throws IOException {
        Instant from = null;
        Instant to = null;
        for (String line : Files.readAllLines(log)) {
            Matcher m = TIMESTAMP.matcher(line);
            if (!m.find()) {
                continue;
            }
            if (from == null && line.contains("Starting the embedded PostgreSQL of")) {
                from = Instant.parse(m.group(1));
            } else if (to == null && line.contains("ready on 127.0.0.1:")) {
                to = Instant.parse(m.group(1));
            }
        }
        return from == null || to == null ? Double.NaN : Duration.between(from, to).toNanos() / 1e6;
    }

    /** VmRSS, RssAnon and RssFile of a process, in KiB. */
    private static Map<String, Long> status(long pid) throws IOException {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            for (String key : List.of("VmRSS", "RssAnon", "RssFile")) {
                if (line.startsWith(key + ":")) {
                    values.put(key, Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        }
        return values;
    }

    /** Whether the process ignores {@code signal} (SigIgn in /proc/PID/status). */
    private static boolean ignores(long pid, int signal) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (signal - 1))) != 0;
            }
        }
        return false;
    }

    private static Run medians(List<Run> runs) {
        return new Run(Bench.median(runs.stream().map(Run::readyMillis).toList()),
                Bench.median(runs.stream().map(Run::databaseMillis).toList()),
                Bench.median(runs.stream().map(Run::cpuMillis).toList()),
                (long) Bench.median(runs.stream().map(r -> (double) r.rssKb()).toList()),
                (long) Bench.median(runs.stream().map(r -> (double) r.anonKb()).toList()),
                (long) Bench.median(runs.stream().map(r -> (double) r.fileKb()).toList()));
    }

    private static String each(List<Run> runs) {
        return String.join(" / ", runs.stream().map(r -> String.format("%.2f", r.readyMillis() / 1000)).toList());
    }

    /** JAVA_VERSION from the JDK's release file. */
    private static String version(Path jdk) throws IOException {
        for (String line : Files.readAllLines(jdk.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return line.substring(13).replace("\"", "");
            }
        }
        return jdk.getFileName().toString();
    }

    private static Path bin(Path jdk) {
        return jdk.resolve("bin").resolve("java");
    }

    private static long megabytes(Path file) throws IOException {
        return Files.size(file) / (1024 * 1024);
    }

    private static void row(String... cells) {
        ROWS.add(cells);
        System.out.println("BENCH " + String.join(" | ", cells));
    }

    /** After a failed run: a PostgreSQL left running would hold the builds' database port. */
    private static void stopLeftDatabase(Path workDir) throws IOException, InterruptedException {
        Path pidFile = workDir.resolve("data/postgres/postmaster.pid");
        if (Files.exists(pidFile)) {
            String pid = Files.readAllLines(pidFile).get(0).trim();
            new ProcessBuilder("kill", "-INT", pid).start().waitFor();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Files.exists(pidFile) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                try {
                    // with its permissions: PostgreSQL refuses a data folder others may read
                    Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
