package io.wabasync.workspace.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A workspace API key as a request sent it, to be looked up by {@link WorkspaceKeyIdentityProvider}. */
public final class WorkspaceKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    WorkspaceKeyRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    /** Never the key: requests can end up in log lines and exception messages. */
    @Override
    public String toString() {
        return "WorkspaceKeyRequest[key=<redacted>]";
    }
}
