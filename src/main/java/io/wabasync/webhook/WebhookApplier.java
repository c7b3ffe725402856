package io.wabasync.webhook;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.common.Timestamps;
import io.wabasync.template.Template;
import io.wabasync.template.StatusHistoryEntry;
import io.wabasync.template.store.StoredTemplate;
import io.wabasync.template.store.StoredTemplate.Field;
import io.wabasync.template.store.TemplateStore;

/**
 * Applies a delivery's template changes inside the caller's transaction: one select (rows locked)
 * of every template the delivery names, the changes applied in memory in delivery order through the
 * template rules, then one write by the template store. A state older than the stored one is skipped
 * and a repeated one changes nothing, so applying a delivery twice is harmless.
 */
@ApplicationScoped
class WebhookApplier {

    private static final String SOURCE = StatusHistoryEntry.SOURCE_WEBHOOK;
    private static final String CHANNELS = "SELECT id, waba_id FROM channel WHERE waba_id = ANY($1)";

    private final TemplateStore templates;

    WebhookApplier(TemplateStore templates) {
        this.templates = templates;
    }

    /** What a delivery did, change by change, and which channels need a full sync for it. */
    record Result(int applied, int unchanged, int stale, int unknownTemplate, int unknownWaba,
            Set<UUID> channelsToSync) {
    }

    Uni<Result> apply(SqlConnection connection, List<TemplateUpdate> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(new Result(0, 0, 0, 0, 0, Set.of()));
        }
        String[] wabaIds = changes.stream().map(TemplateUpdate::wabaId).distinct().toArray(String[]::new);
        return connection.preparedQuery(CHANNELS).execute(Tuple.of(wabaIds)).chain(channelRows -> {
            Map<String, List<UUID>> channelsByWaba = new HashMap<>();
            channelRows.forEach(row -> channelsByWaba.computeIfAbsent(row.getString("waba_id"), k -> new ArrayList<>())
                    .add(row.getUUID("id")));
            UUID[] channelIds = channelsByWaba.values().stream().flatMap(List::stream).toArray(UUID[]::new);
            String[] templateIds = changes.stream().map(TemplateUpdate::templateId).filter(Objects::nonNull).distinct()
                    .toArray(String[]::new);
            String[] names = changes.stream().filter(c -> c.templateId() == null).map(TemplateUpdate::name).distinct()
                    .toArray(String[]::new);
            if (channelIds.length == 0) {
                return Uni.createFrom().item(new Result(0, 0, 0, 0, changes.size(), Set.of()));
            }
            return templates.lockNamed(connection, channelIds, templateIds, names).chain(stored -> {
                Plan plan = new Plan(channelsByWaba, stored);
                changes.forEach(plan::apply);
                return templates.write(connection, stored, plan.now).replaceWith(plan::result);
            });
        });
    }

    /** A template of a channel, by Meta's id or, when a change has none, by name and language. */
    private record Key(UUID channelId, String providerId, String name, String language) {

        static Key of(UUID channelId, TemplateUpdate change) {
            return change.templateId() != null ? new Key(channelId, change.templateId(), null, null)
                    : new Key(channelId, null, change.name(), change.normalisedLanguage());
        }
    }

    private static final class Plan {
        private final Map<String, List<UUID>> channelsByWaba;
        private final Map<Key, StoredTemplate> byKey = new HashMap<>();
        private final OffsetDateTime now = Timestamps.nowAtUtc();
        private final Set<UUID> channelsToSync = new LinkedHashSet<>();
        private int applied;
        private int unchanged;
        private int stale;
        private int unknownTemplate;
        private int unknownWaba;

        Plan(Map<String, List<UUID>> channelsByWaba, List<StoredTemplate> stored) {
            this.channelsByWaba = channelsByWaba;
            for (StoredTemplate s : stored) {
                byKey.putIfAbsent(new Key(s.channelId(), s.providerId(), null, null), s);
                byKey.putIfAbsent(new Key(s.channelId(), null, s.name(), TemplateUpdate.normalise(s.language())), s);
            }
        }

        Result result() {
            return new Result(applied, unchanged, stale, unknownTemplate, unknownWaba, channelsToSync);
        }

        void apply(TemplateUpdate change) {
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
                StoredTemplate template = byKey.get(Key.of(channel, change));
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
        private void status(StoredTemplate t, TemplateUpdate change, OffsetDateTime asOf) {
            if (!t.fresh(Field.STATUS, asOf)) {
                stale++;
                return;
            }
            String event = change.status();
            boolean changed;
            switch (event) {
                case "FLAGGED" -> changed = setInfos(t, change, false);
                case "LOCKED", "UNLOCKED" -> changed = t.changeLocked("LOCKED".equals(event)) | setInfos(t, change, false);
                case "UNARCHIVED" -> {
                    if (t.beforeArchive() == null) {
                        // Which status it is back to, only Meta knows: the delivery waits for a full sync.
                        unknownTemplate++;
                        channelsToSync.add(t.channelId());
                        return;
                    }
                    changed = t.changeStatus(t.beforeArchive(), change.reason(), SOURCE) | setInfos(t, change, true);
                }
                default -> changed = t.changeStatus(Template.afterMeta(t.status(),
                        "REINSTATED".equals(event) ? "APPROVED" : event), change.reason(), SOURCE)
                        | setInfos(t, change, true);
            }
            count(changed);
            t.knownAsOf(Field.STATUS, asOf);
            // A status update may carry the template's category too; it is not counted as a change of its own.
            if (change.category() != null && t.fresh(Field.CATEGORY, asOf)) {
                t.changeCategory(change.category(), SOURCE);
                t.knownAsOf(Field.CATEGORY, asOf);
            }
        }

        /** {@code replace}: what the event does not carry is cleared (a new status states them all). */
        private static boolean setInfos(StoredTemplate t, TemplateUpdate change, boolean replace) {
            return t.changeInfos(
                    replace || change.otherInfo() != null ? change.otherInfo() : t.otherInfo(),
                    replace || change.rejectionInfo() != null ? change.rejectionInfo() : t.rejectionInfo(),
                    replace || change.disableInfo() != null ? change.disableInfo() : t.disableInfo());
        }

        private void components(StoredTemplate t, ComponentsEdit edit, OffsetDateTime asOf) {
            if (!t.fresh(Field.COMPONENTS, asOf)) {
                stale++;
                return;
            }
            count(t.changeComponents(edit.applyTo(t.components()), SOURCE));
            t.knownAsOf(Field.COMPONENTS, asOf);
        }

        private void quality(StoredTemplate t, String score, OffsetDateTime asOf) {
            if (!t.fresh(Field.QUALITY, asOf)) {
                stale++;
                return;
            }
            count(t.changeQuality(score, SOURCE));
            t.knownAsOf(Field.QUALITY, asOf);
        }

        private void category(StoredTemplate t, String category, OffsetDateTime asOf) {
            if (!t.fresh(Field.CATEGORY, asOf)) {
                stale++;
                return;
            }
            count(t.changeCategory(category, SOURCE));
            t.knownAsOf(Field.CATEGORY, asOf);
        }

        private void count(boolean changed) {
            if (changed) {
                applied++;
            } else {
                unchanged++;
            }
        }
    }
}
