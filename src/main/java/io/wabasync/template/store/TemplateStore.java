package io.wabasync.template.store;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.template.store.StoredTemplate.Field;

/**
 * The one writer of template state: every row of {@code template} and {@code template_status_history}
 * is written here, inside the caller's transaction, on the reactive client (batched: a sync page is
 * hundreds of rows). Callers read the rows they will change ({@link StoredTemplate}), apply what they
 * learnt through its rules, and hand them back to {@link #write}: the row, its status-history entry and
 * its change-log entries (announcements) go out together or not at all.
 */
@ApplicationScoped
public class TemplateStore {

    private static final String COLUMNS = """
            SELECT id, workspace_id, channel_id, provider_id, name, language, status, rejected_reason, category,
                   quality_score, components::text AS components, other_info::text AS other_info,
                   rejection_info::text AS rejection_info, disable_info::text AS disable_info, locked,
                   removed_at IS NOT NULL AS removed, updated_at, status_as_of, quality_as_of, category_as_of,
                   components_as_of, previous_category, correct_category, sub_category, parameter_format,
                   message_send_ttl_seconds
            """;
    // Not locked: a row changed meanwhile is skipped by the write (its updated_at moved), the newer change wins.
    private static final String OF_CHANNEL = COLUMNS + "FROM template WHERE channel_id = $1 AND provider_id = ANY($2)";
    // Locked in one order everywhere, so two writers never wait on each other in a circle.
    private static final String WAITING = COLUMNS + """
            FROM template WHERE channel_id = $1 AND status = ANY($2) AND removed_at IS NULL AND provider_id = ANY($3)
            ORDER BY id FOR UPDATE
            """;
    private static final String BY_ID = COLUMNS + "FROM template WHERE id = $1 FOR UPDATE";
    private static final String NAMED = COLUMNS + """
                   , (SELECT h.from_status FROM template_status_history h
                      WHERE h.template_id = template.id AND h.to_status = 'ARCHIVED'
                      ORDER BY h.changed_at DESC LIMIT 1) AS before_archive
            FROM template WHERE channel_id = ANY($1) AND (provider_id = ANY($2) OR name = ANY($3))
            ORDER BY id FOR UPDATE OF template
            """;
    private static final String PROVIDER_IDS_IN_STATUS = """
            SELECT provider_id FROM template WHERE channel_id = $1 AND status = ANY($2) AND removed_at IS NULL
            """;
    // A template that arrived meanwhile by another path (a create's answer, another sync) is kept as it is.
    // One statement for all the rows (arrays, one per column), not one per row: a page of a full sync
    // is 100 inserts, and per statement the database's work was several times the row's own.
    private static final String INSERT = """
            INSERT INTO template (id, workspace_id, channel_id, provider_id, name, language, status, category,
                                  components, rejected_reason, quality_score, created_at, updated_at,
                                  status_as_of, quality_as_of, category_as_of, components_as_of, previous_category,
                                  correct_category, sub_category, parameter_format, message_send_ttl_seconds)
            SELECT id, workspace_id, channel_id, provider_id, name, language, status, category, components::jsonb,
                   rejected_reason, quality_score, $21, $21, status_as_of, quality_as_of, category_as_of,
                   components_as_of, previous_category, correct_category, sub_category, parameter_format, ttl
              FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                          $14::timestamptz[], $15::timestamptz[], $16::text[], $17::text[], $18::text[], $19::text[],
                          $20::int[])
                   WITH ORDINALITY AS r (id, workspace_id, channel_id, provider_id, name, language, status,
                          category, components, rejected_reason, quality_score, status_as_of, quality_as_of,
                          category_as_of, components_as_of, previous_category, correct_category, sub_category,
                          parameter_format, ttl, position)
             ORDER BY position
            ON CONFLICT (channel_id, provider_id) DO NOTHING
            RETURNING id
            """;
    // Only if the row is as it was read: a change made meanwhile wins, and this one is skipped.
    private static final String UPDATE = """
            UPDATE template SET name = $2, language = $3, status = $4, category = $5, components = $6::text::jsonb,
                   rejected_reason = $7, quality_score = $8, updated_at = $9,
                   removed_at = CASE WHEN $10 THEN coalesce(removed_at, $9) END,
                   status_as_of = $11, quality_as_of = $12, category_as_of = $13, components_as_of = $14,
                   previous_category = $15, correct_category = $16, sub_category = $17, parameter_format = $18,
                   message_send_ttl_seconds = $19, other_info = $20::text::jsonb, rejection_info = $21::text::jsonb,
                   disable_info = $22::text::jsonb, locked = $23
            WHERE id = $1 AND updated_at = $24
            """;
    // In the order given: the statement's trigger writes the change-log entries in that order (V9).
    private static final String HISTORY = """
            INSERT INTO template_status_history (id, template_id, from_status, to_status, changed_at, source)
            SELECT id, template_id, from_status, to_status, $5, source
              FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $6::text[])
                   WITH ORDINALITY AS r (id, template_id, from_status, to_status, source, position)
             ORDER BY position
            """;
    // After the rows: the change-log entry reads the template as it now is.
    private static final String ANNOUNCE = """
            SELECT wabasync_template_changes_log($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
                                                 array_fill($6::timestamptz, ARRAY[cardinality($1::uuid[])]), $7::uuid[])
            """;
    private static final String REMOVE_UNSEEN = """
            UPDATE template SET removed_at = $3, updated_at = $3
            WHERE channel_id = $1 AND removed_at IS NULL AND provider_id <> ALL($2)
            """;

