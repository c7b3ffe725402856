package io.wabasync.sync;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.PhoneNumbers;
import io.wabasync.common.Paged;
import io.wabasync.common.QueryParams;
import io.wabasync.common.Single;
import io.wabasync.workspace.Caller;
import io.wabasync.workspace.security.Roles;
import io.wabasync.workspace.security.WorkspaceKeyMechanism;

/** The workspace's sync jobs: full syncs and reconciliations, newest first. */
@Path("/api/v3/workspaces/{workspace}/sync-jobs")
@Produces(MediaType.APPLICATION_JSON)
@HttpAuthenticationMechanism(WorkspaceKeyMechanism.SCHEME)
@RolesAllowed(Roles.WORKSPACE)
public class SyncJobResource {

    private final SyncJobService jobs;
    private final Caller caller;

    public SyncJobResource(SyncJobService jobs, Caller caller) {
        this.jobs = jobs;
        this.caller = caller;
    }

    @GET
    public Uni<Paged<JobView>> list(@PathParam("workspace") String workspace,
            @QueryParam("phone_number") String phoneNumber, @QueryParam("page") String page,
            @QueryParam("per_page") String perPage, @Context UriInfo request) {
        String number = phoneNumber == null || phoneNumber.isEmpty() ? null : PhoneNumbers.fromQuery(phoneNumber);
        return jobs.page(caller.workspace(workspace), number, QueryParams.onePage(page), QueryParams.perPage(perPage))
                .map(paged -> paged.linkedFrom(request));
    }

    @GET
    @Path("{id}")
    public Uni<Single<JobView>> one(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return jobs.one(caller.workspace(workspace), id).map(Single::of);
    }
}
