package io.wabasync.template.twochat;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.PhoneNumbers;
import io.wabasync.common.QueryParams;
import io.wabasync.workspace.Caller;
import io.wabasync.workspace.security.Roles;
import io.wabasync.workspace.security.WorkspaceKeyMechanism;

/** 2Chat's "Get WABA Templates": the stored templates of one phone number. */
@Path("/open/waba/templates")
@Produces(MediaType.APPLICATION_JSON)
@HttpAuthenticationMechanism(WorkspaceKeyMechanism.SCHEME)
@RolesAllowed(Roles.WORKSPACE)
public class TwoChatTemplateResource {

    static final int DEFAULT_PAGE_SIZE = 50;

    private final TwoChatTemplates templates;
    private final Caller caller;

    public TwoChatTemplateResource(TwoChatTemplates templates, Caller caller) {
        this.templates = templates;
        this.caller = caller;
    }

    @GET
    public Uni<TwoChatTemplatePage> list(@QueryParam("phone_number") String phoneNumber,
            @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        String number = PhoneNumbers.fromQuery(phoneNumber);
        int pageIndex = QueryParams.intParam(page, "page", 0, 0, 1_000_000);
        int size = QueryParams.intParam(perPage, "per_page", DEFAULT_PAGE_SIZE, 1, 100);
        return templates.page(caller.workspaceId(), number, pageIndex, size);
    }
}
