package io.wabasync.template.store;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.mutiny.sqlclient.Row;
import io.wabasync.meta.MetaTemplate;
import io.wabasync.template.Template;
import io.wabasync.template.TemplateTexts;

/**
 * One template row being changed: read by {@link TemplateStore}, changed in memory by whoever learnt
 * something (a sync page, a reconciliation, a Meta webhook, a create, an edit or a delete), then
 * written by {@link TemplateStore#write}. The rules every path shares live here, once:
 * <ul>
 * <li>a state known as of a time never replaces one known as of a later time ({@link #fresh});</li>
 * <li>a status that changes gets a status-history entry, and clears what Meta said about the old
 * status ({@code other_info}, {@code rejection_info}, {@code disable_info});</li>
 * <li>an edit under review stays UPDATING while Meta only says it is reviewing
 * ({@link Template#afterMeta});</li>
 * <li>a change of quality, category or components is announced (a change-log entry); a status
 * change is announced by its history entry, a removal by the row's own trigger.</li>
 * </ul>
 */
public final class StoredTemplate {

    /** The fields whose state carries the time it is known as of. */
    public enum Field {
        STATUS, QUALITY, CATEGORY, COMPONENTS
    }

    /** Characters of a text carried in an announcement (NOTIFY payloads are at most 8000 bytes). */
    private static final int ANNOUNCED_TEXT = 500;

    /** What the write adds beside the rows, in the order the changes were made. */
    sealed interface Entry permits StatusStep, Announcement {
        StoredTemplate template();
    }

    /** A status-history entry to write with the row. */
    record StatusStep(StoredTemplate template, String from, String to, String source) implements Entry {
    }

    /** A change-log entry for a field without history: quality_score, category or components. */
    record Announcement(StoredTemplate template, String field, String from, String to, String source)
            implements Entry {
    }

    final UUID id;
    final UUID workspaceId;
    final UUID channelId;
    final String providerId;
    /** {@code updated_at} as read: the row is written only if it is still so. Null for a new template. */
    final OffsetDateTime readAt;
    /**
     * Shared by the templates read together: a delivery's changes to several templates are
     * announced in the order they came.
     */
    final List<Entry> journal;

    String name;
    String language;
    String status;
    String rejectedReason;
    String category;
    String qualityScore;
    JsonNode components;
    JsonNode otherInfo;
    JsonNode rejectionInfo;
    JsonNode disableInfo;
    boolean locked;
    boolean removed;
    /** How new each field's stored state is (V2 migration explains the rule), by {@link Field#ordinal()}. */
    final OffsetDateTime[] asOf = new OffsetDateTime[Field.values().length];
    String previousCategory;
    String correctCategory;
    String subCategory;
    String parameterFormat;
    Integer messageSendTtlSeconds;
    /** The status it had before Meta archived it, from its history; read only where asked for. */
    String beforeArchive;
    /** Something to write: a value changed, or an as-of time moved forward. */
    boolean dirty;

    private StoredTemplate(UUID id, UUID workspaceId, UUID channelId, String providerId, OffsetDateTime readAt,
            List<Entry> journal) {
        this.journal = journal;
        this.id = id;
        this.workspaceId = workspaceId;
        this.channelId = channelId;
        this.providerId = providerId;
        this.readAt = readAt;
    }

    static StoredTemplate of(Row row, Function<String, JsonNode> tree, List<Entry> journal) {
        StoredTemplate t = new StoredTemplate(row.getUUID("id"), row.getUUID("workspace_id"), row.getUUID("channel_id"),
                row.getString("provider_id"), row.getOffsetDateTime("updated_at"), journal);
        t.name = row.getString("name");
        t.language = row.getString("language");
        t.status = row.getString("status");
        t.rejectedReason = row.getString("rejected_reason");
        t.category = row.getString("category");
        t.qualityScore = row.getString("quality_score");
        t.components = tree.apply(row.getString("components"));
        t.otherInfo = tree.apply(row.getString("other_info"));
        t.rejectionInfo = tree.apply(row.getString("rejection_info"));
        t.disableInfo = tree.apply(row.getString("disable_info"));
        t.locked = Boolean.TRUE.equals(row.getBoolean("locked"));
        t.removed = Boolean.TRUE.equals(row.getBoolean("removed"));
        t.asOf[Field.STATUS.ordinal()] = row.getOffsetDateTime("status_as_of");
        t.asOf[Field.QUALITY.ordinal()] = row.getOffsetDateTime("quality_as_of");
        t.asOf[Field.CATEGORY.ordinal()] = row.getOffsetDateTime("category_as_of");
        t.asOf[Field.COMPONENTS.ordinal()] = row.getOffsetDateTime("components_as_of");
        t.previousCategory = row.getString("previous_category");
        t.correctCategory = row.getString("correct_category");
        t.subCategory = row.getString("sub_category");
        t.parameterFormat = row.getString("parameter_format");
        t.messageSendTtlSeconds = row.getInteger("message_send_ttl_seconds");
        if (row.getColumnIndex("before_archive") >= 0) {
            t.beforeArchive = row.getString("before_archive");
        }
        return t;
    }

