package io.wabasync.template;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;
import io.wabasync.workspace.Caller;

/** The live stream of a workspace's template changes, as Server-Sent Events. */
@Path("/api/v3/workspaces/{workspace}/templates/events")
public class TemplateEventsResource {

    private final TemplateChanges changes;
    private final Caller caller;

    public TemplateEventsResource(TemplateChanges changes, Caller caller) {
        this.changes = changes;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Template changes of the workspace as they happen (Server-Sent Events)",
            description = "Each event's data is a TemplateChangeEvent in JSON, its id the change's id. Changes "
                    + "from full syncs, reconciliation and Meta webhooks, made on any replica. The stream starts "
                    + "with a ': connected' comment and sends a comment every 15 s to keep the connection open.")
    @APIResponse(responseCode = "200", description = "A stream of events whose data is a TemplateChangeEvent",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = TemplateChangeEvent.class)))
    public Multi<OutboundSseEvent> events(@PathParam("workspace") String workspace, @Context Sse sse) {
        var workspaceId = caller.workspace(workspace);
        Multi<OutboundSseEvent> events = changes.of(workspaceId).map(change -> sse.newEventBuilder()
                .id(change.id().toString())
                .data(TemplateChangeEvent.class, change)
                .build());
        Multi<OutboundSseEvent> keepAlive = changes.keepAlive()
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        // The changes are subscribed to first: once a client reads "connected", nothing is missed.
        return Multi.createBy().merging().streams(events,
                Multi.createFrom().item(sse.newEventBuilder().comment("connected").build()), keepAlive);
    }
}
