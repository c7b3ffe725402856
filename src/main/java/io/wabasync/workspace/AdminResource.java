package io.wabasync.workspace;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.wabasync.common.ApiException;
import io.wabasync.common.Secrets;
import io.wabasync.common.WabasyncConfig;

/** Operator API: provisioning of workspaces, behind the admin token. */
@Path("/admin/workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final WorkspaceService workspaces;
    private final WabasyncConfig config;

    public AdminResource(WorkspaceService workspaces, WabasyncConfig config) {
        this.workspaces = workspaces;
        this.config = config;
    }

    @POST
    public Uni<Response> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Valid @NotNull CreateWorkspaceRequest request) {
        requireAdmin(authorization);
        return workspaces.create(request.name())
                .map(created -> Response.status(Response.Status.CREATED).entity(created).build());
    }

    private void requireAdmin(String authorization) {
        String expected = config.adminToken().filter(t -> !t.isBlank()).orElse(null);
        String given = BearerToken.from(authorization);
        if (!Secrets.matches(expected, given)) {
            throw ApiException.unauthorized("A valid operator token is required (Authorization: Bearer <admin token>)");
        }
    }
}
