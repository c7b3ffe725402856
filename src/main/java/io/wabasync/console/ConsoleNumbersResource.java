package io.wabasync.console;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.Channel;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.console.session.ConsoleCaller;
import io.wabasync.console.session.ConsoleSessionIdentityProvider;
import io.wabasync.console.session.ConsoleSessionMechanism;
import io.wabasync.console.view.Nav;
import io.wabasync.console.view.NumberRow;
import io.wabasync.console.view.Pages;
import io.wabasync.sync.SyncEngine;
import io.wabasync.sync.SyncJobService;

/** The console's numbers: each connected number with its last full sync, and "Sync now". */
@Path("/console/numbers")
@HttpAuthenticationMechanism(ConsoleSessionMechanism.SCHEME)
@RolesAllowed(ConsoleSessionIdentityProvider.CONSOLE)
public class ConsoleNumbersResource {

    private static final Map<String, String> NOTICES = Map.of(
            "started", "Sync started: its progress shows below.",
            "running", "A sync of that number was already running: its progress shows below.");

    private final ChannelService channels;
    private final SyncJobService jobs;
    private final SyncEngine engine;
    private final ConsoleCaller caller;

    public ConsoleNumbersResource(ChannelService channels, SyncJobService jobs, SyncEngine engine,
            ConsoleCaller caller) {
        this.channels = channels;
        this.jobs = jobs;
        this.engine = engine;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> list(@QueryParam("notice") String notice) {
        return rows(caller.workspaceId()).map(rows -> Responses.page(200,
                Pages.numbers(nav(), rows, (notice == null ? null : NOTICES.get(notice)))));
    }

    /** What the page polls while a sync runs: each number's row, as the page shows it. */
    @GET
    @Path("progress")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<NumberRow>> progress() {
        return rows(caller.workspaceId());
    }

    @POST
    @Path("{id}/sync")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> sync(@PathParam("id") String id, MultivaluedMap<String, String> fields) {
        caller.checkForm(fields.getFirst("csrf"));
        UUID workspaceId = caller.workspaceId();
        return channels.list(workspaceId).chain(list -> {
            Channel channel = list.stream().filter(c -> c.id.toString().equalsIgnoreCase(id)).findFirst().orElse(null);
            if (channel == null) {
                return Uni.createFrom().item(Responses.notFound(nav(), "This number"));
            }
            return engine.startFullSync(workspaceId, channel.phoneNumber).map(start -> Responses.seeOther(
                    "/console/numbers?notice=" + (start.started() ? "started" : "running")));
        });
    }

    /** The workspace's numbers in the order they were connected, each with its latest full sync. */
    private Uni<List<NumberRow>> rows(UUID workspaceId) {
        return channels.list(workspaceId).chain(list -> jobs.latestFullSyncs(workspaceId, list)
                .map(latest -> list.stream().map(channel -> NumberRow.of(channel, latest.get(channel.id))).toList()));
    }

    private Nav nav() {
        return new Nav(caller.csrfToken(), "numbers");
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class, ForbiddenException.class })
    Response signInFirst() {
        return Responses.signInFirst();
    }

    @ServerExceptionMapper
    Response refused(ConsoleCaller.FormRefused e) {
        return Responses.formRefused();
    }

    @ServerExceptionMapper
    Response failed(ApiException e) {
        return Responses.failed(nav(), e);
    }
}
