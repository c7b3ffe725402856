package io.wabasync.template;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Our copy of one Meta template of one channel, identified by Meta's id ({@code providerId}). */
@Entity
@Table(name = "template")
public class Template extends PanacheEntityBase {

    @Id
    public UUID id;

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
}
