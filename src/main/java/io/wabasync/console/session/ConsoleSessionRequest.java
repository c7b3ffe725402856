package io.wabasync.console.session;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The token of a console session cookie, to be turned into its workspace's identity. */
public class ConsoleSessionRequest extends BaseAuthenticationRequest {

    private final String token;

    public ConsoleSessionRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
