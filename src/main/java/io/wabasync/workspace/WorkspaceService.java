package io.wabasync.workspace;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.common.Timestamps;

@ApplicationScoped
public class WorkspaceService {

    private final WorkspaceRepository workspaces;
    private final ApiKeyRepository apiKeys;
    private final ApiKeys keys;
    private final Pool pool;

    public WorkspaceService(WorkspaceRepository workspaces, ApiKeyRepository apiKeys, ApiKeys keys, Pool pool) {
        this.workspaces = workspaces;
        this.apiKeys = apiKeys;
        this.keys = keys;
        this.pool = pool;
    }

    /** Creates a workspace with its first API key; the plain key exists only in the returned value. */
    @WithTransaction
    public Uni<CreatedWorkspace> create(String name) {
        Instant now = Timestamps.now();
        Workspace workspace = new Workspace();
        workspace.id = UUID.randomUUID();
        workspace.name = name.strip();
        workspace.createdAt = now;

        String plainKey = keys.generate();
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.workspaceId = workspace.id;
        key.keyHash = ApiKeys.hash(plainKey);
        key.keyPrefix = ApiKeys.displayPrefix(plainKey);
        key.createdAt = now;

        return workspaces.persist(workspace)
                .chain(() -> apiKeys.persist(key))
                .replaceWith(new CreatedWorkspace(workspace.id.toString(), workspace.name, plainKey));
    }

    /** The workspace a key belongs to, or null for an unknown key. */
    public Uni<UUID> workspaceOfKey(String plainKey) {
        // Every request asks this: one prepared statement, no session; nothing is cached, so a key
        // that is gone is refused by every replica at once.
        return pool.preparedQuery("SELECT workspace_id FROM api_key WHERE key_hash = $1")
                .execute(Tuple.of(ApiKeys.hash(plainKey)))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
    }

    /** The key's own id and its workspace (null when no workspace has this key): what a console session belongs to. */
    public Uni<KnownKey> findKey(String plainKey) {
        return pool.preparedQuery("SELECT id, workspace_id FROM api_key WHERE key_hash = $1")
                .execute(Tuple.of(ApiKeys.hash(plainKey)))
                .map(rows -> rows.size() == 0 ? null
                        : new KnownKey(rows.iterator().next().getUUID(0), rows.iterator().next().getUUID(1)));
    }
}
