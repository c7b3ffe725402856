package io.wabasync.console.session;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.wabasync.workspace.security.Roles;

/**
 * A session cookie's token → the identity of its workspace, with role {@link #CONSOLE} (never
 * {@link Roles#WORKSPACE}: the API's resources do not accept it) and the session's form token.
 * One indexed read per page; nothing cached, so signing out or deleting the key ends the session
 * on every replica at once.
 */
@ApplicationScoped
public class ConsoleSessionIdentityProvider implements IdentityProvider<ConsoleSessionRequest> {

    /** A person signed in to the console. */
    public static final String CONSOLE = "console";

    /** The identity attribute holding the session's form (CSRF) token. */
    public static final String CSRF_TOKEN = "wabasync.console-csrf";

    private final ConsoleSessions sessions;

    public ConsoleSessionIdentityProvider(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<ConsoleSessionRequest> getRequestType() {
        return ConsoleSessionRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ConsoleSessionRequest request, AuthenticationRequestContext context) {
        return sessions.find(request.token()).map(session -> {
            if (session == null) {
                throw new AuthenticationFailedException();
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(session.workspaceId().toString()))
                    .addRole(CONSOLE)
                    .addAttribute(Roles.WORKSPACE_ID, session.workspaceId())
                    .addAttribute(CSRF_TOKEN, session.csrfToken())
                    .build();
        });
    }
}
