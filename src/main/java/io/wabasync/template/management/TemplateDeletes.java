package io.wabasync.template.management;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.common.InstanceName;
import io.wabasync.common.IsolatedContexts;
import io.wabasync.common.Timestamps;
import io.wabasync.job.Job;
import io.wabasync.job.JobStatements;
import io.wabasync.job.JobTakeOver;
import io.wabasync.job.RunningJobs;
import io.wabasync.meta.MetaApiException;
import io.wabasync.meta.MetaClient;
import io.wabasync.template.StatusHistoryEntry;
import io.wabasync.template.store.TemplateStore;

/**
 * LancePilot's delete: answered at once, done by a durable job (a {@code sync_job} of kind DELETE,
 * listed with the number's jobs). The job deletes the one template at Meta (by name and
 * {@code hsm_id}: only that language), then, in one transaction, marks the template deleted and
 * removed from the lists and ends the job: a row is never half-deleted. A job whose instance died is
 * taken over by any replica once its heartbeat is old and run again ({@link JobTakeOver}); a template
 * Meta no longer has counts as deleted, so running it twice is harmless.
 */
@ApplicationScoped
public class TemplateDeletes implements JobTakeOver {

    private static final Logger LOG = Logger.getLogger(TemplateDeletes.class);
    private static final String NOT_FOUND_AT_META = "not found";
    private static final String TARGET = """
            SELECT t.name, t.provider_id, t.status, c.waba_id, c.access_token_enc
            FROM template t JOIN channel c ON c.id = t.channel_id WHERE t.id = $1
            """;
    private final TemplateManagement management;
    private final ChannelService channels;
    private final MetaClient meta;
    private final Pool pool;
    private final TemplateStore store;
    private final IsolatedContexts contexts;
    private final JobStatements jobs;
    private final RunningJobs runningJobs;
    private final String runner;

    public TemplateDeletes(TemplateManagement management, ChannelService channels, MetaClient meta, Pool pool,
            TemplateStore store, IsolatedContexts contexts, JobStatements jobs, RunningJobs runningJobs, InstanceName instance) {
        this.jobs = jobs;
        this.runningJobs = runningJobs;
        this.management = management;
        this.channels = channels;
        this.meta = meta;
        this.pool = pool;
        this.store = store;
        this.contexts = contexts;
        this.runner = instance.value();
    }

    /** Starts the delete (or finds the one running) and answers at once; DISABLED templates are refused first. */
    public Uni<Void> delete(UUID workspaceId, String templateId) {
        return management.findTemplate(workspaceId, templateId).chain(template -> {
            if (template.removedAt != null) {
                return Uni.createFrom().failure(ApiException.notFound("Template not found"));
            }
            if ("DISABLED".equals(template.status)) {
                return Uni.createFrom().failure(ApiException.conflict("Meta does not delete DISABLED templates"));
            }
            UUID jobId = UUID.randomUUID();
            return jobs.startDelete(jobId, workspaceId, template.channelId, template.id, runner, Timestamps.nowAtUtc())
                    .invoke(started -> {
                        if (started) {
                            contexts.start(() -> run(jobId, template.id), failure -> LOG.warnf(
                                    "Delete job %s stopped before it ended; another replica will take it over: %s",
                                    jobId, failure.getMessage()));
                        }
                    })
                    .replaceWithVoid();
        });
    }

    @Override
    public String kind() {
        return Job.KIND_DELETE;
    }

    /** A delete job whose instance died, taken over on the sweep's tick (every replica's {@code JobSweeper}). */
    @Override
    public Uni<Void> resume(Job job) {
        return run(job.id, job.templateId);
    }

    Uni<Void> run(UUID jobId, UUID templateId) {
        // The heartbeat moves while Meta is asked (retries included), so no replica takes a live job over.
        return runningJobs.keepAlive(Job.KIND_DELETE, jobId, delete(jobId, templateId));
    }

    private Uni<Void> delete(UUID jobId, UUID templateId) {
        return pool.preparedQuery(TARGET).execute(Tuple.of(templateId)).chain(rows -> {
            Row t = rows.iterator().next();
            return meta.deleteTemplate(t.getString("waba_id"), channels.accessToken(t.getBuffer("access_token_enc").getBytes()),
                    t.getString("name"), t.getString("provider_id"))
                    .onFailure(this::alreadyGone).recoverWithNull()
                    .chain(() -> finish(jobId, templateId))
                    .onFailure(MetaApiException.class).recoverWithUni(failure -> fail(jobId, failure.getMessage()));
        });
    }

    /** Meta no longer has it: deleted by an earlier run whose end was not recorded, or at Meta directly. */
    private boolean alreadyGone(Throwable failure) {
        return failure instanceof MetaApiException e && e.httpStatus() == 400 && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains(NOT_FOUND_AT_META);
    }

    /** The job ends and the template is deleted in one transaction; nothing is changed if the job was ended elsewhere. */
    private Uni<Void> finish(UUID jobId, UUID templateId) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        return pool.withTransaction(connection -> jobs.succeed(connection, jobId, 1, now).chain(ended -> !ended
                ? Uni.createFrom().voidItem()
                : store.lock(connection, templateId).chain(template -> {
                    if (template == null) {
                        return Uni.createFrom().voidItem();
                    }
                    template.deleted(now, StatusHistoryEntry.SOURCE_API);
                    return store.write(connection, List.of(template), now).replaceWithVoid();
                })));
    }

    private Uni<Void> fail(UUID jobId, String reason) {
        LOG.warnf("Delete job %s failed: %s", jobId, reason);
        return jobs.fail(jobId, reason, Timestamps.nowAtUtc());
    }
}
