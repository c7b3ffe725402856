package io.wabasync.webhook;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.common.Timestamps;
import io.wabasync.template.Template;
import io.wabasync.template.TemplateStatusChange;
import io.wabasync.template.TemplateTexts;

/**
 * Applies a delivery's template changes inside the caller's transaction: one select (rows locked)
 * of every template the delivery names, the changes worked out in memory in delivery order, then
 * batched writes. A state older than the stored one is skipped and a repeated one changes nothing,
 * so applying a delivery twice is harmless.
 */
@ApplicationScoped
class WebhookApplier {

    private static final String SOURCE = TemplateStatusChange.SOURCE_WEBHOOK;
    /** Characters of a text carried in a change announcement (NOTIFY payloads are at most 8000 bytes). */
    private static final int ANNOUNCED_TEXT = 500;
    private static final String CHANNELS = "SELECT id, waba_id FROM channel WHERE waba_id = ANY($1)";
    private static final String TEMPLATES = """
            SELECT id, channel_id, provider_id, name, language, status, rejected_reason, category, quality_score,
                   status_as_of, quality_as_of, category_as_of, components::text AS components, components_as_of,
                   other_info::text AS other_info, rejection_info::text AS rejection_info,
                   disable_info::text AS disable_info, locked,
                   (SELECT h.from_status FROM template_status_history h
                    WHERE h.template_id = template.id AND h.to_status = 'ARCHIVED'
                    ORDER BY h.changed_at DESC LIMIT 1) AS before_archive
            FROM template WHERE channel_id = ANY($1) AND (provider_id = ANY($2) OR name = ANY($3))
            FOR UPDATE OF template
            """;
    private static final String UPDATE = """
            UPDATE template SET status = $2, rejected_reason = $3, category = $4, quality_score = $5,
                   status_as_of = $6, quality_as_of = $7, category_as_of = $8, updated_at = $9,
                   components = $10::text::jsonb, components_as_of = $11, other_info = $12::text::jsonb,
                   rejection_info = $13::text::jsonb, disable_info = $14::text::jsonb, locked = $15
            WHERE id = $1
            """;
    private static final String HISTORY = """
            INSERT INTO template_status_history (id, template_id, from_status, to_status, changed_at, source)
            VALUES ($1, $2, $3, $4, $5, $6)
            """;
    // Status changes are announced by their history row's trigger; the other fields have no history.
    private static final String ANNOUNCE = """
            SELECT wabasync_template_change_notify($1, $2, $3, $4, $5, $6, $7)
            """;

    private final ObjectMapper json;

    WebhookApplier(ObjectMapper json) {
        this.json = json;
    }

    /** What a delivery did, change by change, and which channels need a full sync for it. */
    record Result(int applied, int unchanged, int stale, int unknownTemplate, int unknownWaba,
            Set<UUID> channelsToSync) {
    }

