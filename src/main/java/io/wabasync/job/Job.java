package io.wabasync.job;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One job, a row of {@code sync_job}: a full sync or a reconciliation of one channel, or the delete of
 * one template, with its progress as it goes.
 */
@Entity
@Table(name = "sync_job")
public class Job extends PanacheEntityBase {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String KIND_FULL = "FULL";
    public static final String KIND_RECONCILE = "RECONCILE";
    /** A template deleted at Meta through wabasync (template management's delete). */
    public static final String KIND_DELETE = "DELETE";

    @Id
    public UUID id;

    public UUID workspaceId;

    public UUID channelId;

    public String kind;

    public String status;

    /** The service instance that ran the job (host/process). */
    public String runner;

    public Instant startedAt;

    /** Moved forward with every stored page, so a job whose process died can be told apart. */
    public Instant heartbeatAt;

    public Instant finishedAt;

    public int pages;

    public int templatesSeen;

    @Column(name = "created")
    public int createdCount;

    @Column(name = "updated")
    public int updatedCount;

    @Column(name = "removed")
    public int removedCount;

    public int errors;

    public String error;

    /** The template a DELETE job deletes; none for the other kinds. */
    public UUID templateId;

    public boolean isRunning() {
        return RUNNING.equals(status);
    }
}
