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
import io.wabasync.channel.PhoneCountries;
import io.wabasync.common.ApiException;
import io.wabasync.common.Paged;

/**
 * The two template lists, the hot read path: each page is one statement on the reactive client
 * (the number or filters, the count and the page together), and the stored JSON goes out as it is.
 *
 * <p>Nothing about keys, channels or templates is cached here, so a disconnected number or a change
 * made through another replica shows at once. A page is found in the listing index alone (ids
 * only, index-only once vacuumed), and only its rows are read from the table, so page 100 costs
 * what page 1 costs.
 */
@ApplicationScoped
class TemplateListing {

    private static final String TWO_CHAT_PAGE = """
            WITH ch AS (
                SELECT id, phone_number, waba_id, status, friendly_name, verified_name, created_at, updated_at
                  FROM channel WHERE workspace_id = $1 AND phone_number = $2),
            total AS (
                SELECT count(*) AS n FROM template WHERE channel_id = (SELECT id FROM ch) AND removed_at IS NULL),
            page AS (
                SELECT id FROM template WHERE channel_id = (SELECT id FROM ch) AND removed_at IS NULL
                 ORDER BY name, language, id LIMIT $4 OFFSET $3)
            SELECT ch.id AS channel_id, ch.phone_number, ch.waba_id, ch.status AS channel_status, ch.friendly_name,
                   ch.verified_name, ch.created_at AS channel_created_at, ch.updated_at AS channel_updated_at,
                   total.n AS total, t.id, t.name, t.status, t.category, t.description, t.updated_at, t.provider_id,
                   t.language, t.components::text AS components, t.rejected_reason, t.quality_score
              FROM ch CROSS JOIN total LEFT JOIN (page JOIN template t ON t.id = page.id) ON true
             ORDER BY t.name, t.language, t.id
            """;

    private static final String LANCE_PILOT_PAGE = """
            WITH total AS (SELECT count(*) AS n FROM template WHERE %1$s),
            page AS (SELECT id FROM template WHERE %1$s ORDER BY name, language, id LIMIT $2 OFFSET $3)
            SELECT total.n AS total, t.number, t.workspace_id, t.channel_id, c.phone_number, t.name, t.language,
                   t.category, t.status, t.provider_id, t.components::text AS components, t.rejected_reason,
                   t.quality_score, t.created_at, t.updated_at, t.id, t.previous_category, t.correct_category,
                   t.sub_category, t.parameter_format, t.message_send_ttl_seconds, t.other_info::text AS other_info,
                   t.rejection_info::text AS rejection_info, t.disable_info::text AS disable_info, t.locked
              FROM total LEFT JOIN (page JOIN template t ON t.id = page.id JOIN channel c ON c.id = t.channel_id) ON true
             ORDER BY t.name, t.language, t.id
            """;

    private final Pool pool;
    private final ComponentsRendering rendering;
    private final PhoneCountries countries;

    TemplateListing(Pool pool, ComponentsRendering rendering, PhoneCountries countries) {
        this.pool = pool;
        this.rendering = rendering;
        this.countries = countries;
    }

    /** 2Chat's zero-based page of one number's current templates; 404 when the number is not the workspace's. */
    Uni<TwoChatTemplatePage> twoChatPage(UUID workspaceId, String phoneNumber, int page, int pageSize) {
        return pool.preparedQuery(TWO_CHAT_PAGE)
                .execute(Tuple.of(workspaceId, phoneNumber, (long) page * pageSize, pageSize))
                .map(rows -> twoChatPage(rows, phoneNumber, page, pageSize));
    }

