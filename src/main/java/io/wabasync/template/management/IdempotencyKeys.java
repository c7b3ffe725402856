package io.wabasync.template.management;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.common.ApiError;
import io.wabasync.common.ApiException;
import io.wabasync.common.BackgroundRounds;
import io.wabasync.common.Timestamps;

/**
 * {@code Idempotency-Key}: the first request with a key runs, a repeat gets its answer. The key is
 * claimed in PostgreSQL, so two replicas receiving the same request at once still call Meta once. A
 * request that ended without knowing what Meta did (no answer in time) leaves its key open: the next
 * attempt runs with {@code outcomeUnknown}, and finds out from Meta before doing anything again.
 */
@ApplicationScoped
public class IdempotencyKeys {

    static final Duration KEPT = Duration.ofHours(24);
    /** A claim older than this belongs to a request that died; a new attempt may take it over. */
    private static final Duration CLAIM_LIFETIME = Duration.ofMinutes(2);

    private static final String PURGE = "DELETE FROM idempotency_key WHERE created_at < $1";
    /** A key kept past {@link #KEPT} is free again: the claim takes it over as if it were new. */
    private static final String CLAIM = """
            INSERT INTO idempotency_key (workspace_id, key, request_sha256, state, created_at, updated_at)
            VALUES ($1, $2, $3, 'IN_PROGRESS', $4, $4)
            ON CONFLICT (workspace_id, key) DO UPDATE SET request_sha256 = EXCLUDED.request_sha256,
                state = 'IN_PROGRESS', response_status = NULL, response_body = NULL,
                created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
            WHERE idempotency_key.created_at < $5
            """;
    private static final String READ = """
            SELECT request_sha256, state, response_status, response_body, updated_at
            FROM idempotency_key WHERE workspace_id = $1 AND key = $2
            """;
    private static final String TAKE_OVER = """
            UPDATE idempotency_key SET updated_at = $4
            WHERE workspace_id = $1 AND key = $2 AND state = 'IN_PROGRESS' AND updated_at = $3
            """;
    private static final String FINISH = """
            UPDATE idempotency_key SET state = 'DONE', response_status = $3, response_body = $4, updated_at = $5
            WHERE workspace_id = $1 AND key = $2
            """;
    private static final String LEAVE_OPEN = """
            UPDATE idempotency_key SET updated_at = $3 WHERE workspace_id = $1 AND key = $2 AND state = 'IN_PROGRESS'
            """;

    /** An answer as it was given, to give again. */
    public record Answer(int status, JsonNode body) {
    }

    private final Pool pool;
    private final ObjectMapper json;
    private final BackgroundRounds rounds;

    IdempotencyKeys(Pool pool, ObjectMapper json, BackgroundRounds rounds) {
        this.pool = pool;
        this.json = json;
        this.rounds = rounds;
    }

    /** Housekeeping: expired keys leave the table on any replica's tick (the claim ignores them anyway). */
    @Scheduled(identity = "idempotency-key-purge", every = "${wabasync.idempotency.purge-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return rounds.run("Idempotency key purge", () -> pool.preparedQuery(PURGE)
                .execute(Tuple.of(Timestamps.nowAtUtc().minus(KEPT))).replaceWithVoid());
    }

    /**
     * Runs {@code work} once per key. {@code work} gets whether an earlier attempt may have reached
     * Meta; a failure that is the caller's or Meta's final word (4xx) is kept as the answer, one that
     * leaves the outcome open (5xx) is not.
     */
    public Uni<Answer> once(UUID workspaceId, String key, String requestSha256, Function<Boolean, Uni<Answer>> work) {
        if (key.isBlank() || key.length() > 255) {
            return Uni.createFrom().failure(ApiException.badRequest("Idempotency-Key must be 1 to 255 characters"));
        }
        OffsetDateTime now = Timestamps.nowAtUtc();
        return pool.preparedQuery(CLAIM).execute(Tuple.of(workspaceId, key, requestSha256, now, now.minus(KEPT)))
                .chain(claimed -> claimed.rowCount() == 1 ? run(workspaceId, key, false, work)
                        : pool.preparedQuery(READ).execute(Tuple.of(workspaceId, key))
                                .chain(rows -> repeat(workspaceId, key, requestSha256, rows.iterator().next(), now, work)));
    }

    private Uni<Answer> repeat(UUID workspaceId, String key, String requestSha256, Row row, OffsetDateTime now,
            Function<Boolean, Uni<Answer>> work) {
        if (!requestSha256.equals(row.getString("request_sha256"))) {
            return Uni.createFrom().failure(new ApiException(422,
                    "This Idempotency-Key was used for a different request; use a new key for a new request"));
        }
        if ("DONE".equals(row.getString("state"))) {
            return Uni.createFrom().item(new Answer(row.getInteger("response_status"), tree(row.getString("response_body"))));
        }
        OffsetDateTime claimedAt = row.getOffsetDateTime("updated_at");
        if (claimedAt.isAfter(now.minus(CLAIM_LIFETIME))) {
            return Uni.createFrom().failure(ApiException.conflict(
                    "A request with this Idempotency-Key is still in progress; retry in a moment"));
        }
        return pool.preparedQuery(TAKE_OVER).execute(Tuple.of(workspaceId, key, claimedAt, now))
                .chain(taken -> taken.rowCount() == 1 ? run(workspaceId, key, true, work)
                        : Uni.createFrom().failure(ApiException.conflict(
                                "A request with this Idempotency-Key is still in progress; retry in a moment")));
    }

    private Uni<Answer> run(UUID workspaceId, String key, boolean outcomeUnknown, Function<Boolean, Uni<Answer>> work) {
        return work.apply(outcomeUnknown)
                .call(answer -> finish(workspaceId, key, answer.status(), answer.body()))
                .onFailure(ApiException.class).call(failure -> {
                    ApiException e = (ApiException) failure;
                    if (e.status() >= 500) {
                        // The outcome is open: the next attempt may take the key over at once, and asks Meta first.
                        return pool.preparedQuery(LEAVE_OPEN).execute(Tuple.of(workspaceId, key,
                                Timestamps.nowAtUtc().minus(CLAIM_LIFETIME).minusSeconds(1)));
                    }
                    return finish(workspaceId, key, e.status(), json.valueToTree(
                            ApiError.of(e.getMessage())));
                });
    }

    private Uni<?> finish(UUID workspaceId, String key, int status, JsonNode body) {
        return pool.preparedQuery(FINISH).execute(Tuple.of(workspaceId, key, status, body.toString(), Timestamps.nowAtUtc()));
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("Stored answer is not JSON", e);
        }
    }
}