    Uni<Result> apply(SqlConnection connection, List<WebhookChange> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(new Result(0, 0, 0, 0, 0, Set.of()));
        }
        String[] wabaIds = changes.stream().map(WebhookChange::wabaId).distinct().toArray(String[]::new);
        return connection.preparedQuery(CHANNELS).execute(Tuple.of(wabaIds)).chain(channelRows -> {
            Map<String, List<UUID>> channelsByWaba = new HashMap<>();
            channelRows.forEach(row -> channelsByWaba.computeIfAbsent(row.getString("waba_id"), k -> new ArrayList<>())
                    .add(row.getUUID("id")));
            UUID[] channelIds = channelsByWaba.values().stream().flatMap(List::stream).toArray(UUID[]::new);
            String[] templateIds = changes.stream().map(WebhookChange::templateId).filter(Objects::nonNull).distinct()
                    .toArray(String[]::new);
            String[] names = changes.stream().filter(c -> c.templateId() == null).map(WebhookChange::name).distinct()
                    .toArray(String[]::new);
            if (channelIds.length == 0) {
                return Uni.createFrom().item(new Result(0, 0, 0, 0, changes.size(), Set.of()));
            }
            return connection.preparedQuery(TEMPLATES).execute(Tuple.of(channelIds, templateIds, names))
                    .chain(templateRows -> {
                        List<Stored> stored = new ArrayList<>();
                        templateRows.forEach(row -> stored.add(Stored.of(row, this::tree)));
                        Plan plan = new Plan(channelsByWaba, stored, this::text);
                        changes.forEach(plan::apply);
                        return plan.write(connection);
                    });
        });
    }

    private JsonNode tree(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not JSON", e);
        }
    }

    private String text(JsonNode tree) {
        try {
            return tree == null ? null : json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A template row as read, changed in memory as the delivery's changes are applied in order. */
    private static final class Stored {
        UUID id;
        UUID channelId;
        String providerId;
        String name;
        String language;
        String status;
        String rejectedReason;
        String category;
        String qualityScore;
        OffsetDateTime statusAsOf;
        OffsetDateTime qualityAsOf;
        OffsetDateTime categoryAsOf;
        JsonNode components;
        OffsetDateTime componentsAsOf;
        JsonNode otherInfo;
        JsonNode rejectionInfo;
        JsonNode disableInfo;
        boolean locked;
        /** The status it had before Meta archived it, from its history; null if we never saw that. */
        String beforeArchive;
        boolean dirty;

        static Stored of(Row row, Function<String, JsonNode> tree) {
            Stored s = new Stored();
            s.id = row.getUUID("id");
            s.channelId = row.getUUID("channel_id");
            s.providerId = row.getString("provider_id");
            s.name = row.getString("name");
            s.language = row.getString("language");
            s.status = row.getString("status");
            s.rejectedReason = row.getString("rejected_reason");
            s.category = row.getString("category");
            s.qualityScore = row.getString("quality_score");
            s.statusAsOf = row.getOffsetDateTime("status_as_of");
            s.qualityAsOf = row.getOffsetDateTime("quality_as_of");
            s.categoryAsOf = row.getOffsetDateTime("category_as_of");
            s.components = tree.apply(row.getString("components"));
            s.componentsAsOf = row.getOffsetDateTime("components_as_of");
            s.otherInfo = tree.apply(row.getString("other_info"));
            s.rejectionInfo = tree.apply(row.getString("rejection_info"));
            s.disableInfo = tree.apply(row.getString("disable_info"));
            s.locked = Boolean.TRUE.equals(row.getBoolean("locked"));
            s.beforeArchive = row.getString("before_archive");
            return s;
        }
    }

    /** A template of a channel, by Meta's id or, when a change has none, by name and language. */
    private record Key(UUID channelId, String providerId, String name, String language) {

        static Key of(UUID channelId, WebhookChange change) {
            return change.templateId() != null ? new Key(channelId, change.templateId(), null, null)
                    : new Key(channelId, null, change.name(), change.normalisedLanguage());
        }
    }

    private static final class Plan {
        private final Map<String, List<UUID>> channelsByWaba;
        private final List<Stored> stored;
        private final Map<Key, Stored> byKey = new HashMap<>();
        private final OffsetDateTime now = Timestamps.nowAtUtc();
        private final List<Tuple> history = new ArrayList<>();
        private final List<Tuple> announcements = new ArrayList<>();
        private final Set<UUID> channelsToSync = new LinkedHashSet<>();
        private final Function<JsonNode, String> text;
        private int applied;
        private int unchanged;
        private int stale;
        private int unknownTemplate;
        private int unknownWaba;

        Plan(Map<String, List<UUID>> channelsByWaba, List<Stored> stored, Function<JsonNode, String> text) {
            this.channelsByWaba = channelsByWaba;
            this.stored = stored;
            this.text = text;
            for (Stored s : stored) {
                byKey.putIfAbsent(new Key(s.channelId, s.providerId, null, null), s);
                byKey.putIfAbsent(new Key(s.channelId, null, s.name, WebhookChange.normalise(s.language)), s);
            }
        }

        void apply(WebhookChange change) {
            List<UUID> channels = channelsByWaba.get(change.wabaId());
            if (channels == null) {
                unknownWaba++;
                return;
            }
            // Meta's time is whole seconds: the event happened at the latest by the end of its second.
            OffsetDateTime asOf = change.at() == null ? now
                    : OffsetDateTime.ofInstant(change.at(), ZoneOffset.UTC).plusSeconds(1);
            // Several numbers can share a WABA, each with its copy of the template.
            for (UUID channel : channels) {
                Stored template = byKey.get(Key.of(channel, change));
                if (template == null) {
                    unknownTemplate++;
                    channelsToSync.add(channel);
                    continue;
                }
                switch (change.kind()) {
                    case STATUS -> status(template, change, asOf);
                    case QUALITY -> quality(template, change.qualityScore(), asOf);
                    case CATEGORY -> category(template, change.category(), asOf);
                    case COMPONENTS -> components(template, change.edit(), asOf);
                }
            }
        }

        /**
         * A status webhook's event, as Meta documents it: most events are the template's new status;
         * REINSTATED makes it APPROVED again and UNARCHIVED gives back the status it had before it
         * was archived (unknown to us: a full sync asks Meta); FLAGGED (at risk of being disabled on
         * {@code disable_info.disable_date}), LOCKED and UNLOCKED leave the status as it is. An event
         * that sets a status also replaces {@code other_info}, {@code rejection_info} and
         * {@code disable_info} with what it carries; the others only add what they carry.
         */
        private void status(Stored t, WebhookChange change, OffsetDateTime asOf) {
            if (older(asOf, t.statusAsOf)) {
                stale++;
                return;
            }
            String event = change.status();
            boolean changed;
            switch (event) {
                case "FLAGGED" -> changed = setInfos(t, change, false);
                case "LOCKED", "UNLOCKED" -> {
                    boolean locked = "LOCKED".equals(event);
                    changed = t.locked != locked;
                    t.locked = locked;
                    changed |= setInfos(t, change, false);
                }
                case "UNARCHIVED" -> {
                    if (t.beforeArchive == null) {
                        // Which status it is back to, only Meta knows: the delivery waits for a full sync.
                        unknownTemplate++;
                        channelsToSync.add(t.channelId);
                        return;
                    }
                    changed = setStatus(t, t.beforeArchive, change.reason()) | setInfos(t, change, true);
                }
                default -> changed = setStatus(t, Template.afterMeta(t.status, "REINSTATED".equals(event) ? "APPROVED" : event),
                        change.reason()) | setInfos(t, change, true);
            }
            count(changed);
            advance(t, asOf, t.statusAsOf, value -> t.statusAsOf = value, changed);
            // A status update may carry the template's category too; it is not counted as a change of its own.
            if (change.category() != null && !older(asOf, t.categoryAsOf)) {
                setCategory(t, change.category(), asOf);
            }
        }

        private boolean setStatus(Stored t, String status, String reason) {
            boolean changed = !Objects.equals(t.status, status) || !Objects.equals(t.rejectedReason, reason);
            if (!Objects.equals(t.status, status)) {
                history.add(Tuple.tuple(Arrays.asList(UUID.randomUUID(), t.id, t.status, status, now, SOURCE)));
            }
            t.status = status;
            t.rejectedReason = reason;
            return changed;
        }

        /** {@code replace}: what the event does not carry is cleared (a new status states them all). */
        private static boolean setInfos(Stored t, WebhookChange change, boolean replace) {
            JsonNode other = replace || change.otherInfo() != null ? change.otherInfo() : t.otherInfo;
            JsonNode rejection = replace || change.rejectionInfo() != null ? change.rejectionInfo() : t.rejectionInfo;
            JsonNode disable = replace || change.disableInfo() != null ? change.disableInfo() : t.disableInfo;
            boolean changed = !Objects.equals(other, t.otherInfo) || !Objects.equals(rejection, t.rejectionInfo)
                    || !Objects.equals(disable, t.disableInfo);
            t.otherInfo = other;
            t.rejectionInfo = rejection;
            t.disableInfo = disable;
            return changed;
        }

        private void components(Stored t, ComponentsEdit edit, OffsetDateTime asOf) {
            if (older(asOf, t.componentsAsOf)) {
                stale++;
                return;
            }
            JsonNode edited = edit.applyTo(t.components);
            boolean changed = !Objects.equals(edited, t.components);
            if (changed) {
                // Cut: a NOTIFY payload is limited to 8000 bytes, and a body may be 1,024 characters of emoji.
                announcements.add(announcement(t, "components", cut(TemplateTexts.body(t.components)), cut(edit.body())));
                t.components = edited;
            }
            count(changed);
            advance(t, asOf, t.componentsAsOf, value -> t.componentsAsOf = value, changed);
        }

        private void quality(Stored t, String score, OffsetDateTime asOf) {
            if (older(asOf, t.qualityAsOf)) {
                stale++;
                return;
            }
            boolean changed = !Objects.equals(t.qualityScore, score);
            if (changed) {
                announcements.add(announcement(t, "quality_score", t.qualityScore, score));
                t.qualityScore = score;
            }
            count(changed);
            advance(t, asOf, t.qualityAsOf, value -> t.qualityAsOf = value, changed);
        }

        private void category(Stored t, String category, OffsetDateTime asOf) {
            if (older(asOf, t.categoryAsOf)) {
                stale++;
                return;
            }
            count(setCategory(t, category, asOf));
        }

        private boolean setCategory(Stored t, String category, OffsetDateTime asOf) {
            boolean changed = !Objects.equals(t.category, category);
            if (changed) {
                announcements.add(announcement(t, "category", t.category, category));
                t.category = category;
            }
            advance(t, asOf, t.categoryAsOf, value -> t.categoryAsOf = value, changed);
            return changed;
        }

        private void count(boolean changed) {
            if (changed) {
                applied++;
            } else {
                unchanged++;
            }
        }

        /**
         * Moves the field's as-of time forward: a repeated state that is newer still protects
         * against older ones arriving later.
         */
        private static void advance(Stored t, OffsetDateTime asOf, OffsetDateTime storedAsOf,
                Consumer<OffsetDateTime> setAsOf, boolean changed) {
            if (changed || storedAsOf == null || asOf.isAfter(storedAsOf)) {
                setAsOf.accept(asOf);
                t.dirty = true;
            }
        }

        private static String cut(String text) {
            return text == null || text.length() <= ANNOUNCED_TEXT ? text : text.substring(0, ANNOUNCED_TEXT - 1) + "…";
        }

        private static boolean older(OffsetDateTime asOf, OffsetDateTime storedAsOf) {
            return storedAsOf != null && asOf.isBefore(storedAsOf);
        }

        private Tuple announcement(Stored t, String field, String from, String to) {
            return Tuple.tuple(Arrays.asList(t.id, field, from, to, SOURCE, now, UUID.randomUUID()));
        }

        Uni<Result> write(SqlConnection connection) {
            List<Tuple> updates = stored.stream().filter(s -> s.dirty)
                    .map(s -> Tuple.tuple(Arrays.asList(s.id, s.status, s.rejectedReason, s.category, s.qualityScore,
                            s.statusAsOf, s.qualityAsOf, s.categoryAsOf, now, text.apply(s.components), s.componentsAsOf,
                            text.apply(s.otherInfo), text.apply(s.rejectionInfo), text.apply(s.disableInfo), s.locked)))
                    .toList();
            Result result = new Result(applied, unchanged, stale, unknownTemplate, unknownWaba, channelsToSync);
            // Updates first: the announcements read the template as it now is.
            return batch(connection, UPDATE, updates)
                    .chain(() -> batch(connection, HISTORY, history))
                    .chain(() -> batch(connection, ANNOUNCE, announcements))
                    .replaceWith(result);
        }

        private static Uni<Void> batch(SqlConnection connection, String sql, List<Tuple> rows) {
            return rows.isEmpty() ? Uni.createFrom().voidItem()
                    : connection.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
        }
    }
}
