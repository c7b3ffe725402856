package io.wabasync.template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.channel.Channel;
import io.wabasync.common.ApiException;
import io.wabasync.common.Paged;

/**
 * The two template lists, the hot read path: each page is one statement on the reactive client
 * (the number or filters, the total and the page together), read into {@link ListedTemplate}s that
 * each surface shapes at its edge, the stored JSON kept as text.
 *
 * <p>Nothing about keys, channels or templates is cached here, so a disconnected number or a change
 * made through another replica shows at once. A page is found in the listing index alone (ids
 * only, index-only once vacuumed), and only its rows are read from the table, so page 100 costs
 * what page 1 costs. The total is not counted: it is the sum of the kept counts of the number (or
 * the workspace, by status), which the database keeps in every transaction that changes a row
 * ({@code template.store.TemplateCounts}); only a search by name or language counts its matches.
 */
@ApplicationScoped
public class TemplateListing {

    private static final String TWO_CHAT_PAGE = """
            WITH ch AS (
                SELECT id, phone_number, waba_id, status, friendly_name, verified_name, created_at, updated_at
                  FROM channel WHERE workspace_id = $1 AND phone_number = $2),
            total AS (
                SELECT coalesce(sum(n), 0)::bigint AS n FROM template_count WHERE channel_id = (SELECT id FROM ch)),
            page AS (
                SELECT id FROM template WHERE channel_id = (SELECT id FROM ch) AND removed_at IS NULL
                 ORDER BY name, language, id LIMIT $4 OFFSET $3)
            SELECT ch.id AS channel_id, ch.phone_number, ch.waba_id, ch.status AS channel_status, ch.friendly_name,
                   ch.verified_name, ch.created_at AS channel_created_at, ch.updated_at AS channel_updated_at,
                   total.n AS total, t.id, t.name, t.status, t.category, t.description, t.updated_at, t.provider_id,
                   t.language, t.components::text AS components, t.rejected_reason, t.quality_score, t.components_md5
              FROM ch CROSS JOIN total LEFT JOIN (page JOIN template t ON t.id = page.id) ON true
             ORDER BY t.name, t.language, t.id
            """;

    /** A template as the workspace's list reads it (t: template, c: its channel), after one leading column. */
    public static final String COLUMNS = """
            t.number, t.workspace_id, t.channel_id, c.phone_number, t.name, t.language,
                   t.category, t.status, t.provider_id, t.components::text AS components, t.rejected_reason,
                   t.quality_score, t.created_at, t.updated_at, t.id, t.previous_category, t.correct_category,
                   t.sub_category, t.parameter_format, t.message_send_ttl_seconds, t.other_info::text AS other_info,
                   t.rejection_info::text AS rejection_info, t.disable_info::text AS disable_info, t.locked,
                   t.components_md5
            """;
    private static final String LANCE_PILOT_PAGE = """
            WITH total AS (%2$s),
            page AS (SELECT id FROM template WHERE %1$s ORDER BY name, language, id LIMIT $2 OFFSET $3)
            SELECT total.n AS total, """ + COLUMNS + """
              FROM total LEFT JOIN (page JOIN template t ON t.id = page.id JOIN channel c ON c.id = t.channel_id) ON true
             ORDER BY t.name, t.language, t.id
            """;

    private final Pool pool;

    TemplateListing(Pool pool) {
        this.pool = pool;
    }

    /** A zero-based page of one number's current templates (2Chat's list); 404 when the number is not the workspace's. */
    public Uni<NumberTemplates> ofNumber(UUID workspaceId, String phoneNumber, int page, int pageSize) {
        return pool.preparedQuery(TWO_CHAT_PAGE)
                .execute(Tuple.of(workspaceId, phoneNumber, (long) page * pageSize, pageSize))
                .map(rows -> ofNumber(rows, phoneNumber));
    }

