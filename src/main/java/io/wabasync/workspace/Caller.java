package io.wabasync.workspace;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import io.wabasync.common.ApiException;

/** The workspace whose API key came with the current request, set by {@link ApiKeyFilter}. */
@RequestScoped
public class Caller {

    private UUID workspaceId;

    void authenticatedAs(UUID workspaceId) {
        this.workspaceId = workspaceId;
    }

    public UUID workspaceId() {
        if (workspaceId == null) {
            throw ApiException.unauthorized("Missing or unknown API key");
        }
        return workspaceId;
    }

    /**
     * The caller's workspace, when the path names it. Another workspace's id answers 404, exactly as
     * an id that does not exist: a key must not learn which workspaces exist.
     */
    public UUID workspace(String pathWorkspace) {
        UUID own = workspaceId();
        if (pathWorkspace == null || !own.toString().equalsIgnoreCase(pathWorkspace.strip())) {
            throw ApiException.notFound("Workspace not found");
        }
        return own;
    }
}
