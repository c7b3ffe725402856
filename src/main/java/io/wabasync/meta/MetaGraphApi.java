package io.wabasync.meta;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import io.smallrye.mutiny.Uni;

/** Meta's Graph API as far as we use it. Only {@link MetaClient} talks to it. */
@RegisterRestClient(configKey = "meta")
@Produces(MediaType.APPLICATION_JSON)
interface MetaGraphApi {

    String USAGE_HEADER = "X-Business-Use-Case-Usage";

    @GET
    @Path("/{version}/{wabaId}/message_templates")
    Uni<RestResponse<MetaTemplatePage>> messageTemplates(@PathParam("version") String version,
            @PathParam("wabaId") String wabaId,
            @HeaderParam("Authorization") String authorization,
            @QueryParam("fields") String fields,
            @QueryParam("limit") int limit,
            @QueryParam("after") String after);

    @GET
    @Path("/{version}/{wabaId}/phone_numbers")
    Uni<MetaPhoneNumbers> phoneNumbers(@PathParam("version") String version, @PathParam("wabaId") String wabaId,
            @HeaderParam("Authorization") String authorization,
            @QueryParam("fields") String fields);

    @POST
    @Path("/{version}/{wabaId}/message_templates")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<MetaCreatedTemplate> createTemplate(@PathParam("version") String version, @PathParam("wabaId") String wabaId,
            @HeaderParam("Authorization") String authorization, JsonNode template);

    /** Resumable Upload API, step 1: a session for a file of this length and type. */
    @POST
    @Path("/{version}/{appId}/uploads")
    Uni<JsonNode> startUpload(@PathParam("version") String version, @PathParam("appId") String appId,
            @HeaderParam("Authorization") String authorization,
            @QueryParam("file_length") long fileLength,
            @QueryParam("file_type") String fileType);

    /** Step 2: the bytes, from offset 0; the answer's {@code h} is the handle. */
    @POST
    @Path("/{version}/{session}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    Uni<JsonNode> upload(@PathParam("version") String version, @PathParam("session") String session,
            @QueryParam("sig") String signature,
            @HeaderParam("Authorization") String authorization,
            @HeaderParam("file_offset") String offset,
            byte[] bytes);

    @POST
    @Path("/{version}/{templateId}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> editTemplate(@PathParam("version") String version, @PathParam("templateId") String templateId,
            @HeaderParam("Authorization") String authorization, JsonNode edit);

    @DELETE
    @Path("/{version}/{wabaId}/message_templates")
    Uni<JsonNode> deleteTemplate(@PathParam("version") String version, @PathParam("wabaId") String wabaId,
            @HeaderParam("Authorization") String authorization,
            @QueryParam("name") String name,
            @QueryParam("hsm_id") String templateId);

    @GET
    @Path("/{version}/{wabaId}/message_templates")
    Uni<MetaTemplatePage> templatesNamed(@PathParam("version") String version, @PathParam("wabaId") String wabaId,
            @HeaderParam("Authorization") String authorization,
            @QueryParam("fields") String fields,
            @QueryParam("name") String name);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        GraphErrorEnvelope.GraphError error = null;
        try {
            response.bufferEntity();
            GraphErrorEnvelope envelope = response.readEntity(GraphErrorEnvelope.class);
            error = envelope == null ? null : envelope.error();
        } catch (RuntimeException unreadable) {
            // Not Graph's JSON (a proxy's HTML page, an empty body): the status alone has to do.
        }
        return MetaFailures.fromAnswer(response.getStatus(), error,
                UseCaseUsage.parse(response.getHeaderString(USAGE_HEADER)));
    }
}
