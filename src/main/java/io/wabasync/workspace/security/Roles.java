package io.wabasync.workspace.security;

/**
 * What an authenticated caller is: the roles that {@code @RolesAllowed} names, and the attribute
 * that carries a workspace key's workspace.
 */
public final class Roles {

    /** A caller that sent a workspace's API key (either header). */
    public static final String WORKSPACE = "workspace";

    /** The operator, who sent the admin token. */
    public static final String ADMIN = "admin";

    /** The {@code SecurityIdentity} attribute holding the key's workspace id, a {@link java.util.UUID}. */
    public static final String WORKSPACE_ID = "wabasync.workspace-id";

    private Roles() {
    }
}