    private TwoChatTemplatePage twoChatPage(RowSet<Row> rows, String phoneNumber, int page, int pageSize) {
        if (rows.size() == 0) {
            throw ApiException.notFound("Phone number " + phoneNumber + " is not connected in this workspace");
        }
        TwoChatWaba waba = null;
        long total = 0;
        List<TwoChatTemplateView> templates = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (waba == null) {
                waba = TwoChatWaba.of(channel(row), countries.isoCountryCode(row.getString("phone_number")));
                total = row.getLong("total");
            }
            if (row.getUUID("id") == null) {
                continue; // the number has no templates on this page
            }
            String components = row.getString("components");
            templates.add(new TwoChatTemplateView(row.getUUID("id").toString(), row.getString("name"),
                    row.getString("status"), row.getString("category"), rendering.of(components).content(),
                    row.getString("description"), instant(row, "updated_at"), waba, row.getString("provider_id"),
                    row.getString("language"), ComponentsRendering.raw(components), row.getString("rejected_reason"),
                    row.getString("quality_score")));
        }
        return new TwoChatTemplatePage(true, templates, total, page,
                (long) (page + 1) * pageSize < total ? page + 1 : null);
    }

    private static Channel channel(Row row) {
        Channel channel = new Channel();
        channel.id = row.getUUID("channel_id");
        channel.phoneNumber = row.getString("phone_number");
        channel.wabaId = row.getString("waba_id");
        channel.status = row.getString("channel_status");
        channel.friendlyName = row.getString("friendly_name");
        channel.verifiedName = row.getString("verified_name");
        channel.createdAt = instant(row, "channel_created_at");
        channel.updatedAt = instant(row, "channel_updated_at");
        return channel;
    }

    /** LancePilot's one-based page of the workspace's listed templates matching the filter. */
    Uni<Paged<TemplateView>> lancePilotPage(UUID workspaceId, TemplateFilter filter, int page, int perPage) {
        StringBuilder where = new StringBuilder("workspace_id = $1 AND removed_at IS NULL");
        List<Object> params = new ArrayList<>(List.of(workspaceId, perPage, (long) (page - 1) * perPage));
        if (filter.phoneNumber() != null) {
            params.add(filter.phoneNumber());
            where.append(" AND channel_id = (SELECT id FROM channel WHERE workspace_id = $1 AND phone_number = $")
                    .append(params.size()).append(')');
        }
        if (filter.status() != null) {
            params.add(filter.status().toUpperCase(Locale.ROOT));
            where.append(" AND status = $").append(params.size());
        }
        if (filter.name() != null) {
            params.add("%" + escapeLike(filter.name().toLowerCase(Locale.ROOT)) + "%");
            where.append(" AND lower(name) LIKE $").append(params.size()).append(" ESCAPE '\\'");
        }
        if (filter.language() != null) {
            params.add(filter.language());
            where.append(" AND language = $").append(params.size());
        }
        return pool.preparedQuery(LANCE_PILOT_PAGE.formatted(where)).execute(Tuple.from(params)).map(rows -> {
            long total = 0;
            List<TemplateView> data = new ArrayList<>(rows.size());
            for (Row row : rows) {
                total = row.getLong("total");
                if (row.getUUID("id") != null) {
                    data.add(lancePilotView(row));
                }
            }
            return Paged.of(data, page, perPage, total);
        });
    }

    private TemplateView lancePilotView(Row row) {
        return new TemplateView(row.getLong("number"), row.getUUID("workspace_id").toString(),
                row.getUUID("channel_id").toString(), row.getString("phone_number"), row.getString("name"),
                row.getString("language"), row.getString("category"), row.getString("status"),
                row.getString("provider_id"), rendering.of(row.getString("components")).lancePilot(),
                row.getString("rejected_reason"), row.getString("quality_score"), instant(row, "created_at"),
                instant(row, "updated_at"), row.getUUID("id").toString(), row.getString("previous_category"),
                row.getString("correct_category"), row.getString("sub_category"), row.getString("parameter_format"),
                row.getInteger("message_send_ttl_seconds"), ComponentsRendering.raw(row.getString("other_info")),
                ComponentsRendering.raw(row.getString("rejection_info")),
                ComponentsRendering.raw(row.getString("disable_info")), row.getBoolean("locked"));
    }

    /** A name filter is matched literally: % and _ in it are not wildcards. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Instant instant(Row row, String column) {
        var time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }
}
