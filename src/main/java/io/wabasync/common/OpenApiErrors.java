package io.wabasync.common;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Adds to every operation what holds for all of them, so resources stay thin: the JSON error shape
 * for 4xx/5xx, and which key the operation takes.
 */
public class OpenApiErrors implements OASFilter {

    static final String TWO_CHAT_KEY = "X-User-API-Key";
    static final String BEARER_KEY = "bearer";
    private static final String ERROR_REF = "#/components/schemas/ApiError";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Schema error = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("The error shape of every 4xx and 5xx answer")
                .addProperty("success", OASFactory.createSchema().type(List.of(Schema.SchemaType.BOOLEAN)).addEnumeration(false))
                .addProperty("message", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .description("What is wrong, in plain words"))
                .required(List.of("success", "message"));
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("ApiError", error);
        openAPI.getComponents().addSecurityScheme(TWO_CHAT_KEY, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-User-API-Key")
                .description("Workspace API key, 2Chat style"));
        openAPI.getComponents().addSecurityScheme(BEARER_KEY, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("Workspace API key, LancePilot style (Authorization: Bearer <key>); the admin token on /admin"));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values()
                .forEach(operation -> decorate(path, operation)));
    }

    private static void decorate(String path, Operation operation) {
        // Meta's webhook is authenticated by its signature, not a key: its resource states its own 401/403.
        Map<String, String> errors = path.startsWith("/webhooks/")
                ? Map.of("503", "Database unavailable or instance stopping", "500", "Unexpected failure")
                : Map.of("400", "Invalid input", "401", "Missing or unknown key", "404", "Not found, or not this workspace's",
                        "503", "Database unavailable or instance stopping", "500", "Unexpected failure");
        for (Map.Entry<String, String> e : errors.entrySet()) {
            if (operation.getResponses() == null) {
                operation.setResponses(OASFactory.createAPIResponses());
            }
            if (operation.getResponses().getAPIResponse(e.getKey()) == null) {
                APIResponse response = OASFactory.createAPIResponse().description(e.getValue())
                        .content(OASFactory.createContent().addMediaType("application/json",
                                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_REF))));
                operation.getResponses().addAPIResponse(e.getKey(), response);
            }
        }
        if (path.startsWith("/admin")) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER_KEY));
        } else if (path.startsWith("/open/") || path.startsWith("/api/v3/")) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(TWO_CHAT_KEY));
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER_KEY));
        }
    }
}
