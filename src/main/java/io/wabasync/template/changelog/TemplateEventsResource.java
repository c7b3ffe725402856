package io.wabasync.template.changelog;

import java.time.Duration;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.wabasync.common.ApiException;
import io.wabasync.workspace.Caller;
import io.wabasync.workspace.security.Roles;
import io.wabasync.workspace.security.WorkspaceKeyMechanism;

/** The live stream of a workspace's template changes, as Server-Sent Events. */
@Path("/api/v3/workspaces/{workspace}/templates/events")
@HttpAuthenticationMechanism(WorkspaceKeyMechanism.SCHEME)
@RolesAllowed(Roles.WORKSPACE)
public class TemplateEventsResource {

    private static final Duration RESUME_CHECK = Duration.ofSeconds(10);

    private final ChangeStream changes;
    private final Caller caller;

    public TemplateEventsResource(ChangeStream changes, Caller caller) {
        this.changes = changes;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Template changes of the workspace as they happen (Server-Sent Events)",
            description = "Each event's data is a TemplateChangeEvent in JSON; its SSE id is the change's sequence "
                    + "number in the workspace's change log. Changes from full syncs, reconciliation, Meta webhooks "
                    + "and template management, made on any replica. A client that reconnects with Last-Event-ID "
                    + "(or connects with ?since=N) first receives every change numbered after it, in order, then "
                    + "live ones, with no gap and no repeat. The log keeps changes for WABASYNC_CHANGE_LOG_RETENTION "
                    + "(7 days): resuming after an older one answers 410 (re-read the lists). The stream starts "
                    + "with a ': connected' comment and sends a comment every 15 s to keep the connection open.")
    @APIResponse(responseCode = "200", description = "A stream of events whose data is a TemplateChangeEvent",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = ChangeEvent.class)))
    @APIResponse(responseCode = "400", description = "Last-Event-ID or since is not an event number")
    @APIResponse(responseCode = "410", description = "Changes after that event are no longer kept: re-read the lists")
    // Blocking: whether the log still holds the resume point is known before the stream's headers go out,
    // so a client that must re-read the lists gets a plain JSON 410. One indexed read, on a worker thread.
    @Blocking
    public Multi<OutboundSseEvent> events(@PathParam("workspace") String workspace,
            @Parameter(description = "The id of the last event received; sent by EventSource on reconnection")
            @HeaderParam("Last-Event-ID") String lastEventId,
            @Parameter(description = "Receive the changes numbered after this one first (Last-Event-ID wins)")
            @QueryParam("since") String since,
            @Context Sse sse) {
        var workspaceId = caller.workspace(workspace);
        Long resumeAfter = resumePoint(lastEventId, since);
        if (resumeAfter != null) {
            changes.resumable(workspaceId, resumeAfter).await().atMost(RESUME_CHECK);
        }
        Multi<ChangeEvent> stream = resumeAfter == null ? changes.of(workspaceId)
                : changes.after(workspaceId, resumeAfter);
        Multi<OutboundSseEvent> events = stream.map(change -> sse.newEventBuilder()
                .id(Long.toString(change.sequence()))
                .data(ChangeEvent.class, change)
                .build());
        Multi<OutboundSseEvent> keepAlive = changes.keepAlive()
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        // The changes are subscribed to first: once a client reads "connected", nothing is missed.
        return Multi.createBy().merging().streams(events,
                Multi.createFrom().item(sse.newEventBuilder().comment("connected").build()), keepAlive);
    }

    private static Long resumePoint(String lastEventId, String since) {
        String given = lastEventId != null && !lastEventId.isBlank() ? lastEventId : since;
        if (given == null || given.isBlank()) {
            return null;
        }
        if (!given.strip().matches("[0-9]{1,18}")) {
            throw ApiException.badRequest((lastEventId != null && !lastEventId.isBlank() ? "Last-Event-ID" : "since")
                    + " must be the id of an event of this stream (a whole number)");
        }
        return Long.parseLong(given.strip());
    }
}
