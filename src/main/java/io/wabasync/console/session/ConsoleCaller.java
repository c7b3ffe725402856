package io.wabasync.console.session;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.SecurityIdentity;
import io.wabasync.common.Secrets;
import io.wabasync.workspace.security.Roles;

/**
 * The signed-in person of the current console request: their workspace and their session's form
 * token. Resources that use it carry {@code @RolesAllowed(CONSOLE)}, so the identity is settled first.
 */
@ApplicationScoped
public class ConsoleCaller {

    private final SecurityIdentity identity;

    public ConsoleCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public UUID workspaceId() {
        return identity.getAttribute(Roles.WORKSPACE_ID);
    }

    public String csrfToken() {
        return identity.getAttribute(ConsoleSessionIdentityProvider.CSRF_TOKEN);
    }

    /** A form that changes something must carry the session's token: one posted from another site cannot. */
    public void checkForm(String csrf) {
        if (!Secrets.matches(csrfToken(), csrf)) {
            throw new FormRefused();
        }
    }

    /** A form posted without its session's token (from another site, or from a page of an ended session). */
    public static class FormRefused extends RuntimeException {

        public FormRefused() {
            super("The form did not carry this session's token", null, false, false);
        }
    }
}