    /** A template a sync found at Meta that we did not have; as of when the sync began reading. */
    public static StoredTemplate found(UUID workspaceId, UUID channelId, MetaTemplate meta, OffsetDateTime since,
            String source) {
        StoredTemplate t = new StoredTemplate(UUID.randomUUID(), workspaceId, channelId, meta.id(), null,
                new ArrayList<>(1));
        t.describe(meta);
        t.status = meta.status();
        t.rejectedReason = meta.rejectedReason();
        t.category = meta.category();
        t.qualityScore = meta.qualityScoreText();
        t.components = meta.components();
        t.allAsOf(since);
        t.journal.add(new StatusStep(t, null, t.status, source));
        return t;
    }

    /** A template Meta made at our request, as Meta answered. */
    public static StoredTemplate made(UUID workspaceId, UUID channelId, String providerId, String name, String language,
            String status, String category, JsonNode components, String parameterFormat, OffsetDateTime at,
            String source) {
        StoredTemplate t = new StoredTemplate(UUID.randomUUID(), workspaceId, channelId, providerId, null,
                new ArrayList<>(1));
        t.name = name;
        t.language = language;
        t.status = status;
        t.category = category;
        t.components = components;
        t.parameterFormat = parameterFormat;
        t.allAsOf(at);
        t.journal.add(new StatusStep(t, null, status, source));
        return t;
    }

    /**
     * What a complete read of Meta, begun at {@code since}, says of this template: every field,
     * except those a webhook set to something newer meanwhile. It is written only if a value differs
     * (a resync of unchanged templates writes nothing); a template listed again is no longer removed.
     */
    public void takeFromMeta(MetaTemplate meta, OffsetDateTime since, String source) {
        EnumSet<Field> fresh = freshAt(since, EnumSet.allOf(Field.class));
        boolean changed = removed | describe(meta);
        if (fresh.contains(Field.STATUS)) {
            changed |= changeStatus(Template.afterMeta(status, meta.status()), meta.rejectedReason(), source);
        }
        if (fresh.contains(Field.CATEGORY)) {
            changed |= changeCategory(meta.category(), source);
        }
        if (fresh.contains(Field.QUALITY)) {
            changed |= changeQuality(meta.qualityScoreText(), source);
        }
        if (fresh.contains(Field.COMPONENTS)) {
            changed |= changeComponents(meta.components(), source);
        }
        if (changed) {
            removed = false;
            dirty = true;
            fresh.forEach(field -> asOf[field.ordinal()] = since);
        }
    }

    /**
     * What a reconciliation's read of Meta, begun at {@code since}, says of a template waiting on Meta:
     * status, rejection reason, category and quality; nothing if a webhook told a newer status meanwhile.
     * Whether it changed anything.
     */
    public boolean takeStatusFromMeta(MetaTemplate meta, OffsetDateTime since, String source) {
        EnumSet<Field> fresh = freshAt(since, EnumSet.of(Field.STATUS, Field.CATEGORY, Field.QUALITY));
        if (!fresh.contains(Field.STATUS)) {
            return false;
        }
        boolean changed = changeStatus(Template.afterMeta(status, meta.status()), meta.rejectedReason(), source);
        if (fresh.contains(Field.CATEGORY)) {
            changed |= changeCategory(meta.category(), source);
        }
        if (fresh.contains(Field.QUALITY)) {
            changed |= changeQuality(meta.qualityScoreText(), source);
        }
        if (changed) {
            dirty = true;
            fresh.forEach(field -> asOf[field.ordinal()] = since);
        }
        return changed;
    }

    /** Whether the field's state known as of {@code at} may replace the stored one: never an older one. */
    public boolean fresh(Field field, OffsetDateTime at) {
        OffsetDateTime stored = asOf[field.ordinal()];
        return stored == null || !stored.isAfter(at);
    }

    private EnumSet<Field> freshAt(OffsetDateTime at, EnumSet<Field> fields) {
        fields.removeIf(field -> !fresh(field, at));
        return fields;
    }

    /**
     * The status and its rejection reason; whether either changed. A new status is a step of the
     * history and clears what Meta said about the old one.
     */
    public boolean changeStatus(String newStatus, String reason, String source) {
        boolean changed = !Objects.equals(status, newStatus) || !Objects.equals(rejectedReason, reason);
        if (!Objects.equals(status, newStatus)) {
            journal.add(new StatusStep(this, status, newStatus, source));
            otherInfo = null;
            rejectionInfo = null;
            disableInfo = null;
        }
        status = newStatus;
        rejectedReason = reason;
        dirty |= changed;
        return changed;
    }

