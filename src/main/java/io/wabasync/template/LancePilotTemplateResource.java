package io.wabasync.template;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import io.smallrye.mutiny.Uni;
import io.wabasync.channel.PhoneNumbers;
import io.wabasync.common.Paged;
import io.wabasync.common.QueryParams;
import io.wabasync.common.Single;
import io.wabasync.workspace.Caller;

/** LancePilot's template list and template detail. */
@Path("/api/v3/workspaces/{workspace}/templates")
@Produces(MediaType.APPLICATION_JSON)
public class LancePilotTemplateResource {

    private final TemplateService templates;
    private final Caller caller;

    public LancePilotTemplateResource(TemplateService templates, Caller caller) {
        this.templates = templates;
        this.caller = caller;
    }

    @GET
    public Uni<Paged<TemplateView>> list(@PathParam("workspace") String workspace,
            @QueryParam("status") String status, @QueryParam("phone_number") String phoneNumber,
            @QueryParam("name") String name, @QueryParam("language") String language,
            @QueryParam("page") String page, @QueryParam("per_page") String perPage, @Context UriInfo request) {
        TemplateFilter filter = new TemplateFilter(
                QueryParams.text(status, "status", 40),
                phoneNumber == null || phoneNumber.isEmpty() ? null : PhoneNumbers.fromQuery(phoneNumber),
                QueryParams.text(name, "name", 512),
                QueryParams.text(language, "language", 20));
        return templates.page(caller.workspace(workspace), filter, QueryParams.onePage(page), QueryParams.perPage(perPage))
                .map(paged -> paged.linkedFrom(request));
    }

    @GET
    @Path("{id}")
    public Uni<Single<TemplateDetailView>> one(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return templates.detail(caller.workspace(workspace), id).map(Single::of);
    }
}
