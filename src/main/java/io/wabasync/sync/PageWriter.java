package io.wabasync.sync;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.common.Timestamps;
import io.wabasync.meta.MetaTemplate;
import io.wabasync.template.TemplateStatusChange;

/**
 * Stores one page of a full sync in one short transaction: one select of what we already have,
 * then inserts, updates and history rows as pipelined batches, and the job's counters, which also
 * proves the job is still RUNNING. Unchanged templates are not written.
 *
 * <p>This is the sync's hot path, written on the reactive client rather than through Hibernate:
 * measured with {@code mvn verify -Pbench}, the entity query for a page of existing templates took
 * 28-38 ms where the same select on the client takes about 1 ms (README, Performance).
 */
@ApplicationScoped
class PageWriter {

    private static final String EXISTING = """
            SELECT id, provider_id, name, language, status, category, rejected_reason, quality_score,
                   components::text AS components, removed_at IS NOT NULL AS removed
            FROM template WHERE channel_id = $1 AND provider_id = ANY($2)
            """;
    private static final String INSERT = """
            INSERT INTO template (id, workspace_id, channel_id, provider_id, name, language, status, category,
                                  components, rejected_reason, quality_score, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10, $11, $12, $12)
            """;
    private static final String UPDATE = """
            UPDATE template SET name = $2, language = $3, status = $4, category = $5, components = $6::text::jsonb,
                   rejected_reason = $7, quality_score = $8, updated_at = $9, removed_at = NULL
            WHERE id = $1
            """;
    private static final String HISTORY = """
            INSERT INTO template_status_history (id, template_id, from_status, to_status, changed_at, source)
            VALUES ($1, $2, $3, $4, $5, $6)
            """;
    private static final String RECORD_PAGE = """
            UPDATE sync_job SET pages = pages + 1, templates_seen = templates_seen + $2, created = created + $3,
                   updated = updated + $4, errors = errors + $5, heartbeat_at = $6
            WHERE id = $1 AND status = 'RUNNING'
            """;

    private final Pool pool;
    private final ObjectMapper json;

    PageWriter(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    Uni<PageOutcome> store(UUID jobId, SyncTarget target, List<MetaTemplate> page) {
        Map<String, MetaTemplate> incoming = new LinkedHashMap<>();
        int skipped = 0;
        for (MetaTemplate t : page) {
            if (t != null && t.isComplete()) {
                incoming.put(t.id(), t);
            } else {
                skipped++;
            }
        }
        int malformed = skipped;
        OffsetDateTime now = OffsetDateTime.ofInstant(Timestamps.now(), ZoneOffset.UTC);
        return pool.withTransaction(connection -> connection.preparedQuery(EXISTING)
                .execute(Tuple.of(target.channelId(), incoming.keySet().toArray(new String[0])))
                .chain(rows -> {
                    Map<String, Row> stored = new HashMap<>();
                    rows.forEach(row -> stored.put(row.getString("provider_id"), row));
                    List<Tuple> inserts = new ArrayList<>();
                    List<Tuple> updates = new ArrayList<>();
                    List<Tuple> history = new ArrayList<>();
                    for (MetaTemplate meta : incoming.values()) {
                        Row row = stored.get(meta.id());
                        if (row == null) {
                            UUID id = UUID.randomUUID();
                            inserts.add(Tuple.tuple(List.<Object>of(id, target.workspaceId(), target.channelId(), meta.id(),
                                    meta.name(), meta.language(), meta.status())).addValue(meta.category())
                                    .addValue(text(meta.components())).addValue(meta.rejectedReason())
                                    .addValue(meta.qualityScoreText()).addValue(now));
                            history.add(change(id, null, meta.status(), now));
                        } else if (differs(row, meta)) {
                            UUID id = row.getUUID("id");
                            updates.add(Tuple.tuple(List.<Object>of(id, meta.name(), meta.language(), meta.status()))
                                    .addValue(meta.category()).addValue(text(meta.components()))
                                    .addValue(meta.rejectedReason()).addValue(meta.qualityScoreText()).addValue(now));
                            if (!Objects.equals(row.getString("status"), meta.status())) {
                                history.add(change(id, row.getString("status"), meta.status(), now));
                            }
                        }
                    }
                    return batch(connection, INSERT, inserts)
                            .chain(() -> batch(connection, UPDATE, updates))
                            .chain(() -> batch(connection, HISTORY, history))
                            .chain(() -> connection.preparedQuery(RECORD_PAGE).execute(Tuple.of(jobId, incoming.size(),
                                    inserts.size(), updates.size(), malformed, now)))
                            .invoke(result -> {
                                if (result.rowCount() == 0) {
                                    // Ended elsewhere (abandoned, or this instance is stopping): roll back, stop.
                                    throw new JobNoLongerRunningException(jobId);
                                }
                            })
                            .replaceWith(new PageOutcome(List.copyOf(incoming.keySet()), inserts.size(), updates.size(),
                                    malformed));
                }));
    }

    private boolean differs(Row row, MetaTemplate meta) {
        return row.getBoolean("removed")
                || !Objects.equals(row.getString("name"), meta.name())
                || !Objects.equals(row.getString("language"), meta.language())
                || !Objects.equals(row.getString("status"), meta.status())
                || !Objects.equals(row.getString("category"), meta.category())
                || !Objects.equals(row.getString("rejected_reason"), meta.rejectedReason())
                || !Objects.equals(row.getString("quality_score"), meta.qualityScoreText())
                || !Objects.equals(tree(row.getString("components")), meta.components());
    }

    /** PostgreSQL re-orders jsonb keys, so stored and incoming components compare as trees, not text. */
    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }

    private static Tuple change(UUID templateId, String from, String to, OffsetDateTime at) {
        return Tuple.tuple(java.util.Arrays.<Object>asList(UUID.randomUUID(), templateId, from, to, at,
                TemplateStatusChange.SOURCE_SYNC));
    }

    private static Uni<Void> batch(SqlConnection connection, String sql, List<Tuple> rows) {
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }
}
