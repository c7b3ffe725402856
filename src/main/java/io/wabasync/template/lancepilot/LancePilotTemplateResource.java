package io.wabasync.template.lancepilot;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.PhoneNumbers;
import io.wabasync.common.ApiMessage;
import io.wabasync.common.Paged;
import io.wabasync.common.QueryParams;
import io.wabasync.common.Single;
import io.wabasync.template.TemplateFilter;
import io.wabasync.template.management.TemplateDeletes;
import io.wabasync.workspace.Caller;
import io.wabasync.workspace.security.Roles;
import io.wabasync.workspace.security.WorkspaceKeyMechanism;

/** LancePilot's templates: the list and the detail, and create, edit and delete at Meta. */
@Path("/api/v3/workspaces/{workspace}/templates")
@Produces(MediaType.APPLICATION_JSON)
@HttpAuthenticationMechanism(WorkspaceKeyMechanism.SCHEME)
@RolesAllowed(Roles.WORKSPACE)
public class LancePilotTemplateResource {

    private final LancePilotTemplates templates;
    private final TemplateDeletes deletes;
    private final Caller caller;

    public LancePilotTemplateResource(LancePilotTemplates templates, TemplateDeletes deletes, Caller caller) {
        this.templates = templates;
        this.deletes = deletes;
        this.caller = caller;
    }

    /** LancePilot's delete: answered at once, done at Meta by a durable job (kind DELETE in sync-jobs). */
    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "Delete started: a DELETE job in sync-jobs; the template leaves "
            + "the lists once Meta confirms")
    @APIResponse(responseCode = "409", description = "DISABLED templates cannot be deleted", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    public Uni<ApiMessage> delete(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return deletes.delete(caller.workspace(workspace), id)
                .replaceWith(new ApiMessage(true, "Template deleted successfully"));
    }

    /**
     * LancePilot's create: checked against Meta's and LancePilot's rules, sent to Meta once, stored
     * with Meta's id and answer. {@code Idempotency-Key} makes a repeat answer the first answer.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Created at Meta and stored: {status: 201, message, data: the template}")
    @APIResponse(responseCode = "409", description = "Meta refused: the name exists in this language, or is being deleted; "
            + "or a request with this Idempotency-Key is in progress", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    @APIResponse(responseCode = "422", description = "This Idempotency-Key was used for another request", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    @APIResponse(responseCode = "429", description = "Meta's limit on template creations", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    @APIResponse(responseCode = "504", description = "Meta did not answer and could not be asked whether it made the "
            + "template: retry with the same Idempotency-Key", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    public Uni<Response> create(@PathParam("workspace") String workspace, JsonNode body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return templates.create(caller.workspace(workspace), body, idempotencyKey)
                .map(answer -> Response.status(answer.status()).entity(answer.body()).build());
    }

    /**
     * The same create with the header's media file in the request: a multipart form with the
     * template's JSON in {@code template} and the file (at most 16 MB) in {@code file}.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @APIResponse(responseCode = "201", description = "The file uploaded to Meta, the template created and stored")
    public Uni<Response> createWithFile(@PathParam("workspace") String workspace, @RestForm("template") String template,
            @RestForm("file") FileUpload file, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return templates.createWithFile(caller.workspace(workspace), template, file == null ? null : file.uploadedFile(),
                        idempotencyKey)
                .map(answer -> Response.status(answer.status()).entity(answer.body()).build());
    }

    /** LancePilot's update: name and language stay; Meta's edit rules first; UPDATING until Meta's verdict. */
    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "Edited at Meta: {status: 200, message, data: the template, UPDATING}")
    @APIResponse(responseCode = "409", description = "Not APPROVED, REJECTED or PAUSED, or locked by Meta", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    @APIResponse(responseCode = "429", description = "Meta's edit limits of an approved template; says when the next edit "
            + "is allowed", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    public Uni<Response> edit(@PathParam("workspace") String workspace, @PathParam("id") String id, JsonNode body) {
        return templates.edit(caller.workspace(workspace), id, body)
                .map(answer -> Response.status(answer.status()).entity(answer.body()).build());
    }

    @GET
    public Uni<Paged<LancePilotTemplateView>> list(@PathParam("workspace") String workspace,
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
    public Uni<Single<LancePilotTemplateDetailView>> one(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return templates.detail(caller.workspace(workspace), id).map(Single::of);
    }
}
