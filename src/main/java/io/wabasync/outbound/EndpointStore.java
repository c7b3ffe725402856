package io.wabasync.outbound;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.common.Timestamps;

/** The {@code outbound_endpoint} table: a workspace's webhook endpoints, secrets encrypted. */
@ApplicationScoped
class EndpointStore {

    private static final String COLUMNS = """
            id, workspace_id, url, description, event_types, enabled, secret, previous_secret, previous_secret_until,
            failing_since, disabled_reason, created_at, updated_at
            """;
    private static final String INSERT = "INSERT INTO outbound_endpoint (" + COLUMNS + """
            ) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL, NULL, $8, $8) RETURNING
            """ + COLUMNS;
    private static final String LIST = "SELECT " + COLUMNS + """
            FROM outbound_endpoint WHERE workspace_id = $1 ORDER BY created_at, id
            """;
    private static final String ONE = "SELECT " + COLUMNS + """
            FROM outbound_endpoint WHERE workspace_id = $1 AND id = $2
            """;
    // Enabling again clears the failure record; what the outbox kept for the endpoint is due at once.
    private static final String UPDATE = """
            UPDATE outbound_endpoint SET url = COALESCE($3, url), event_types = COALESCE($4, event_types),
                   description = COALESCE($5, description), enabled = COALESCE($6, enabled),
                   disabled_reason = CASE WHEN $6 THEN NULL ELSE disabled_reason END,
                   failing_since = CASE WHEN $6 THEN NULL ELSE failing_since END,
                   updated_at = $7
            WHERE workspace_id = $1 AND id = $2 RETURNING
            """ + COLUMNS;
    private static final String DUE_NOW = """
            UPDATE outbound_delivery SET next_attempt_at = $2 WHERE endpoint_id = $1 AND status = 'PENDING'
            """;
    private static final String ROTATE = """
            UPDATE outbound_endpoint SET previous_secret = secret, previous_secret_until = $4, secret = $3,
                   updated_at = $5
            WHERE workspace_id = $1 AND id = $2 RETURNING
            """ + COLUMNS;
    private static final String DELETE = """
            DELETE FROM outbound_endpoint WHERE workspace_id = $1 AND id = $2
            """;

    /** A row; the secrets are as stored (encrypted). */
    record Endpoint(UUID id, UUID workspaceId, String url, String description, List<String> eventTypes,
            boolean enabled, byte[] secret, byte[] previousSecret, OffsetDateTime previousSecretUntil,
            OffsetDateTime failingSince, String disabledReason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private final Pool pool;

    EndpointStore(Pool pool) {
        this.pool = pool;
    }

    Uni<Endpoint> insert(UUID workspaceId, String url, String description, List<String> eventTypes, boolean enabled,
            byte[] secret) {
        return pool.preparedQuery(INSERT).execute(Tuple.from(List.of(UUID.randomUUID(), workspaceId, url,
                description == null ? "" : description, eventTypes.toArray(String[]::new), enabled,
                Buffer.buffer(secret), Timestamps.nowAtUtc())))
                .map(EndpointStore::first);
    }

    Uni<List<Endpoint>> list(UUID workspaceId) {
        return pool.preparedQuery(LIST).execute(Tuple.of(workspaceId)).map(rows -> {
            List<Endpoint> all = new ArrayList<>();
            rows.forEach(row -> all.add(endpoint(row)));
            return all;
        });
    }

    Uni<Endpoint> find(UUID workspaceId, UUID id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(workspaceId, id)).map(EndpointStore::first);
    }

    Uni<Endpoint> update(UUID workspaceId, UUID id, String url, List<String> eventTypes, String description,
            Boolean enabled) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        return pool.withTransaction(connection -> connection.preparedQuery(UPDATE)
                .execute(Tuple.from(Arrays.asList(workspaceId, id, url,
                        eventTypes == null ? null : eventTypes.toArray(String[]::new), description, enabled, now)))
                .map(EndpointStore::first)
                .call(endpoint -> endpoint != null && Boolean.TRUE.equals(enabled)
                        ? connection.preparedQuery(DUE_NOW).execute(Tuple.of(id, now))
                        : Uni.createFrom().voidItem()));
    }

    Uni<Endpoint> rotate(UUID workspaceId, UUID id, byte[] secret, OffsetDateTime previousUntil) {
        return pool.preparedQuery(ROTATE).execute(Tuple.of(workspaceId, id,
                Buffer.buffer(secret), previousUntil, Timestamps.nowAtUtc()))
                .map(EndpointStore::first);
    }

    Uni<Boolean> delete(UUID workspaceId, UUID id) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(workspaceId, id)).map(rows -> rows.rowCount() == 1);
    }

    private static Endpoint first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : endpoint(rows.iterator().next());
    }

    static Endpoint endpoint(Row row) {
        String[] types = row.getArrayOfStrings("event_types");
        var previous = row.getBuffer("previous_secret");
        String description = row.getString("description");
        return new Endpoint(row.getUUID("id"), row.getUUID("workspace_id"), row.getString("url"),
                description == null || description.isEmpty() ? null : description,
                types == null ? List.of() : List.of(types), row.getBoolean("enabled"),
                row.getBuffer("secret").getBytes(), previous == null ? null : previous.getBytes(),
                row.getOffsetDateTime("previous_secret_until"), row.getOffsetDateTime("failing_since"),
                row.getString("disabled_reason"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }
}
