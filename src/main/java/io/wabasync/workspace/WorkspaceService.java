package io.wabasync.workspace;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.Timestamps;

@ApplicationScoped
public class WorkspaceService {

    private final WorkspaceRepository workspaces;
    private final ApiKeyRepository apiKeys;
    private final ApiKeys keys;

    public WorkspaceService(WorkspaceRepository workspaces, ApiKeyRepository apiKeys, ApiKeys keys) {
        this.workspaces = workspaces;
        this.apiKeys = apiKeys;
        this.keys = keys;
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
        return apiKeys.findByHash(ApiKeys.hash(plainKey)).map(k -> k == null ? null : k.workspaceId);
    }
}
