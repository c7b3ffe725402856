package io.wabasync.outbound;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code outbound_delivery} table: one row per event and endpoint, written by the database with
 * the change (V6 migration). A delivery is claimed with a lease, not a held transaction: no
 * transaction stays open across the call to the customer's endpoint.
 */
@ApplicationScoped
class Outbox {

    // Due, not leased (or its lease ran out: the instance sending it died), its endpoint enabled, and
    // no earlier event of the same template still to deliver to that endpoint: events of a template
    // arrive in order.
    private static final String CLAIM = """
            WITH due AS (
                SELECT d.id FROM outbound_delivery d JOIN outbound_endpoint e ON e.id = d.endpoint_id
                WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 AND (d.leased_until IS NULL OR d.leased_until < $1)
                  AND e.enabled
                  AND NOT EXISTS (SELECT 1 FROM outbound_delivery p
                                  WHERE p.endpoint_id = d.endpoint_id AND p.template_id = d.template_id
                                    AND p.status = 'PENDING' AND p.change_seq < d.change_seq)
                ORDER BY d.next_attempt_at, d.change_seq LIMIT $2
                FOR UPDATE OF d SKIP LOCKED)
            UPDATE outbound_delivery d SET leased_until = $3, leased_by = $4
            FROM due, outbound_endpoint e
            WHERE d.id = due.id AND e.id = d.endpoint_id
            RETURNING d.id, d.endpoint_id, e.workspace_id, e.url, e.secret, e.previous_secret, e.previous_secret_until,
                      d.change_seq, d.template_id, d.event_type, d.body, d.attempts, d.created_at
            """;
    private static final String FIX_BODIES = """
            UPDATE outbound_delivery d SET body = COALESCE(d.body, v.body)
            FROM unnest($1::uuid[], $2::text[]) AS v(id, body) WHERE d.id = v.id
            RETURNING d.id, d.body
            """;
    // One statement each (one round trip): the delivery, its attempt, and the endpoint's failure record.
    private static final String DELIVERED = """
            WITH delivery AS (
                UPDATE outbound_delivery SET status = 'DELIVERED', delivered_at = $2, attempts = attempts + 1,
                       leased_until = NULL, last_status_code = $3, last_error = NULL
                WHERE id = $1 RETURNING endpoint_id),
            attempt AS (
                INSERT INTO outbound_attempt (delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error,
                                              instance)
                VALUES ($1, $2, $3, $4, $5, $6, $7))
            UPDATE outbound_endpoint e SET failing_since = NULL FROM delivery
            WHERE e.id = delivery.endpoint_id AND e.failing_since IS NOT NULL
            """;
    private static final String FAILED = """
            WITH delivery AS (
                UPDATE outbound_delivery SET attempts = attempts + 1, leased_until = NULL, last_status_code = $3,
                       last_error = $6, next_attempt_at = $8
                WHERE id = $1 RETURNING endpoint_id),
            attempt AS (
                INSERT INTO outbound_attempt (delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error,
                                              instance)
                VALUES ($1, $2, $3, $4, $5, $6, $7))
            UPDATE outbound_endpoint e SET failing_since = COALESCE(e.failing_since, $2) FROM delivery
            WHERE e.id = delivery.endpoint_id
            RETURNING e.failing_since
            """;
    // Failing for longer than the retry period: disabled, saying since when and how the last attempt ended.
    private static final String DISABLE_FAILING = """
            UPDATE outbound_endpoint e SET enabled = false, updated_at = $1,
                   disabled_reason = 'Disabled at ' || to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                       || ': every delivery failed since '
                       || to_char(e.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                       || ' (last: ' || coalesce((SELECT coalesce('HTTP ' || a.status_code, a.error)
                                                  FROM outbound_delivery d JOIN outbound_attempt a ON a.delivery_id = d.id
                                                  WHERE d.endpoint_id = e.id ORDER BY a.id DESC LIMIT 1), 'none')
                       || '). Its undelivered events are kept; enable it again to have them sent.'
            WHERE e.enabled AND e.failing_since < $2
            RETURNING e.id, e.failing_since
            """;
    private static final String GIVE_UP = """
            UPDATE outbound_delivery SET status = 'FAILED' WHERE id = $1 AND status = 'PENDING'
            """;
    private static final String REDELIVER = """
            UPDATE outbound_delivery d SET status = 'PENDING', next_attempt_at = $3, leased_until = NULL
            FROM outbound_endpoint e
            WHERE d.id = $2 AND d.endpoint_id = e.id AND e.id = $1 AND (d.status <> 'PENDING' OR d.leased_until IS NULL)
            RETURNING d.id
            """;
    private static final String LIST = """
            SELECT id, endpoint_id, change_seq, event_type, template_id, status, attempts, created_at, next_attempt_at,
                   delivered_at, last_status_code, last_error, count(*) OVER () AS total
            FROM outbound_delivery WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2)
            ORDER BY change_seq DESC, id LIMIT $3 OFFSET $4
            """;
    private static final String ONE = """
            SELECT id, endpoint_id, change_seq, event_type, template_id, status, attempts, created_at, next_attempt_at,
                   delivered_at, last_status_code, last_error, 1::bigint AS total
            FROM outbound_delivery WHERE endpoint_id = $1 AND id = $2
            """;
    private static final String ATTEMPTS = """
            SELECT delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error, instance
            FROM outbound_attempt WHERE delivery_id = ANY($1) ORDER BY id
            """;
    private static final String BACKLOG = """
            SELECT endpoint_id, count(*), min(created_at) FROM outbound_delivery WHERE status = 'PENDING'
            GROUP BY endpoint_id
            """;
    private static final String PURGE = """
            DELETE FROM outbound_delivery WHERE id IN (
                SELECT id FROM outbound_delivery WHERE status <> 'PENDING' AND created_at < $1 LIMIT 10000)
            """;