    /** What Meta said about the status (why paused, why rejected, when it will be disabled); whether it changed. */
    public boolean changeInfos(JsonNode other, JsonNode rejection, JsonNode disable) {
        boolean changed = !Objects.equals(other, otherInfo) || !Objects.equals(rejection, rejectionInfo)
                || !Objects.equals(disable, disableInfo);
        otherInfo = other;
        rejectionInfo = rejection;
        disableInfo = disable;
        dirty |= changed;
        return changed;
    }

    public boolean changeLocked(boolean newLocked) {
        boolean changed = locked != newLocked;
        locked = newLocked;
        dirty |= changed;
        return changed;
    }

    public boolean changeQuality(String score, String source) {
        boolean changed = !Objects.equals(qualityScore, score);
        if (changed) {
            journal.add(new Announcement(this, "quality_score", qualityScore, score, source));
            qualityScore = score;
            dirty = true;
        }
        return changed;
    }

    public boolean changeCategory(String newCategory, String source) {
        boolean changed = !Objects.equals(category, newCategory);
        if (changed) {
            journal.add(new Announcement(this, "category", category, newCategory, source));
            category = newCategory;
            dirty = true;
        }
        return changed;
    }

    /** PostgreSQL re-orders jsonb keys, so components compare as trees. The announcement carries the bodies. */
    public boolean changeComponents(JsonNode newComponents, String source) {
        JsonNode value = newComponents == null || newComponents.isNull() ? null : newComponents;
        boolean changed = !Objects.equals(components, value);
        if (changed) {
            // Cut: a NOTIFY payload is limited to 8000 bytes, and a body may be 1,024 characters of emoji.
            journal.add(new Announcement(this, "components", cut(TemplateTexts.body(components)),
                    cut(TemplateTexts.body(value)), source));
            components = value;
            dirty = true;
        }
        return changed;
    }

    /**
     * Meta took our edit: new components (and category), UPDATING until Meta's verdict. The status and
     * components are ours as of {@code at}, whatever time an earlier webhook gave them.
     */
    public void edited(JsonNode newComponents, String newCategory, OffsetDateTime at, String source) {
        changeComponents(newComponents, source);
        changeCategory(newCategory, source);
        changeStatus(Template.UPDATING, null, source);
        asOf[Field.STATUS.ordinal()] = at;
        asOf[Field.COMPONENTS.ordinal()] = at;
        dirty = true;
    }

    /** Meta deleted it at our request: DELETED as of {@code at}, and out of the lists (announced by the row's trigger). */
    public void deleted(OffsetDateTime at, String source) {
        changeStatus("DELETED", rejectedReason, source);
        asOf[Field.STATUS.ordinal()] = at;
        removed = true;
        dirty = true;
    }

    /**
     * Moves the field's as-of time forward: a repeated state that is newer still protects against
     * older ones arriving later.
     */
    public void knownAsOf(Field field, OffsetDateTime at) {
        OffsetDateTime stored = asOf[field.ordinal()];
        if (stored == null || at.isAfter(stored)) {
            asOf[field.ordinal()] = at;
            dirty = true;
        }
    }

    public UUID id() {
        return id;
    }

    public UUID channelId() {
        return channelId;
    }

    public String providerId() {
        return providerId;
    }

    public String name() {
        return name;
    }

    public String language() {
        return language;
    }

    public String status() {
        return status;
    }

    public JsonNode components() {
        return components;
    }

    public JsonNode otherInfo() {
        return otherInfo;
    }

    public JsonNode rejectionInfo() {
        return rejectionInfo;
    }

    public JsonNode disableInfo() {
        return disableInfo;
    }

    public boolean locked() {
        return locked;
    }

    public String beforeArchive() {
        return beforeArchive;
    }

    private boolean describe(MetaTemplate meta) {
        boolean changed = !Objects.equals(name, meta.name()) || !Objects.equals(language, meta.language())
                || !Objects.equals(previousCategory, meta.previousCategory())
                || !Objects.equals(correctCategory, meta.correctCategory())
                || !Objects.equals(subCategory, meta.subCategory())
                || !Objects.equals(parameterFormat, meta.parameterFormat())
                || !Objects.equals(messageSendTtlSeconds, meta.messageSendTtlSeconds());
        name = meta.name();
        language = meta.language();
        previousCategory = meta.previousCategory();
        correctCategory = meta.correctCategory();
        subCategory = meta.subCategory();
        parameterFormat = meta.parameterFormat();
        messageSendTtlSeconds = meta.messageSendTtlSeconds();
        return changed;
    }

    private void allAsOf(OffsetDateTime at) {
        Arrays.fill(asOf, at);
    }

    private static String cut(String text) {
        return text == null || text.length() <= ANNOUNCED_TEXT ? text : text.substring(0, ANNOUNCED_TEXT - 1) + "…";
    }
}
