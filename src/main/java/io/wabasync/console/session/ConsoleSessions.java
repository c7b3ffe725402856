package io.wabasync.console.session;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.common.Secrets;
import io.wabasync.common.Timestamps;
import io.wabasync.common.WabasyncConfig;
import io.wabasync.workspace.KnownKey;

/**
 * The console's sign-in sessions and failed sign-ins, both in PostgreSQL so that every replica sees
 * the same: a session opened on one replica is honoured by all, signing out ends it everywhere, and
 * the per-address limit on failed sign-ins counts across replicas. One writer of both tables.
 */
@ApplicationScoped
public class ConsoleSessions {

    /** A session: the token only its cookie holds, its workspace, and the token its forms carry. */
    public record Session(String token, UUID workspaceId, String csrfToken, Instant expiresAt) {
    }

    // Per bean, never static: a SecureRandom made while a native image is built would repeat its seed.
    private final SecureRandom random = new SecureRandom();
    private final Pool pool;
    private final WabasyncConfig.Console config;

    public ConsoleSessions(Pool pool, WabasyncConfig config) {
        this.pool = pool;
        this.config = config.console();
    }

    /** Opens a session for a key that exists. */
    public Uni<Session> open(KnownKey key) {
        String token = randomToken();
        String csrf = randomToken();
        Instant now = Timestamps.now();
        Instant expires = now.plus(config.sessionLifetime());
        return pool.preparedQuery("INSERT INTO console_session (token_hash, workspace_id, api_key_id, csrf_token, "
                        + "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple().addString(hash(token)).addUUID(key.workspaceId()).addUUID(key.keyId())
                        .addString(csrf).addOffsetDateTime(now.atOffset(ZoneOffset.UTC))
                        .addOffsetDateTime(expires.atOffset(ZoneOffset.UTC)))
                .replaceWith(new Session(token, key.workspaceId(), csrf, expires));
    }

    /** The live session of a cookie's token, or null (unknown, expired, or its key deleted). */
    public Uni<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT workspace_id, csrf_token, expires_at FROM console_session "
                        + "WHERE token_hash = $1 AND expires_at > now()")
                .execute(Tuple.of(hash(token)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    var row = rows.iterator().next();
                    return new Session(token, row.getUUID(0), row.getString(1),
                            row.getOffsetDateTime(2).toInstant());
                });
    }

    /** Ends the session of this token (signing out); nothing when there is none. */
    public Uni<Void> close(String token) {
        if (token == null || token.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("DELETE FROM console_session WHERE token_hash = $1")
                .execute(Tuple.of(hash(token))).replaceWithVoid();
    }

    /** Whether this address has used up its failed sign-ins for the window. */
    public Uni<Boolean> signInBlocked(String address) {
        return pool.preparedQuery("SELECT count(*) FROM console_sign_in_failure WHERE address = $1 AND failed_at > $2")
                .execute(Tuple.of(address, windowStart()))
                .map(rows -> rows.iterator().next().getLong(0) >= config.signInLimit());
    }

    /** Counts a failed sign-in against the address. */
    public Uni<Void> signInFailed(String address) {
        return pool.preparedQuery("INSERT INTO console_sign_in_failure (address, failed_at) VALUES ($1, now())")
                .execute(Tuple.of(address)).replaceWithVoid();
    }

    /** How long a session lasts from its sign-in. */
    public Duration lifetime() {
        return config.sessionLifetime();
    }

    /** The window's length, for telling a blocked client when to try again. */
    public Duration signInWindow() {
        return config.signInWindow();
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> removeExpired() {
        // Idempotent deletes: replicas doing it at the same time is harmless.
        return pool.preparedQuery("DELETE FROM console_session WHERE expires_at <= now()").execute()
                .chain(() -> pool.preparedQuery("DELETE FROM console_sign_in_failure WHERE failed_at <= $1")
                        .execute(Tuple.of(windowStart())))
                .replaceWithVoid();
    }

    private OffsetDateTime windowStart() {
        return Timestamps.now().minus(config.signInWindow()).atOffset(ZoneOffset.UTC);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String token) {
        return Secrets.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    }
}
