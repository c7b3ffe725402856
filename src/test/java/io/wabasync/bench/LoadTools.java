package io.wabasync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The external load generators the read benchmarks use: {@code wrk} against the service and
 * {@code pgbench} against its database, each in its own process, so the JVM under test does not
 * also carry the load's threads.
 */
final class LoadTools {

    static final String INSTALL = "the read benchmarks need wrk and pgbench: apt-get install wrk postgresql-client";

    private LoadTools() {
    }

    /** What a load run gave: throughput, latency percentiles, and failed answers. */
    record Result(double perSecond, double p50Millis, double p99Millis, long requests, long errors) {

        String describe() {
            return String.format("%.0f req/s, p50 %.1f ms, p99 %.1f ms (%d requests%s)", perSecond, p50Millis,
                    p99Millis, requests, errors == 0 ? "" : ", " + errors + " errors");
        }
    }

    /** {@code wrk --latency} with {@code connections} connections on two threads. */
    static Result wrk(String url, int connections, Duration duration, Map<String, String> headers, String method)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "--latency", "-t2", "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--timeout", "10s"));
        headers.forEach((name, value) -> command.addAll(List.of("-H", name + ": " + value)));
        if (!"GET".equals(method)) {
            Path script = Files.createTempFile("wrk", ".lua");
            Files.writeString(script, "wrk.method = \"" + method + "\"\n");
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        String out = run(command, Map.of(), duration.plusSeconds(30));
        double perSecond = number(out, "Requests/sec:\\s+([0-9.]+)");
        long requests = (long) number(out, "([0-9]+) requests in");
        long non2xx = out.contains("Non-2xx") ? (long) number(out, "Non-2xx or 3xx responses:\\s+([0-9]+)") : 0;
        long socketErrors = 0;
        Matcher errors = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)")
                .matcher(out);
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(errors.group(g));
            }
        }
        return new Result(perSecond, millis(out, "50%"), millis(out, "99%"), requests, non2xx + socketErrors);
    }

    /** {@code pgbench} running {@code script} (prepared statements) with {@code clients} clients. */
    static Result pgbench(int port, String script, Map<String, String> variables, int clients, Duration duration)
            throws Exception {
        Path file = Files.createTempFile("pgbench", ".sql");
        Files.writeString(file, script);
        // Every transaction's latency is logged, so the floor has percentiles like wrk's, not only a mean.
        Path logs = Files.createTempDirectory("pgbench-log");
        List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "-h", "localhost",
                "-p", String.valueOf(port), "-U", "postgres", "-c", String.valueOf(clients), "-j", "2",
                "-T", String.valueOf(duration.toSeconds()), "-f", file.toString(),
                "-l", "--log-prefix=" + logs.resolve("tx")));
        variables.forEach((name, value) -> command.addAll(List.of("-D", name + "=" + value)));
        command.add("postgres");
        String out = run(command, Map.of("PGPASSWORD", "postgres"), duration.plusSeconds(30));
        double tps = number(out, "tps = ([0-9.]+) \\(without initial connection time\\)");
        long failed = out.contains("number of failed transactions")
                ? (long) number(out, "number of failed transactions: ([0-9]+)") : 0;
        List<Long> micros = new ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.toList()) {
                // client_id transaction_no time_us script_no epoch epoch_us
                for (String line : Files.readAllLines(log)) {
                    micros.add(Long.parseLong(line.split(" ")[2]));
                }
            }
        }
        micros.sort(null);
        return new Result(tps, percentile(micros, 0.50), percentile(micros, 0.99),
                (long) number(out, "number of transactions actually processed: ([0-9]+)"), failed);
    }

    private static double percentile(List<Long> sortedMicros, double p) {
        if (sortedMicros.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedMicros.size() - 1, Math.ceil(p * sortedMicros.size()) - 1);
        return sortedMicros.get(Math.max(0, index)) / 1000.0;
    }

    private static String run(List<String> command, Map<String, String> env, Duration limit) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(INSTALL + " (" + e.getMessage() + ")", e);
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not end in " + limit);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(command.get(0) + " failed (" + process.exitValue() + "): " + text);
        }
        return text;
    }

    private static double number(String out, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(out);
        if (!m.find()) {
            throw new AssertionError("no '" + pattern + "' in:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** A wrk latency percentile line ({@code 99%   12.34ms}) in milliseconds. */
    private static double millis(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no " + percentile + " latency in:\n" + out);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
