package io.wabasync.console;

import java.net.URI;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;
import io.wabasync.common.ApiException;
import io.wabasync.console.view.Nav;
import io.wabasync.console.view.Pages;

/** The answers every console resource gives alike. */
final class Responses {

    private Responses() {
    }

    /** After a form: the browser goes on to the page with GET (a reload does not post again). */
    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    static Response seeOther(String path, NewCookie cookie) {
        return Response.seeOther(URI.create(path)).cookie(cookie).build();
    }

    static Response page(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }

    /** The same answer for a template or number that does not exist and for one of another workspace. */
    static Response notFound(Nav nav, String what) {
        return page(404, Pages.message(nav, "Not found", what + " does not exist in your workspace."));
    }

    static Response failed(Nav nav, ApiException e) {
        return page(e.status(), Pages.message(nav, e.status() == 404 ? "Not found" : "Not done", e.getMessage()));
    }

    static Response signInFirst() {
        return seeOther("/console");
    }

    static Response formRefused() {
        return page(403, Pages.message(null, "Form refused",
                "This form did not come from your current session (it may be older than your last sign-in). "
                        + "Go back, reload the page and send it again."));
    }
}
