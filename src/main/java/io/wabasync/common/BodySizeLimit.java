package io.wabasync.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Refuses a body over {@code wabasync.http.max-body-size} before it is read, in the contract's
 * JSON shape. (Quarkus' own limit, set higher for bodies without a length, answers with an empty
 * 413 after reading; this one answers first and says why.)
 */
@ApplicationScoped
@RegisterForReflection
public class BodySizeLimit {

    private final long maxBytes;
    private final long webhookMaxBytes;
    private final long mediaMaxBytes;

    public BodySizeLimit(WabasyncConfig config) {
        this.maxBytes = config.http().maxBodySize();
        this.webhookMaxBytes = config.http().webhookMaxBodySize();
        this.mediaMaxBytes = config.http().mediaMaxBodySize();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            long limit = context.request().path().startsWith("/webhooks/") ? webhookMaxBytes
                    : isTemplateWithFile(context.request()) ? mediaMaxBytes : maxBytes;
            if (length != null && tooLarge(length, limit)) {
                context.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close").end(new JsonObject().put("success", false)
                                .put("message", "Request body too large: at most " + limit + " bytes").encode());
                return;
            }
            context.next();
        });
    }

    /** A template create that carries its media file (multipart, LancePilot's "uploaded file"). */
    private static boolean isTemplateWithFile(io.vertx.core.http.HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        return request.method() == io.vertx.core.http.HttpMethod.POST && request.path().endsWith("/templates")
                && type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    private static boolean tooLarge(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