    private final ObjectMapper json;

    TemplateStore(ObjectMapper json) {
        this.json = json;
    }

    /** What a write did: rows inserted and rows updated (a row changed meanwhile by another path is neither). */
    public record Written(int inserted, int updated) {
    }

    /** The channel's templates with these Meta ids, as they are now. */
    public Uni<List<StoredTemplate>> ofChannel(SqlClient transaction, UUID channelId, Collection<String> providerIds) {
        return read(transaction, OF_CHANNEL, Tuple.of(channelId, providerIds.toArray(new String[0])));
    }

    /** The channel's templates with these Meta ids that are still in one of {@code statuses}, locked. */
    public Uni<List<StoredTemplate>> lockWaiting(SqlClient transaction, UUID channelId, Collection<String> statuses,
            Collection<String> providerIds) {
        return read(transaction, WAITING, Tuple.of(channelId, statuses.toArray(new String[0]),
                providerIds.toArray(new String[0])));
    }

    /** One template, locked; null when there is none. */
    public Uni<StoredTemplate> lock(SqlClient transaction, UUID templateId) {
        return read(transaction, BY_ID, Tuple.of(templateId)).map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /**
     * The templates of these channels with one of these Meta ids or names, locked, each with the status
     * it had before Meta last archived it.
     */
    public Uni<List<StoredTemplate>> lockNamed(SqlClient transaction, UUID[] channelIds, String[] providerIds,
            String[] names) {
        return read(transaction, NAMED, Tuple.of(channelIds, providerIds, names));
    }

    /** Meta's ids of the channel's listed templates in one of {@code statuses}. */
    public Uni<List<String>> providerIdsInStatus(SqlClient client, UUID channelId, Collection<String> statuses) {
        return client.preparedQuery(PROVIDER_IDS_IN_STATUS).execute(Tuple.of(channelId, statuses.toArray(new String[0])))
                .map(rows -> {
                    List<String> ids = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> ids.add(row.getString(0)));
                    return ids;
                });
    }

