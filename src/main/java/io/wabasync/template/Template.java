package io.wabasync.template;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * Our copy of one Meta template of one channel, identified by Meta's id ({@code providerId}). Read-only
 * here: every change goes through {@code template.store.TemplateStore}, the one writer of the table.
 */
@Entity
@Immutable
@Table(name = "template")
public class Template extends PanacheEntityBase {

    /**
     * Statuses in which Meta has yet to decide (review, appeal, deletion under way): the scheduler
     * reads templates in them again. Literal in {@code DueChannels} and the V3 index too.
     */
    public static final List<String> WAITING_ON_META = List.of("PENDING", "IN_APPEAL", "PENDING_DELETION", "UPDATING");

    /** LancePilot's status of a template edited through wabasync while Meta reviews the edit. */
    public static final String UPDATING = "UPDATING";

    /**
     * The status to store when Meta says {@code incoming}: an edit under review stays UPDATING while
     * Meta only says it is reviewing (PENDING); Meta's verdict replaces it.
     */
    public static String afterMeta(String stored, String incoming) {
        return UPDATING.equals(stored) && "PENDING".equals(incoming) ? UPDATING : incoming;
    }

    @Id
    public UUID id;

    /** The integer id LancePilot's surface shows; given by the database (V3), never changes. */
    @Column(insertable = false, updatable = false)
    public Long number;

    public UUID workspaceId;

    public UUID channelId;

    public String providerId;

    public String name;

    public String language;

    public String status;

    public String category;

    @Convert(converter = JsonNodeConverter.class)
    // Bound as text and cast: a String bound straight to jsonb would be stored as one JSON string.
    @ColumnTransformer(read = "components::text", write = "?::text::jsonb")
    public JsonNode components;

    public String rejectedReason;

    public String qualityScore;

    /** 2Chat's description: null unless one is set. */
    public String description;

    public String previousCategory;

    public String correctCategory;

    public String subCategory;

    /** POSITIONAL ({{1}}) or NAMED ({{first_name}}) placeholders. */
    public String parameterFormat;

    public Integer messageSendTtlSeconds;

    /** Why Meta paused it, from status webhooks: {title, description}. */
    @Convert(converter = JsonNodeConverter.class)
    @ColumnTransformer(read = "other_info::text", write = "?::text::jsonb")
    public JsonNode otherInfo;

    /** Why Meta rejected it, from status webhooks: {reason, recommendation}. */
    @Convert(converter = JsonNodeConverter.class)
    @ColumnTransformer(read = "rejection_info::text", write = "?::text::jsonb")
    public JsonNode rejectionInfo;

    /** Meta locked it against edits (a LOCKED event) until an UNLOCKED one. */
    public boolean locked;

    /** When Meta will disable it, from status webhooks: {disable_date}. */
    @Convert(converter = JsonNodeConverter.class)
    @ColumnTransformer(read = "disable_info::text", write = "?::text::jsonb")
    public JsonNode disableInfo;

    public Instant createdAt;

    public Instant updatedAt;

    /** Set once a complete sync no longer finds the template at Meta; hidden from listings. */
    public Instant removedAt;

    /**
     * How new the stored status, quality and category are (V2 migration explains the rule): a
     * state older than these never replaces them.
     */
    public Instant statusAsOf;

    public Instant qualityAsOf;

    public Instant categoryAsOf;

    public Instant componentsAsOf;
}
