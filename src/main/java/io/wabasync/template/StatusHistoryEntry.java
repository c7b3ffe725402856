package io.wabasync.template;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One step of a template's status history: where the new status came from and when. Read-only here:
 * every step is written with its template by {@code template.store.TemplateStore}.
 */
@Entity
@Immutable
@Table(name = "template_status_history")
public class StatusHistoryEntry extends PanacheEntityBase {

    public static final String SOURCE_SYNC = "SYNC";
    public static final String SOURCE_RECONCILE = "RECONCILE";
    public static final String SOURCE_WEBHOOK = "WEBHOOK";
    /** Made through wabasync's own API (a create, later an edit or a delete). */
    public static final String SOURCE_API = "API";

    @Id
    public UUID id;

    public UUID templateId;

    @Column(name = "from_status")
    public String fromStatus;

    @Column(name = "to_status")
    public String toStatus;

    public Instant changedAt;

    public String source;
}
