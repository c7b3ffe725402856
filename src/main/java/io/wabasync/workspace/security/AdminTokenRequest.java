package io.wabasync.workspace.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The bearer token of an operator API request, to be checked by {@link AdminTokenIdentityProvider}. */
public final class AdminTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    AdminTokenRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    /** Never the token: requests can end up in log lines and exception messages. */
    @Override
    public String toString() {
        return "AdminTokenRequest[token=<redacted>]";
    }
}
