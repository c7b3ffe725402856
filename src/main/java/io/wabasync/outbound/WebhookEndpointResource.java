package io.wabasync.outbound;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.Paged;
import io.wabasync.common.QueryParams;
import io.wabasync.common.Single;
import io.wabasync.workspace.Caller;
import io.wabasync.workspace.security.Roles;
import io.wabasync.workspace.security.WorkspaceKeyMechanism;

/**
 * The workspace's webhook endpoints: template changes pushed to the customer's URL, signed as the
 * Standard Webhooks specification says, with a log of every delivery and attempt.
 */
@Path("/api/v3/workspaces/{workspace}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhook endpoints", description = "Template changes pushed to your URL (Standard Webhooks)")
@HttpAuthenticationMechanism(WorkspaceKeyMechanism.SCHEME)
@RolesAllowed(Roles.WORKSPACE)
public class WebhookEndpointResource {

    private final EndpointService endpoints;
    private final Caller caller;

    public WebhookEndpointResource(EndpointService endpoints, Caller caller) {
        this.endpoints = endpoints;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add an endpoint", description = "The answer carries the endpoint's signing secret "
            + "(whsec_...), shown this once. The URL must be http(s) and must not be, or resolve to, a loopback, "
            + "private, link-local or metadata address (unless the operator allows the host). event_types empty or "
            + "absent: every type.")
    @APIResponse(responseCode = "201", description = "Created; data.secret is the signing secret")
    @APIResponse(responseCode = "400", description = "A bad URL, a refused address or an unknown event type")
    public Uni<Response> create(@PathParam("workspace") String workspace, EndpointRequest request) {
        return endpoints.create(caller.workspace(workspace), request)
                .map(view -> Response.status(Response.Status.CREATED).entity(Single.of(view)).build());
    }

    @GET
    @Operation(summary = "The workspace's endpoints (secrets are never shown again)")
    public Uni<Single<List<EndpointView>>> list(@PathParam("workspace") String workspace) {
        return endpoints.list(caller.workspace(workspace)).map(Single::of);
    }

    @GET
    @Path("{id}")
    public Uni<Single<EndpointView>> one(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return endpoints.get(caller.workspace(workspace), id).map(Single::of);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an endpoint", description = "Only the fields given change. enabled: true on an "
            + "endpoint the service disabled clears its failure record and sends what its outbox kept.")
    public Uni<Single<EndpointView>> update(@PathParam("workspace") String workspace, @PathParam("id") String id,
            EndpointRequest request) {
        return endpoints.update(caller.workspace(workspace), id, request).map(Single::of);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove an endpoint and its undelivered events")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Response> delete(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return endpoints.delete(caller.workspace(workspace), id).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("{id}/rotate-secret")
    @Operation(summary = "Rotate the signing secret", description = "The answer carries the new secret, shown this "
            + "once. Until previous_secret_expires_at (WABASYNC_OUTBOUND_WEBHOOKS_SECRET_OVERLAP, 24 h) every delivery "
            + "is signed with both, so receivers can switch at their own pace.")
    public Uni<Single<EndpointView>> rotate(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return endpoints.rotateSecret(caller.workspace(workspace), id).map(Single::of);
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "The endpoint's deliveries, newest event first, with every attempt")
    public Uni<Paged<DeliveryView>> deliveries(@PathParam("workspace") String workspace, @PathParam("id") String id,
            @QueryParam("status") String status, @QueryParam("page") String page,
            @QueryParam("per_page") String perPage, @Context UriInfo request) {
        return endpoints.deliveries(caller.workspace(workspace), id, QueryParams.text(status, "status", 20),
                QueryParams.onePage(page), QueryParams.perPage(perPage)).map(paged -> paged.linkedFrom(request));
    }

    @GET
    @Path("{id}/deliveries/{delivery}")
    public Uni<Single<DeliveryView>> delivery(@PathParam("workspace") String workspace, @PathParam("id") String id,
            @PathParam("delivery") String delivery) {
        return endpoints.delivery(caller.workspace(workspace), id, delivery).map(Single::of);
    }

    @POST
    @Path("{id}/deliveries/{delivery}/redeliver")
    @Operation(summary = "Send a delivery again now", description = "Same webhook-id and body, so a receiver that "
            + "already has it can drop it. Also for a delivery that was given up.")
    @APIResponse(responseCode = "202", description = "Due now")
    @APIResponse(responseCode = "409", description = "An attempt at it is in flight")
    public Uni<Response> redeliver(@PathParam("workspace") String workspace, @PathParam("id") String id,
            @PathParam("delivery") String delivery) {
        return endpoints.redeliver(caller.workspace(workspace), id, delivery)
                .map(view -> Response.accepted(Single.of(view)).build());
    }
}
