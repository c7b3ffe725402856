package io.wabasync.webhook;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.common.Timestamps;

/** The {@code webhook_delivery} table: deliveries stored on arrival, claimed one at a time to apply. */
@ApplicationScoped
class WebhookInbox {

    private static final String STORE = """
            INSERT INTO webhook_delivery (id, body_sha256, body, changes, received_at, status, next_attempt_at)
            VALUES ($1, $2, $3, $4, $5, 'PENDING', $5)
            ON CONFLICT (body_sha256) DO NOTHING
            RETURNING id
            """;
    // SKIP LOCKED: replicas working off the inbox at once each take a different delivery.
    private static final String CLAIM_ONE = """
            SELECT id, body, attempts, syncs_started FROM webhook_delivery WHERE id = $1 AND status = 'PENDING'
            FOR UPDATE SKIP LOCKED
            """;
    private static final String CLAIM_DUE = """
            SELECT id, body, attempts, syncs_started FROM webhook_delivery
            WHERE status = 'PENDING' AND next_attempt_at <= $1
            ORDER BY next_attempt_at LIMIT 1
            FOR UPDATE SKIP LOCKED
            """;
    private static final String APPLIED = """
            UPDATE webhook_delivery SET status = 'APPLIED', applied_at = $2, attempts = attempts + 1, last_error = NULL
            WHERE id = $1 AND status = 'PENDING'
            """;
    private static final String POSTPONE = """
            UPDATE webhook_delivery SET next_attempt_at = $2 WHERE id = $1 AND status = 'PENDING'
            """;
    private static final String SYNCS_STARTED = """
            UPDATE webhook_delivery SET syncs_started = true WHERE id = $1 AND status = 'PENDING'
            """;
    private static final String FAILED = """
            UPDATE webhook_delivery SET attempts = attempts + 1, last_error = left($2, 2000),
                   next_attempt_at = $3 + LEAST($4::float8, power(2, attempts)) * interval '1 second'
            WHERE id = $1 AND status = 'PENDING'
            """;
    private static final String PURGE = """
            DELETE FROM webhook_delivery WHERE status = 'APPLIED' AND applied_at < $1
            """;
    private static final String BACKLOG = """
            SELECT count(*) AS pending, min(received_at) AS oldest FROM webhook_delivery WHERE status = 'PENDING'
            """;

    /** A delivery taken to apply, locked until its transaction ends. */
    record Claimed(UUID id, String body, int attempts, boolean syncsStarted) {
    }

    record Backlog(long pending, OffsetDateTime oldest) {
    }

    private final Pool pool;

    WebhookInbox(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /** The new delivery's id, or null when the same body was received before. */
    Uni<UUID> store(String bodySha256, String body, int changes) {
        return pool.preparedQuery(STORE)
                .execute(Tuple.of(UUID.randomUUID(), bodySha256, body, changes, Timestamps.nowAtUtc()))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
    }

    /** The given delivery if it is still to apply and nobody works on it, else null. */
    Uni<Claimed> claim(SqlConnection connection, UUID id) {
        return connection.preparedQuery(CLAIM_ONE).execute(Tuple.of(id)).map(WebhookInbox::claimed);
    }

    /** The delivery that has waited longest among those due, or null. */
    Uni<Claimed> claimDue(SqlConnection connection) {
        return connection.preparedQuery(CLAIM_DUE).execute(Tuple.of(Timestamps.nowAtUtc())).map(WebhookInbox::claimed);
    }

    Uni<Void> markApplied(SqlConnection connection, UUID id) {
        return connection.preparedQuery(APPLIED).execute(Tuple.of(id, Timestamps.nowAtUtc())).replaceWithVoid();
    }

    Uni<Void> markApplied(UUID id) {
        return pool.withConnection(connection -> markApplied(connection, id));
    }

    /** Sets the delivery aside for a while (it waits for full syncs of its channels). */
    Uni<Void> postpone(SqlConnection connection, UUID id, Duration by) {
        return connection.preparedQuery(POSTPONE).execute(Tuple.of(id, Timestamps.nowAtUtc().plus(by))).replaceWithVoid();
    }

    Uni<Void> postpone(UUID id, Duration by) {
        return pool.withConnection(connection -> postpone(connection, id, by));
    }

    Uni<Void> markSyncsStarted(UUID id) {
        return pool.preparedQuery(SYNCS_STARTED).execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Records a failed attempt; the next one comes after 1, 2, 4... seconds, at most {@code maxDelay}. */
    Uni<Void> markFailed(UUID id, String error, Duration maxDelay) {
        return pool.preparedQuery(FAILED)
                .execute(Tuple.of(id, error == null ? "unknown error" : error, Timestamps.nowAtUtc(),
                        (double) Math.max(1, maxDelay.toSeconds())))
                .replaceWithVoid();
    }

    Uni<Integer> purgeAppliedBefore(OffsetDateTime cutoff) {
        return pool.preparedQuery(PURGE).execute(Tuple.of(cutoff)).map(rows -> rows.rowCount());
    }

    Uni<Backlog> backlog() {
        return pool.query(BACKLOG).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new Backlog(row.getLong("pending"), row.getOffsetDateTime("oldest"));
        });
    }

    private static Claimed claimed(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        return new Claimed(row.getUUID("id"), row.getString("body"), row.getInteger("attempts"),
                row.getBoolean("syncs_started"));
    }
}