    /**
     * Writes every template that changed, in the caller's transaction: new ones inserted, the others
     * updated only if unchanged since read; then the history and change-log entries of those written.
     */
    public Uni<Written> write(SqlClient transaction, Collection<StoredTemplate> templates, OffsetDateTime now) {
        List<StoredTemplate> inserts = new ArrayList<>();
        List<StoredTemplate> updates = new ArrayList<>();
        for (StoredTemplate t : templates) {
            if (t.readAt == null) {
                inserts.add(t);
            } else if (t.dirty) {
                updates.add(t);
            }
        }
        return insert(transaction, inserts, now)
                .chain(inserted -> batch(transaction, UPDATE, updates.stream().map(t -> updateRow(t, now)).toList())
                        .chain(updated -> {
                            Set<StoredTemplate> written = Collections.newSetFromMap(new IdentityHashMap<>());
                            addWritten(inserts, inserted, written);
                            addWritten(updates, updated, written);
                            List<HistoryRow> history = new ArrayList<>();
                            List<AnnouncementRow> announcements = new ArrayList<>();
                            collect(inserts, written, now, history, announcements);
                            collect(updates, written, now, history, announcements);
                            return history(transaction, history, now)
                                    .chain(() -> announce(transaction, announcements, now))
                                    .replaceWith(new Written(count(inserted), count(updated)));
                        }));
    }

    /**
     * After a complete sync: what Meta no longer lists leaves the lists (announced by the row's trigger).
     * One array parameter, not a list of thousands of ids to bind.
     */
    public Uni<Integer> removeAllExcept(SqlClient transaction, UUID channelId, Collection<String> seenProviderIds,
            OffsetDateTime now) {
        return transaction.preparedQuery(REMOVE_UNSEEN)
                .execute(Tuple.of(channelId, seenProviderIds.toArray(new String[0]), now))
                .map(RowSet::rowCount);
    }

    private Uni<List<StoredTemplate>> read(SqlClient client, String sql, Tuple arguments) {
        return client.preparedQuery(sql).execute(arguments).map(rows -> {
            List<StoredTemplate> read = new ArrayList<>(rows.rowCount());
            List<StoredTemplate.Entry> journal = new ArrayList<>();
            rows.forEach(row -> read.add(StoredTemplate.of(row, this::tree, journal)));
            return read;
        });
    }

    /** The entries of the templates written, journal by journal, each in the order its changes were made. */
    private static void collect(List<StoredTemplate> templates, Set<StoredTemplate> written, OffsetDateTime now,
            List<HistoryRow> history, List<AnnouncementRow> announcements) {
        Set<List<StoredTemplate.Entry>> journals = Collections.newSetFromMap(new IdentityHashMap<>());
        for (StoredTemplate template : templates) {
            if (!journals.add(template.journal)) {
                continue;
            }
            for (StoredTemplate.Entry entry : template.journal) {
                if (!written.contains(entry.template())) {
                    continue;
                }
                UUID id = entry.template().id;
                if (entry instanceof StoredTemplate.StatusStep step) {
                    history.add(new HistoryRow(UUID.randomUUID(), id, step.from(), step.to(), step.source()));
                } else if (entry instanceof StoredTemplate.Announcement a) {
                    announcements.add(new AnnouncementRow(id, a.field(), a.from(), a.to(), a.source()));
                }
            }
        }
    }

    private static void addWritten(List<StoredTemplate> templates, List<Boolean> done, Set<StoredTemplate> written) {
        for (int i = 0; i < templates.size(); i++) {
            if (done.get(i)) {
                written.add(templates.get(i));
            }
        }
    }

