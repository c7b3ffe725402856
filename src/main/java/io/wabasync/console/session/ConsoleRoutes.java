package io.wabasync.console.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.wabasync.common.WabasyncConfig;

/**
 * What holds for every /console path before any page runs: with the console switched off
 * (WABASYNC_CONSOLE_ENABLED=false) each is 404, static files included; and a POST that a browser
 * says came from another site is refused (403) before it is read, so neither the sign-in form nor
 * any other can be submitted from elsewhere (the per-form token guards the rest).
 */
@ApplicationScoped
public class ConsoleRoutes {

    private final boolean enabled;

    public ConsoleRoutes(WabasyncConfig config) {
        this.enabled = config.console().enabled();
    }

    void install(@Observes Router router) {
        router.route("/console*").order(Integer.MIN_VALUE).handler(context -> {
            if (!enabled) {
                context.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("Not found: the console is switched off (WABASYNC_CONSOLE_ENABLED=false)");
                return;
            }
            if (context.request().method() == HttpMethod.POST && fromAnotherSite(context.request().getHeader("Origin"),
                    context.request().getHeader("Sec-Fetch-Site"), context.request().getHeader("Host"))) {
                context.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("Refused: a console form may only be sent from the console's own pages");
                return;
            }
            context.next();
        });
    }

    static boolean fromAnotherSite(String origin, String fetchSite, String host) {
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        if (origin == null || host == null) {
            return false;
        }
        return !origin.equalsIgnoreCase("http://" + host) && !origin.equalsIgnoreCase("https://" + host);
    }
}