    /** Deliveries are named {@code msg_<uuid>}, as their {@code webhook-id} header shows them. */
    static final String MESSAGE_ID_PREFIX = "msg_";

    /** A delivery leased to this instance, with what sending it needs. */
    record Claimed(UUID id, UUID endpointId, UUID workspaceId, String url, byte[] secret, byte[] previousSecret,
            OffsetDateTime previousSecretUntil, long sequence, UUID templateId, String eventType, String body,
            int attempts, OffsetDateTime createdAt) {

        Claimed withBody(String text) {
            return new Claimed(id, endpointId, workspaceId, url, secret, previousSecret, previousSecretUntil, sequence,
                    templateId, eventType, text, attempts, createdAt);
        }
    }

    /** The outcome of one attempt. {@code statusCode} null: no answer (refused, timeout, connection). */
    record Attempt(OffsetDateTime at, Integer statusCode, long latencyMs, String excerpt, String error) {
    }

    record Backlog(UUID endpointId, long pending, OffsetDateTime oldest) {
    }

    /** An endpoint just disabled for failing, and since when it failed. */
    record Disabled(UUID endpointId, OffsetDateTime failingSince) {
    }

    private final Pool pool;

    Outbox(Pool pool) {
        this.pool = pool;
    }

    Uni<List<Claimed>> claim(OffsetDateTime now, int limit, OffsetDateTime leaseUntil, String instance) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(now, limit, leaseUntil, instance)).map(rows -> {
            List<Claimed> claimed = new ArrayList<>();
            for (Row row : rows) {
                Buffer previous = row.getBuffer(5);
                claimed.add(new Claimed(row.getUUID(0), row.getUUID(1), row.getUUID(2), row.getString(3),
                        row.getBuffer(4).getBytes(), previous == null ? null : previous.getBytes(),
                        row.getOffsetDateTime(6), row.getLong(7), row.getUUID(8), row.getString(9), row.getString(10),
                        row.getInteger(11), row.getOffsetDateTime(12)));
            }
            return claimed;
        });
    }

    /**
     * Keeps the bodies of first attempts, so that every later attempt (on any replica) sends the same
     * bytes; a body stored before (by an instance that died mid-attempt) wins. By delivery id.
     */
    Uni<Map<UUID, String>> fixBodies(Map<UUID, String> bodies) {
        UUID[] ids = bodies.keySet().toArray(UUID[]::new);
        String[] texts = Arrays.stream(ids).map(bodies::get).toArray(String[]::new);
        return pool.preparedQuery(FIX_BODIES).execute(Tuple.of(ids, texts)).map(rows -> {
            Map<UUID, String> fixed = new HashMap<>();
            rows.forEach(r -> fixed.put(r.getUUID(0), r.getString(1)));
            return fixed;
        });
    }

    Uni<Void> delivered(Claimed delivery, Attempt attempt, String instance) {
        return pool.preparedQuery(DELIVERED).execute(attemptRow(delivery, attempt, instance)).replaceWithVoid();
    }

    /**
     * Records a failed attempt; returns since when the endpoint has been failing (for the caller to
     * decide whether to disable it).
     */
    Uni<OffsetDateTime> failed(Claimed delivery, Attempt attempt, String instance, OffsetDateTime nextAttempt) {
        return pool.preparedQuery(FAILED).execute(attemptRow(delivery, attempt, instance).addValue(nextAttempt))
                .map(rows -> rows.size() == 0 ? attempt.at() : rows.iterator().next().getOffsetDateTime(0));
    }

    /** Stops retrying a delivery (FAILED); a redelivery can still send it. */
    Uni<Void> giveUp(UUID deliveryId) {
        return pool.preparedQuery(GIVE_UP).execute(Tuple.of(deliveryId)).replaceWithVoid();
    }

    /** Disables the endpoints that have failed every attempt since before {@code failingBefore}. */
    Uni<List<Disabled>> disableFailing(OffsetDateTime now, OffsetDateTime failingBefore) {
        return pool.preparedQuery(DISABLE_FAILING).execute(Tuple.of(now, failingBefore)).map(rows -> {
            List<Disabled> disabled = new ArrayList<>();
            rows.forEach(r -> disabled.add(new Disabled(r.getUUID(0), r.getOffsetDateTime(1))));
            return disabled;
        });
    }

    /** Makes a delivery due again now (same id, same body); false when there is no such delivery. */
    Uni<Boolean> redeliver(UUID endpointId, UUID deliveryId, OffsetDateTime now) {
        return pool.preparedQuery(REDELIVER).execute(Tuple.of(endpointId, deliveryId, now)).map(rows -> rows.size() == 1);
    }

    /** A page of an endpoint's deliveries, newest event first, with every attempt. */
    Uni<Page> page(UUID endpointId, String status, int page, int perPage) {
        return pool.preparedQuery(LIST).execute(Tuple.from(Arrays.asList(endpointId, status, perPage,
                (page - 1) * perPage))).chain(rows -> withAttempts(rows));
    }

    Uni<DeliveryView> one(UUID endpointId, UUID deliveryId) {
        return pool.preparedQuery(ONE).execute(Tuple.of(endpointId, deliveryId)).chain(rows -> withAttempts(rows))
                .map(page -> page.deliveries().isEmpty() ? null : page.deliveries().get(0));
    }

    record Page(List<DeliveryView> deliveries, long total) {
    }

    private Uni<Page> withAttempts(RowSet<Row> rows) {
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        if (list.isEmpty()) {
            return Uni.createFrom().item(new Page(List.of(), 0));
        }
        UUID[] ids = list.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
        return pool.preparedQuery(ATTEMPTS).execute(Tuple.of(ids)).map(attemptRows -> {
            Map<UUID, List<DeliveryView.Attempt>> byDelivery = new HashMap<>();
            for (Row a : attemptRows) {
                byDelivery.computeIfAbsent(a.getUUID(0), k -> new ArrayList<>()).add(new DeliveryView.Attempt(
                        a.getOffsetDateTime(1).toInstant(), a.getInteger(2), a.getInteger(3), a.getString(4),
                        a.getString(5), a.getString(6)));
            }
            List<DeliveryView> views = list.stream().map(r -> new DeliveryView(MESSAGE_ID_PREFIX + r.getUUID("id"),
                    r.getUUID("endpoint_id").toString(), r.getLong("change_seq"), r.getString("event_type"),
                    r.getUUID("template_id").toString(), r.getString("status"), r.getInteger("attempts"),
                    instant(r.getOffsetDateTime("created_at")),
                    "PENDING".equals(r.getString("status")) ? instant(r.getOffsetDateTime("next_attempt_at")) : null,
                    instant(r.getOffsetDateTime("delivered_at")), r.getInteger("last_status_code"),
                    r.getString("last_error"), byDelivery.getOrDefault(r.getUUID("id"), List.of()))).toList();
            return new Page(views, list.get(0).getLong("total"));
        });
    }

    Uni<List<Backlog>> backlog() {
        return pool.preparedQuery(BACKLOG).execute().map(rows -> {
            List<Backlog> all = new ArrayList<>();
            rows.forEach(r -> all.add(new Backlog(r.getUUID(0), r.getLong(1), r.getOffsetDateTime(2))));
            return all;
        });
    }

    /** Removes delivered and given-up deliveries (and their attempts) created before {@code before}. */
    Uni<Integer> purge(OffsetDateTime before) {
        return pool.preparedQuery(PURGE).execute(Tuple.of(before)).map(rows -> rows.rowCount());
    }

    private static Tuple attemptRow(Claimed delivery, Attempt attempt, String instance) {
        return Tuple.from(Arrays.asList(delivery.id(), attempt.at(), attempt.statusCode(), (int) attempt.latencyMs(),
                attempt.excerpt(), attempt.error(), instance));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
