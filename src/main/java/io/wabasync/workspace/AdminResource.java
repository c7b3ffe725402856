package io.wabasync.workspace;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.ErrorMappers;
import io.wabasync.workspace.security.AdminTokenMechanism;
import io.wabasync.workspace.security.Roles;

/** Operator API: provisioning of workspaces, behind the admin token. */
@Path("/admin/workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@HttpAuthenticationMechanism(AdminTokenMechanism.SCHEME)
@RolesAllowed(Roles.ADMIN)
public class AdminResource {

    private final WorkspaceService workspaces;

    public AdminResource(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    @POST
    public Uni<Response> create(@Valid @NotNull CreateWorkspaceRequest request) {
        return workspaces.create(request.name())
                .map(created -> Response.status(Response.Status.CREATED).entity(created).build());
    }

    /** No token, another token, a workspace key, or no token configured: the operator API's own 401. */
    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class,
            ForbiddenException.class })
    public Response refused(RuntimeException e) {
        return ErrorMappers.error(401, AdminTokenMechanism.REJECTED);
    }
}
