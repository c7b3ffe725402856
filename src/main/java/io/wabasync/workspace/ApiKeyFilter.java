package io.wabasync.workspace;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.smallrye.mutiny.Uni;
import io.wabasync.common.ErrorMappers;

/**
 * Authenticates every {@code /open/**} and {@code /api/v3/**} request by its workspace key, sent
 * 2Chat-style ({@code X-User-API-Key}) or LancePilot-style ({@code Authorization: Bearer}).
 */
public class ApiKeyFilter {

    static final String TWO_CHAT_HEADER = "X-User-API-Key";

    private final WorkspaceService workspaces;
    private final Caller caller;

    public ApiKeyFilter(WorkspaceService workspaces, Caller caller) {
        this.workspaces = workspaces;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/open/") && !path.startsWith("/api/v3/")) {
            return Uni.createFrom().nullItem();
        }
        String key = request.getHeaderString(TWO_CHAT_HEADER);
        if (key == null || key.isBlank()) {
            key = BearerToken.from(request.getHeaderString("Authorization"));
        }
        if (key == null || key.isBlank() || key.length() > 200) {
            return Uni.createFrom().item(unauthorized());
        }
        return workspaces.workspaceOfKey(key.strip()).map(workspaceId -> {
            if (workspaceId == null) {
                return unauthorized();
            }
            caller.authenticatedAs(workspaceId);
            return null;
        });
    }

    private static Response unauthorized() {
        return ErrorMappers.error(401,
                "Missing or unknown API key: send it as X-User-API-Key or Authorization: Bearer <key>");
    }
}
