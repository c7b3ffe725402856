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
 * Reads the operator's token from {@code Authorization: Bearer}. Used by the operator API, which
 * names it with {@code @HttpAuthenticationMechanism(AdminTokenMechanism.SCHEME)}.
 */
@ApplicationScoped
public class AdminTokenMechanism implements HttpAuthenticationMechanism {

    /** The name the operator API selects this mechanism by. */
    public static final String SCHEME = "admin-token";

    /** What a request without the token, or with another one, is told (401); also when none is configured. */
    public static final String REJECTED = "A valid operator token is required (Authorization: Bearer <admin token>)";

    private static final HttpCredentialTransport TRANSPORT =
            new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer", SCHEME);

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String token = BearerToken.from(context.request().getHeader("Authorization"));
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new AdminTokenRequest(token));
    }

    /** No WWW-Authenticate header: the 401's JSON body says what to send (AdminResource). */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(AdminTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(TRANSPORT);
    }
}
