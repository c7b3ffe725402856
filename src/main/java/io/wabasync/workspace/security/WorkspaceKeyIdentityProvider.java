package io.wabasync.workspace.security;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.wabasync.workspace.WorkspaceService;

/**
 * A workspace key → the identity of its workspace (role {@link Roles#WORKSPACE}, the workspace id
 * as principal name and as attribute {@link Roles#WORKSPACE_ID}). One reactive query per request,
 * on the event loop; nothing is cached, so a key that is gone is refused by every replica at once.
 */
@ApplicationScoped
public class WorkspaceKeyIdentityProvider implements IdentityProvider<WorkspaceKeyRequest> {

    /** Longer than any key we issue: refused without asking the database. */
    private static final int MAX_KEY_LENGTH = 200;

    private final WorkspaceService workspaces;

    public WorkspaceKeyIdentityProvider(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    @Override
    public Class<WorkspaceKeyRequest> getRequestType() {
        return WorkspaceKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(WorkspaceKeyRequest request, AuthenticationRequestContext context) {
        if (request.key().length() > MAX_KEY_LENGTH) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return workspaces.workspaceOfKey(request.key().strip()).map(workspaceId -> {
            if (workspaceId == null) {
                throw new AuthenticationFailedException();
            }
            return identityOf(workspaceId);
        });
    }

    private static SecurityIdentity identityOf(UUID workspaceId) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(workspaceId.toString()))
                .addRole(Roles.WORKSPACE)
                .addAttribute(Roles.WORKSPACE_ID, workspaceId)
                .build();
    }
}
