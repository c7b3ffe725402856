package io.wabasync.sync;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.ApiMessage;
import io.wabasync.workspace.Caller;
import io.wabasync.workspace.security.Roles;
import io.wabasync.workspace.security.WorkspaceKeyMechanism;

/** LancePilot's "sync templates": the workspace's PENDING templates, read again from Meta. */
@Path("/api/v3/workspaces/{workspace}/templates/sync")
@Produces(MediaType.APPLICATION_JSON)
@HttpAuthenticationMechanism(WorkspaceKeyMechanism.SCHEME)
@RolesAllowed(Roles.WORKSPACE)
public class LancePilotSyncResource {

    private final SyncEngine engine;
    private final Caller caller;

    public LancePilotSyncResource(SyncEngine engine, Caller caller) {
        this.engine = engine;
        this.caller = caller;
    }

    @POST
    public Uni<Response> sync(@PathParam("workspace") String workspace) {
        return engine.reconcileWorkspace(caller.workspace(workspace)).map(result -> switch (result) {
            case SYNCED -> Response.ok(new ApiMessage(true, "Templates synced successfully")).build();
            case NOTHING_PENDING -> Response.status(404).entity(new ApiMessage(false, "No pending templates found")).build();
            case FAILED -> Response.status(500).entity(new ApiMessage(false, "Failed to sync the templates")).build();
        });
    }
}
