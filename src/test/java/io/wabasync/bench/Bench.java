package io.wabasync.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A closed-loop HTTP load generator in the benchmark's JVM, for loads wrk cannot make (each webhook
 * body signed and distinct); fixed concurrency, fixed duration, latency percentiles.
 */
final class Bench {

    private Bench() {
    }

    /** {@code concurrency} clients, each sending the next request as soon as the last one is answered. */
    static LoadTools.Result run(int concurrency, Duration duration, IntFunction<HttpRequest> request) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long end = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> results = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            int worker = c;
            results.add(pool.submit(() -> {
                long[] latencies = new long[1 << 16];
                int n = 0;
                long errors = 0;
                for (int i = 0; System.nanoTime() < end; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<Void> r = client.send(request.apply(worker * 1_000_000 + i),
                            HttpResponse.BodyHandlers.discarding());
                    long took = System.nanoTime() - t0;
                    if (r.statusCode() >= 400) {
                        errors++;
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = took;
                }
                long[] out = Arrays.copyOf(latencies, n + 1);
                out[n] = errors;
                return out;
            }));
        }
        List<Long> all = new ArrayList<>();
        long errors = 0;
        for (Future<long[]> f : results) {
            long[] r = f.get();
            for (int i = 0; i < r.length - 1; i++) {
                all.add(r[i]);
            }
            errors += r[r.length - 1];
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new LoadTools.Result(sorted.length / seconds, percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6, sorted.length, errors);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static double median(List<Double> values) {
        List<Double> copy = new ArrayList<>(values);
        copy.sort(Double::compare);
        return copy.get(copy.size() / 2);
    }

    /** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
    static double cpuMillis(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
        } catch (java.io.IOException | RuntimeException e) {
            return 0; // the process ended
        }
    }

    /** CPU time of every PostgreSQL process on the machine (its backends come and go with the pool). */
    static double postgresCpuMillis() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .mapToDouble(p -> cpuMillis(p.pid())).sum();
    }
}
