package io.wabasync.channel;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.workspace.Caller;
import io.wabasync.workspace.security.Roles;
import io.wabasync.workspace.security.WorkspaceKeyMechanism;

@Path("/api/v3/workspaces/{workspace}/channels")
@Produces(MediaType.APPLICATION_JSON)
@HttpAuthenticationMechanism(WorkspaceKeyMechanism.SCHEME)
@RolesAllowed(Roles.WORKSPACE)
public class ChannelResource {

    private final ChannelService channels;
    private final PhoneCountries countries;
    private final Caller caller;

    public ChannelResource(ChannelService channels, PhoneCountries countries, Caller caller) {
        this.channels = channels;
        this.countries = countries;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> connect(@PathParam("workspace") String workspace, @Valid @NotNull CreateChannelRequest request) {
        return channels.connect(caller.workspace(workspace), request)
                .chain(channels::refreshVerifiedName)
                .map(channel -> Response.status(Response.Status.CREATED).entity(ChannelView.of(channel, countries)).build());
    }

    @GET
    public Uni<ChannelList> list(@PathParam("workspace") String workspace) {
        return channels.list(caller.workspace(workspace))
                .map(list -> new ChannelList(true, list.stream().map(c -> ChannelView.of(c, countries)).toList()));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ChannelView> update(@PathParam("workspace") String workspace, @PathParam("id") String id,
            @Valid @NotNull UpdateChannelRequest request) {
        // A new token or WABA id: Meta may name the number now (or otherwise).
        return channels.update(caller.workspace(workspace), id, request)
                .chain(c -> request.changesMetaAccess() ? channels.refreshVerifiedName(c) : Uni.createFrom().item(c))
                .map(c -> ChannelView.of(c, countries));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> disconnect(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return channels.disconnect(caller.workspace(workspace), id).replaceWith(Response.noContent().build());
    }
}
