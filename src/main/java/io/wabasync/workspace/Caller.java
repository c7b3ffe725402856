package io.wabasync.workspace;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.SecurityIdentity;
import io.wabasync.common.ApiException;
import io.wabasync.workspace.security.Roles;

/**
 * The workspace whose API key came with the current request, read from the request's
 * {@link SecurityIdentity} (made by workspace.security's mechanism and provider). Resources that use
 * it carry {@code @RolesAllowed(Roles.WORKSPACE)}, so the identity is settled before they run.
 */
@ApplicationScoped
public class Caller {

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public UUID workspaceId() {
        UUID workspaceId = identity.getAttribute(Roles.WORKSPACE_ID);
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
