package io.wabasync.webhook;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.wabasync.common.ApiMessage;

/** Meta's template webhooks. Authenticated by Meta's signature, not by an API key. */
@Path("/webhooks/meta")
@Tag(name = "Meta webhooks")
public class WebhookResource {

    private final WebhookIntake intake;

    public WebhookResource(WebhookIntake intake) {
        this.intake = intake;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Meta's subscription handshake: echoes hub.challenge when hub.verify_token matches")
    @APIResponse(responseCode = "200", description = "hub.challenge, as plain text")
    @APIResponse(responseCode = "403", description = "Not our verify token, not a subscribe request, or no token configured",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    public String verify(@QueryParam("hub.mode") String mode, @QueryParam("hub.verify_token") String verifyToken,
            @QueryParam("hub.challenge") String challenge) {
        return intake.handshake(mode, verifyToken, challenge);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A webhook delivery, signed with X-Hub-Signature-256; stored, acknowledged, then applied")
    @APIResponse(responseCode = "200", description = "Stored (or recognised as a redelivery); applied right after")
    @APIResponse(responseCode = "400", description = "Not JSON, or not a delivery (nothing stored)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    @APIResponse(responseCode = "401", description = "No X-Hub-Signature-256 (nothing stored)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    @APIResponse(responseCode = "403", description = "The signature does not match the body, or no app secret is configured",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    @APIResponse(responseCode = "413", description = "Larger than WABASYNC_HTTP_WEBHOOK_MAX_BODY_SIZE",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
    public Uni<ApiMessage> receive(@HeaderParam("X-Hub-Signature-256") String signature, byte[] body) {
        // The raw bytes: the signature is over them, so nothing may parse or re-encode them first.
        return intake.receive(signature, body == null ? new byte[0] : body);
    }
}
