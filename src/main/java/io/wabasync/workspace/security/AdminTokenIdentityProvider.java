package io.wabasync.workspace.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.Secrets;
import io.wabasync.common.WabasyncConfig;

/**
 * The configured admin token (WABASYNC_ADMIN_TOKEN) → the operator's identity, role
 * {@link Roles#ADMIN}. Compared in constant time; without a configured token nothing matches, so
 * the operator API stays closed.
 */
@ApplicationScoped
public class AdminTokenIdentityProvider implements IdentityProvider<AdminTokenRequest> {

    private final WabasyncConfig config;

    public AdminTokenIdentityProvider(WabasyncConfig config) {
        this.config = config;
    }

    @Override
    public Class<AdminTokenRequest> getRequestType() {
        return AdminTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(AdminTokenRequest request, AuthenticationRequestContext context) {
        String expected = config.adminToken().filter(t -> !t.isBlank()).orElse(null);
        if (!Secrets.matches(expected, request.token())) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("operator"))
                .addRole(Roles.ADMIN)
                .build());
    }
}