    private static NumberTemplates ofNumber(RowSet<Row> rows, String phoneNumber) {
        if (rows.size() == 0) {
            throw ApiException.notFound("Phone number " + phoneNumber + " is not connected in this workspace");
        }
        Channel channel = null;
        long total = 0;
        List<ListedTemplate> templates = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (channel == null) {
                channel = channel(row);
                total = row.getLong(8);
            }
            // Columns by position (as selected above): looking each up by name was a visible share of a page.
            if (row.getUUID(9) == null) {
                continue; // the number has no templates on this page
            }
            templates.add(new ListedTemplate(row.getUUID(9), null, null, channel.id, channel.phoneNumber,
                    row.getString(10), row.getString(16), row.getString(12), row.getString(11), row.getString(15),
                    row.getString(17), row.getString(18), row.getString(19), row.getString(13), null, instant(row, 14),
                    null, null, null, null, null, null, null, null, null, row.getString(20)));
        }
        return new NumberTemplates(channel, total, templates);
    }

    private static Channel channel(Row row) {
        Channel channel = new Channel();
        channel.id = row.getUUID(0);
        channel.phoneNumber = row.getString(1);
        channel.wabaId = row.getString(2);
        channel.status = row.getString(3);
        channel.friendlyName = row.getString(4);
        channel.verifiedName = row.getString(5);
        channel.createdAt = instant(row, 6);
        channel.updatedAt = instant(row, 7);
        return channel;
    }

    /** A one-based page of the workspace's listed templates matching the filter (LancePilot's list). */
    public Uni<Paged<ListedTemplate>> ofWorkspace(UUID workspaceId, TemplateFilter filter, int page, int perPage) {
        StringBuilder where = new StringBuilder("workspace_id = $1 AND removed_at IS NULL");
        // The kept counts answer a filter by number and status; a search by name, language or category is counted.
        StringBuilder kept = new StringBuilder("workspace_id = $1");
        List<Object> params = new ArrayList<>(List.of(workspaceId, perPage, (long) (page - 1) * perPage));
        if (filter.phoneNumber() != null) {
            params.add(filter.phoneNumber());
            String ofNumber = " AND channel_id = (SELECT id FROM channel WHERE workspace_id = $1 AND phone_number = $"
                    + params.size() + ")";
            where.append(ofNumber);
            kept.append(ofNumber);
        }
        if (filter.status() != null) {
            params.add(filter.status().toUpperCase(Locale.ROOT));
            String ofStatus = " AND status = $" + params.size();
            where.append(ofStatus);
            kept.append(ofStatus);
        }
        if (filter.name() != null) {
            params.add("%" + escapeLike(filter.name().toLowerCase(Locale.ROOT)) + "%");
            where.append(" AND lower(name) LIKE $").append(params.size()).append(" ESCAPE '\\'");
        }
        if (filter.language() != null) {
            params.add(filter.language());
            where.append(" AND language = $").append(params.size());
        }
        if (filter.category() != null) {
            params.add(filter.category().toUpperCase(Locale.ROOT));
            where.append(" AND category = $").append(params.size());
        }
        String counted = filter.name() == null && filter.language() == null && filter.category() == null
                ? "SELECT coalesce(sum(n), 0)::bigint AS n FROM template_count WHERE " + kept
                : "SELECT count(*) AS n FROM template WHERE " + where;
        return pool.preparedQuery(LANCE_PILOT_PAGE.formatted(where, counted)).execute(Tuple.from(params)).map(rows -> {
            long total = 0;
            List<ListedTemplate> data = new ArrayList<>(rows.size());
            for (Row row : rows) {
                total = row.getLong(0);
                if (row.getUUID(15) != null) {
                    data.add(listed(row));
                }
            }
            return Paged.of(data, page, perPage, total);
        });
    }

    /** The template of a row selected with {@link #COLUMNS} from its second column on. */
    public static ListedTemplate listed(Row row) {
        return new ListedTemplate(row.getUUID(15), row.getLong(1), row.getUUID(2), row.getUUID(3), row.getString(4),
                row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9),
                row.getString(10), row.getString(11), row.getString(12), null, instant(row, 13), instant(row, 14),
                row.getString(16), row.getString(17), row.getString(18), row.getString(19), row.getInteger(20),
                row.getString(21), row.getString(22), row.getString(23), row.getBoolean(24), row.getString(25));
    }

    /** A name filter is matched literally: % and _ in it are not wildcards. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Instant instant(Row row, int column) {
        var time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }
}
