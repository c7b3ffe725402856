package io.wabasync.console;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Multi;
import io.wabasync.console.session.ConsoleCaller;
import io.wabasync.console.session.ConsoleSessionIdentityProvider;
import io.wabasync.console.session.ConsoleSessionMechanism;
import io.wabasync.template.changelog.ChangeEvent;
import io.wabasync.template.changelog.ChangeStream;

/**
 * The signed-in workspace's template changes, live, for the console's pages: the same change stream
 * as the API's, from any replica, authenticated by the session cookie (a browser's EventSource
 * cannot send a key header). A page that reconnects reloads what it shows rather than resuming.
 */
@Path("/console/events")
@HttpAuthenticationMechanism(ConsoleSessionMechanism.SCHEME)
@RolesAllowed(ConsoleSessionIdentityProvider.CONSOLE)
public class ConsoleEventsResource {

    private final ChangeStream changes;
    private final ConsoleCaller caller;

    public ConsoleEventsResource(ChangeStream changes, ConsoleCaller caller) {
        this.changes = changes;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        Multi<OutboundSseEvent> events = changes.of(caller.workspaceId()).map(change -> sse.newEventBuilder()
                .id(Long.toString(change.sequence())).data(ChangeEvent.class, change).build());
        Multi<OutboundSseEvent> keepAlive = changes.keepAlive()
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        // Subscribed to the changes first, then "connected": a page that sees it misses nothing after.
        return Multi.createBy().merging().streams(events,
                Multi.createFrom().item(sse.newEventBuilder().name("connected").data("connected").build()), keepAlive);
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class, ForbiddenException.class })
    Response signInFirst() {
        return Response.status(401).build();
    }
}
