package io.wabasync.sync;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.PhoneNumbers;
import io.wabasync.workspace.Caller;
import io.wabasync.workspace.security.Roles;
import io.wabasync.workspace.security.WorkspaceKeyMechanism;

/** 2Chat's "Sync WABA Templates" and its status. */
@Path("/open/waba/templates/sync")
@Produces(MediaType.APPLICATION_JSON)
@HttpAuthenticationMechanism(WorkspaceKeyMechanism.SCHEME)
@RolesAllowed(Roles.WORKSPACE)
public class TwoChatSyncResource {

    private final SyncEngine engine;
    private final SyncJobService jobs;
    private final Caller caller;

    public TwoChatSyncResource(SyncEngine engine, SyncJobService jobs, Caller caller) {
        this.engine = engine;
        this.jobs = jobs;
        this.caller = caller;
    }

    @POST
    public Uni<SyncStartedView> start(@QueryParam("phone_number") String phoneNumber) {
        String number = PhoneNumbers.fromQuery(phoneNumber);
        return engine.startFullSync(caller.workspaceId(), number).map(SyncStartedView::of);
    }

    @GET
    public Uni<SyncJobView> status(@QueryParam("phone_number") String phoneNumber) {
        String number = PhoneNumbers.fromQuery(phoneNumber);
        return jobs.latestFullSync(caller.workspaceId(), number).map(job -> new SyncJobView(true, job));
    }
}
