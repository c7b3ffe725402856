package io.wabasync.console;

import java.time.Duration;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.wabasync.console.session.ConsoleCaller;
import io.wabasync.console.session.ConsoleSessionIdentityProvider;
import io.wabasync.console.session.ConsoleSessionMechanism;
import io.wabasync.console.session.ConsoleSessions;
import io.wabasync.console.view.Pages;
import io.wabasync.workspace.KnownKey;
import io.wabasync.workspace.WorkspaceService;

/** Signing in to the console with a workspace API key, and out. */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleSignInResource {

    /** Longer than any key we issue: refused without asking the database. */
    private static final int MAX_KEY_LENGTH = 200;

    private final ConsoleSessions sessions;
    private final WorkspaceService workspaces;
    private final ConsoleCaller caller;

    public ConsoleSignInResource(ConsoleSessions sessions, WorkspaceService workspaces, ConsoleCaller caller) {
        this.sessions = sessions;
        this.workspaces = workspaces;
        this.caller = caller;
    }

    /** The sign-in page; someone already signed in goes on to the templates. */
    @GET
    public Uni<Response> home(@CookieParam(ConsoleSessionMechanism.COOKIE) String token) {
        return sessions.find(token).map(session -> session != null ? Responses.seeOther("/console/templates")
                : Responses.page(200, Pages.signIn(null, null)));
    }

    @POST
    @Path("sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signIn(@FormParam("api_key") String apiKey, HttpServerRequest request) {
        String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String key = apiKey == null ? "" : apiKey.strip();
        if (key.isEmpty()) {
            return Uni.createFrom().item(Responses.page(400, Pages.signIn(null, "Enter your workspace's API key.")));
        }
        return sessions.signInBlocked(address).chain(blocked -> {
            if (blocked) {
                return Uni.createFrom().item(Responses.page(429, Pages.signIn(null,
                        "Too many failed sign-ins from your address: try again in "
                                + sessions.signInWindow().toMinutes() + " minutes.")));
            }
            Uni<KnownKey> known = key.length() > MAX_KEY_LENGTH ? Uni.createFrom().nullItem() : workspaces.findKey(key);
            return known.chain(found -> found == null
                    ? sessions.signInFailed(address).replaceWith(Responses.page(401, Pages.signIn(null,
                            "That key is not the API key of any workspace. Check it and try again.")))
                    : sessions.open(found).map(session -> Responses.seeOther("/console/templates",
                            cookie(session.token(), sessions.lifetime(), "https".equals(request.scheme())))));
        });
    }

    @POST
    @Path("sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @HttpAuthenticationMechanism(ConsoleSessionMechanism.SCHEME)
    @RolesAllowed(ConsoleSessionIdentityProvider.CONSOLE)
    public Uni<Response> signOut(@FormParam("csrf") String csrf,
            @CookieParam(ConsoleSessionMechanism.COOKIE) String token, HttpServerRequest request) {
        caller.checkForm(csrf);
        return sessions.close(token).replaceWith(Responses.seeOther("/console",
                cookie("", Duration.ZERO, "https".equals(request.scheme()))));
    }

    /** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over TLS, only for /console. */
    private static NewCookie cookie(String value, Duration lifetime, boolean secure) {
        return new NewCookie.Builder(ConsoleSessionMechanism.COOKIE).value(value).path("/console")
                .maxAge((int) lifetime.toSeconds())
                .httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.STRICT).build();
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class, ForbiddenException.class })
    Response signInFirst() {
        return Responses.signInFirst();
    }

    @ServerExceptionMapper
    Response refused(ConsoleCaller.FormRefused e) {
        return Responses.formRefused();
    }
}
