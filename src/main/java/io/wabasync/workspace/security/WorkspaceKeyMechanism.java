package io.wabasync.workspace.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a workspace key, sent 2Chat-style ({@code X-User-API-Key}) or LancePilot-style
 * ({@code Authorization: Bearer}); the first wins when both are sent. Used by the resources that
 * name it with {@code @HttpAuthenticationMechanism(WorkspaceKeyMechanism.SCHEME)}; authentication
 * is not proactive, so nothing else ever reads these headers.
 */
@ApplicationScoped
public class WorkspaceKeyMechanism implements HttpAuthenticationMechanism {

    /** The name resources select this mechanism by. */
    public static final String SCHEME = "workspace-key";

    /** What a request without a key, or with one that is not a workspace's, is told (401). */
    static final String REJECTED =
            "Missing or unknown API key: send it as X-User-API-Key or Authorization: Bearer <key>";

    static final String TWO_CHAT_HEADER = "X-User-API-Key";

    private static final HttpCredentialTransport TRANSPORT =
            new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, TWO_CHAT_HEADER, SCHEME);

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String key = context.request().getHeader(TWO_CHAT_HEADER);
        if (key == null || key.isBlank()) {
            key = BearerToken.from(context.request().getHeader("Authorization"));
        }
        if (key == null || key.isBlank()) {
            // No credentials: anonymous, which the endpoint's @RolesAllowed refuses with 401.
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new WorkspaceKeyRequest(key));
    }

    /** No WWW-Authenticate header: the 401's JSON body says what to send (AuthenticationFailures). */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(WorkspaceKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(TRANSPORT);
    }
}
