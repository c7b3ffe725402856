package io.wabasync.template.changelog;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.wabasync.template.TemplateListing;
import io.wabasync.template.lancepilot.LancePilotTemplateView;
import io.wabasync.template.lancepilot.LancePilotTemplates;

/**
 * The durable log of template changes (V6 migration): written by the database in the transaction
 * that makes each change, numbered at commit in commit order within a workspace, cut by age.
 */
@ApplicationScoped
public class ChangeLog {

    private static final String AFTER = """
            SELECT (change || jsonb_build_object('sequence', seq, 'type', event_type))::text
            FROM template_change_log WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3
            """;
    private static final String PRUNED_THROUGH = """
            SELECT through_seq FROM template_change_log_pruned WHERE workspace_id = $1
            """;
    // In batches, so that a long-idle log does not become one huge transaction.
    private static final String PRUNE = """
            WITH gone AS (
                DELETE FROM template_change_log WHERE event_id IN (
                    SELECT event_id FROM template_change_log WHERE created_at < $1 ORDER BY created_at LIMIT $2)
                RETURNING workspace_id, seq),
            cut AS (
                INSERT INTO template_change_log_pruned (workspace_id, through_seq)
                SELECT workspace_id, max(seq) FROM gone WHERE seq IS NOT NULL GROUP BY workspace_id
                ON CONFLICT (workspace_id) DO UPDATE
                    SET through_seq = GREATEST(template_change_log_pruned.through_seq, EXCLUDED.through_seq))
            SELECT count(*) FROM gone
            """;

    // The change and its template as it is now, in one read (the template may be gone: its channel
    // was disconnected).
    private static final String LOGGED = "SELECT 1, " + TemplateListing.COLUMNS + """
            , (l.change || jsonb_build_object('sequence', l.seq, 'type', l.event_type))::text, l.seq
            FROM template_change_log l LEFT JOIN template t ON t.id = l.template_id
                 LEFT JOIN channel c ON c.id = t.channel_id
            WHERE l.seq = ANY($1)
            """;

    /** A logged change (its JSON as the stream sends it) and its template now (null once it is gone). */
    public record Logged(String change, LancePilotTemplateView template) {
    }

    private final Pool pool;
    private final ObjectMapper json;
    private final LancePilotTemplates lancePilot;

    ChangeLog(Pool pool, ObjectMapper json, LancePilotTemplates lancePilot) {
        this.pool = pool;
        this.json = json;
        this.lancePilot = lancePilot;
    }

    /** The changes numbered so, by number; one retention removed is missing. */
    public Uni<Map<Long, Logged>> logged(List<Long> sequences) {
        return pool.preparedQuery(LOGGED).execute(Tuple.of(sequences.toArray(Long[]::new))).map(rows -> {
            Map<Long, Logged> found = new HashMap<>();
            for (Row row : rows) {
                found.put(row.getLong(27), new Logged(row.getString(26),
                        row.getUUID(15) == null ? null : lancePilot.view(TemplateListing.listed(row))));
            }
            return found;
        });
    }

    /** Up to {@code limit} changes of the workspace numbered after {@code sequence}, in order. */
    Uni<List<ChangeEvent>> after(UUID workspaceId, long sequence, int limit) {
        return pool.preparedQuery(AFTER).execute(Tuple.of(workspaceId, sequence, limit)).map(rows -> {
            List<ChangeEvent> changes = new ArrayList<>(rows.size());
            for (Row row : rows) {
                changes.add(parse(row.getString(0)));
            }
            return changes;
        });
    }

    /** The highest number of the workspace that retention has cut (0 when none). */
    Uni<Long> prunedThrough(UUID workspaceId) {
        return pool.preparedQuery(PRUNED_THROUGH).execute(Tuple.of(workspaceId))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
    }

    /** Removes up to {@code batch} changes logged before {@code before}; how many it removed. */
    Uni<Long> prune(OffsetDateTime before, int batch) {
        return pool.preparedQuery(PRUNE).execute(Tuple.of(before, batch))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    ChangeEvent parse(String change) {
        try {
            return json.readValue(change, ChangeEvent.class);
        } catch (Exception e) {
            throw new IllegalStateException("A logged template change does not parse: " + e.getMessage(), e);
        }
    }
}