    /** Inserts the new templates in one statement; whether each was inserted (not already there), in order. */
    private Uni<List<Boolean>> insert(SqlClient client, List<StoredTemplate> templates, OffsetDateTime now) {
        if (templates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = templates.size();
        Object[][] columns = {
            new UUID[n], new UUID[n], new UUID[n], new String[n], new String[n], new String[n], new String[n],
            new String[n], new String[n], new String[n], new String[n], new OffsetDateTime[n], new OffsetDateTime[n],
            new OffsetDateTime[n], new OffsetDateTime[n], new String[n], new String[n], new String[n], new String[n],
            new Integer[n] };
        for (int i = 0; i < n; i++) {
            StoredTemplate t = templates.get(i);
            Object[] row = { t.id, t.workspaceId, t.channelId, t.providerId, t.name, t.language, t.status, t.category,
                text(t.components), t.rejectedReason, t.qualityScore, asOf(t, Field.STATUS), asOf(t, Field.QUALITY),
                asOf(t, Field.CATEGORY), asOf(t, Field.COMPONENTS), t.previousCategory, t.correctCategory,
                t.subCategory, t.parameterFormat, t.messageSendTtlSeconds };
            for (int c = 0; c < row.length; c++) {
                columns[c][i] = row[c];
            }
        }
        List<Object> arguments = new ArrayList<>(Arrays.asList(columns));
        arguments.add(now);
        return client.preparedQuery(INSERT).execute(Tuple.from(arguments)).map(rows -> {
            Set<UUID> inserted = new HashSet<>();
            rows.forEach(row -> inserted.add(row.getUUID(0)));
            return templates.stream().map(t -> inserted.contains(t.id)).toList();
        });
    }

    /** A change-log entry to make for a change that is not a status step. */
    private record AnnouncementRow(UUID templateId, String field, String from, String to, String source) {
    }

    private static Uni<Void> announce(SqlClient client, List<AnnouncementRow> rows, OffsetDateTime now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(ANNOUNCE).execute(Tuple.from(List.of(
                rows.stream().map(AnnouncementRow::templateId).toArray(UUID[]::new),
                rows.stream().map(AnnouncementRow::field).toArray(String[]::new),
                rows.stream().map(AnnouncementRow::from).toArray(String[]::new),
                rows.stream().map(AnnouncementRow::to).toArray(String[]::new),
                rows.stream().map(AnnouncementRow::source).toArray(String[]::new),
                now,
                rows.stream().map(row -> UUID.randomUUID()).toArray(UUID[]::new)))).replaceWithVoid();
    }

    /** A status-history row to write. */
    private record HistoryRow(UUID id, UUID templateId, String from, String to, String source) {
    }

    private static Uni<Void> history(SqlClient client, List<HistoryRow> rows, OffsetDateTime now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(HISTORY).execute(Tuple.of(
                rows.stream().map(HistoryRow::id).toArray(UUID[]::new),
                rows.stream().map(HistoryRow::templateId).toArray(UUID[]::new),
                rows.stream().map(HistoryRow::from).toArray(String[]::new),
                rows.stream().map(HistoryRow::to).toArray(String[]::new),
                now,
                rows.stream().map(HistoryRow::source).toArray(String[]::new))).replaceWithVoid();
    }

    private Tuple updateRow(StoredTemplate t, OffsetDateTime now) {
        return Tuple.tuple(Arrays.asList(t.id, t.name, t.language, t.status, t.category, text(t.components),
                t.rejectedReason, t.qualityScore, now, t.removed, asOf(t, Field.STATUS), asOf(t, Field.QUALITY),
                asOf(t, Field.CATEGORY), asOf(t, Field.COMPONENTS), t.previousCategory, t.correctCategory, t.subCategory, t.parameterFormat,
                t.messageSendTtlSeconds, text(t.otherInfo), text(t.rejectionInfo), text(t.disableInfo), t.locked,
                t.readAt));
    }

    private static OffsetDateTime asOf(StoredTemplate t, Field field) {
        return t.asOf[field.ordinal()];
    }

    /** Runs the statements as one batch; whether each one wrote its row, in order. */
    private static Uni<List<Boolean>> batch(SqlClient client, String sql, List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery(sql).executeBatch(rows).map(result -> {
            List<Boolean> done = new ArrayList<>(rows.size());
            for (RowSet<Row> each = result; each != null; each = each.next()) {
                done.add(each.rowCount() > 0);
            }
            return done;
        });
    }

    private static int count(List<Boolean> written) {
        return (int) written.stream().filter(done -> done).count();
    }

    private JsonNode tree(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not JSON", e);
        }
    }

    private String text(JsonNode tree) {
        if (tree == null || tree.isNull()) {
            return null;
        }
        try {
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
