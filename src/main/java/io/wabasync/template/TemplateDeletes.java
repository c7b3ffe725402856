package io.wabasync.template;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.common.BackgroundRounds;
import io.wabasync.common.InstanceName;
import io.wabasync.common.IsolatedContexts;
import io.wabasync.common.Timestamps;
import io.wabasync.job.JobConfig;
import io.wabasync.job.JobHeartbeats;
import io.wabasync.meta.MetaApiException;
import io.wabasync.meta.MetaClient;

/**
 * LancePilot's delete: answered at once, done by a durable job (a {@code sync_job} of kind DELETE,
 * listed with the number's jobs). The job deletes the one template at Meta (by name and
 * {@code hsm_id}: only that language), then, in one transaction, marks the template deleted and
 * removed from the lists and ends the job: a row is never half-deleted. A job whose instance died is
 * taken over by any replica once its heartbeat is old and run again; a template Meta no longer has
 * counts as deleted, so running it twice is harmless.
 */
@ApplicationScoped
public class TemplateDeletes {

    private static final Logger LOG = Logger.getLogger(TemplateDeletes.class);
    private static final String NOT_FOUND_AT_META = "not found";
    private static final String START = """
            INSERT INTO sync_job (id, workspace_id, channel_id, kind, status, runner, started_at, heartbeat_at, template_id)
            VALUES ($1, $2, $3, 'DELETE', 'RUNNING', $4, $5, $5, $6)
            ON CONFLICT (template_id) WHERE kind = 'DELETE' AND status = 'RUNNING' DO NOTHING
            """;
    private static final String TAKE_OVER = """
            UPDATE sync_job j SET runner = $2, heartbeat_at = $3
            FROM (SELECT id FROM sync_job WHERE kind = 'DELETE' AND status = 'RUNNING' AND heartbeat_at < $1
                  ORDER BY heartbeat_at LIMIT 50 FOR UPDATE SKIP LOCKED) due
            WHERE j.id = due.id
            RETURNING j.id, j.template_id
            """;
    private static final String TARGET = """
            SELECT t.name, t.provider_id, t.status, c.waba_id, c.access_token_enc
            FROM template t JOIN channel c ON c.id = t.channel_id WHERE t.id = $1
            """;
    private static final String FINISH = """
            WITH done AS (
                UPDATE sync_job SET status = 'SUCCEEDED', finished_at = $3, heartbeat_at = $3, removed = 1
                WHERE id = $1 AND status = 'RUNNING' RETURNING id)
            UPDATE template SET status = 'DELETED', removed_at = $3, status_as_of = $3, updated_at = $3
            WHERE id = $2 AND EXISTS (SELECT 1 FROM done)
            RETURNING (SELECT status FROM template WHERE id = $2) AS before
            """;
    private static final String HISTORY = """
            INSERT INTO template_status_history (id, template_id, from_status, to_status, changed_at, source)
            VALUES ($1, $2, $3, 'DELETED', $4, 'API')
            """;
    private static final String FAIL = """
            UPDATE sync_job SET status = 'FAILED', error = $2, errors = errors + 1, finished_at = $3, heartbeat_at = $3
            WHERE id = $1 AND status = 'RUNNING'
            """;

    private final TemplateManagement management;
    private final ChannelService channels;
    private final MetaClient meta;
    private final Pool pool;
    private final IsolatedContexts contexts;
    private final JobConfig jobConfig;
    private final JobHeartbeats heartbeats;
    private final String runner;
    private final BackgroundRounds rounds;

    public TemplateDeletes(TemplateManagement management, ChannelService channels, MetaClient meta, Pool pool,
            IsolatedContexts contexts, JobConfig jobConfig, JobHeartbeats heartbeats, InstanceName instance,
            BackgroundRounds rounds) {
        this.rounds = rounds;
        this.heartbeats = heartbeats;
        this.management = management;
        this.channels = channels;
        this.meta = meta;
        this.pool = pool;
        this.contexts = contexts;
        this.jobConfig = jobConfig;
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
            return pool.preparedQuery(START).execute(Tuple.tuple(java.util.Arrays.<Object>asList(jobId, workspaceId,
                    template.channelId, runner, Timestamps.nowAtUtc(), template.id)))
                    .invoke(started -> {
                        if (started.rowCount() == 1) {
                            contexts.start(() -> run(jobId, template.id), failure -> LOG.warnf(
                                    "Delete job %s stopped before it ended; another replica will take it over: %s",
                                    jobId, failure.getMessage()));
                        }
                    })
                    .replaceWithVoid();
        });
    }

    /** Every replica, on the sweep's tick: delete jobs whose instance died are taken over and run. */
    @Scheduled(identity = "resume-template-deletes", every = "${wabasync.sync.sweep-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> resumeAbandoned() {
        return rounds.run("Take-over of delete jobs", () -> {
            OffsetDateTime now = Timestamps.nowAtUtc();
            return pool.preparedQuery(TAKE_OVER).execute(Tuple.of(now.minus(jobConfig.abandonAfter()), runner, now))
                    .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                    .onItem().transformToUniAndConcatenate(row -> {
                        LOG.infof("Taking over delete job %s of a stopped instance", row.getUUID("id"));
                        return contexts.call(() -> run(row.getUUID("id"), row.getUUID("template_id")));
                    })
                    .collect().last().replaceWithVoid();
        });
    }

    Uni<Void> run(UUID jobId, UUID templateId) {
        // The heartbeat moves while Meta is asked (retries included), so no replica takes a live job over.
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        long every = Math.max(1, jobConfig.heartbeatEvery().toMillis());
        long timer = context == null ? -1 : context.owner().setPeriodic(every, every, id -> heartbeats.beat(jobId)
                .subscribe().with(ok -> { }, failure -> LOG.debugf("Heartbeat of %s failed: %s", jobId, failure)));
        return delete(jobId, templateId).eventually(() -> {
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
            }
        });
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
                && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(NOT_FOUND_AT_META);
    }

    private Uni<Void> finish(UUID jobId, UUID templateId) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        return pool.withTransaction(connection -> connection.preparedQuery(FINISH).execute(Tuple.of(jobId, templateId, now))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : connection.preparedQuery(HISTORY).execute(Tuple.of(UUID.randomUUID(), templateId,
                                rows.iterator().next().getString("before"), now)).replaceWithVoid()));
    }

    private Uni<Void> fail(UUID jobId, String reason) {
        LOG.warnf("Delete job %s failed: %s", jobId, reason);
        return pool.preparedQuery(FAIL).execute(Tuple.of(jobId, reason, Timestamps.nowAtUtc())).replaceWithVoid();
    }
}
