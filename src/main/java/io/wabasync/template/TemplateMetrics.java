package io.wabasync.template;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * {@code wabasync_templates{status=...}}: listed templates by status, across workspaces. Counted in
 * PostgreSQL, so every replica reports the same numbers; refreshed periodically and after each job.
 */
@ApplicationScoped
public class TemplateMetrics {

    private final Pool pool;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();

    public TemplateMetrics(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
    }

    @Scheduled(identity = "template-metrics", every = "${wabasync.metrics.refresh-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> refresh() {
        return pool.query("SELECT status, sum(n)::bigint AS n FROM template_count GROUP BY status HAVING sum(n) <> 0")
                .execute()
                .invoke(rows -> {
                    byStatus.values().forEach(gauge -> gauge.set(0));
                    for (Row row : rows) {
                        gauge(row.getString("status")).set(row.getLong("n"));
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private AtomicLong gauge(String status) {
        return byStatus.computeIfAbsent(status,
                s -> registry.gauge("wabasync.templates", Tags.of("status", s), new AtomicLong()));
    }
}
