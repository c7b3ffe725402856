package io.wabasync.workspace.security;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.wabasync.common.ErrorMappers;

/**
 * Quarkus Security's refusals in the contract's shape. Quarkus answers them with a bare 401/403;
 * the API answers 401 {@code {"success": false, "message": ...}} for a missing key, an unknown one,
 * and any credential that does not grant the endpoint, without a WWW-Authenticate header.
 *
 * <p>This is the workspace endpoints' answer; the operator API maps the same exceptions to its own
 * message (AdminResource).
 */
public class AuthenticationFailures {

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class,
            ForbiddenException.class })
    public Response refused(RuntimeException e) {
        return ErrorMappers.error(401, WorkspaceKeyMechanism.REJECTED);
    }
}
