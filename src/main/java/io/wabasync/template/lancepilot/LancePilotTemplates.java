package io.wabasync.template.lancepilot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.wabasync.common.Paged;
import io.wabasync.common.Secrets;
import io.wabasync.common.ValidationFailure;
import io.wabasync.template.ListedTemplate;
import io.wabasync.template.TemplateFilter;
import io.wabasync.template.TemplateService;
import io.wabasync.template.management.IdempotencyKeys;
import io.wabasync.template.management.TemplateManagement;

/**
 * LancePilot's template API at the edge: its bodies checked by its rules and converted to Meta's
 * form, its answers ({@code {status, message, data}} with the template in its shape) made from what
 * the read path and template management return in the model's terms.
 */
@ApplicationScoped
public class LancePilotTemplates {

    private final TemplateService templates;
    private final TemplateManagement management;
    private final IdempotencyKeys idempotencyKeys;
    private final LancePilotRendering rendering;
    private final Vertx vertx;
    private final ObjectMapper json;

    LancePilotTemplates(TemplateService templates, TemplateManagement management, IdempotencyKeys idempotencyKeys,
            LancePilotRendering rendering, Vertx vertx, ObjectMapper json) {
        this.templates = templates;
        this.management = management;
        this.idempotencyKeys = idempotencyKeys;
        this.rendering = rendering;
        this.vertx = vertx;
        this.json = json;
    }

    Uni<Paged<LancePilotTemplateView>> page(UUID workspaceId, TemplateFilter filter, int page, int perPage) {
        return templates.page(workspaceId, filter, page, perPage).map(listed -> listed.map(this::view));
    }

    Uni<LancePilotTemplateDetailView> detail(UUID workspaceId, String templateId) {
        return templates.detail(workspaceId, templateId).map(LancePilotTemplateDetailView::of);
    }

    /** A listed template in LancePilot's list shape (also the template outbound webhooks carry). */
    public LancePilotTemplateView view(ListedTemplate template) {
        return LancePilotTemplateView.of(template, rendering);
    }

    /** LancePilot's create; with an Idempotency-Key a repeat answers the first answer. */
    Uni<IdempotencyKeys.Answer> create(UUID workspaceId, JsonNode body, String idempotencyKey) {
        return create(workspaceId, body, null, idempotencyKey);
    }

    /** LancePilot's create with its media file in the request (multipart): {@code template} JSON and {@code file}. */
    Uni<IdempotencyKeys.Answer> createWithFile(UUID workspaceId, String template, Path file, String idempotencyKey) {
        JsonNode body;
        try {
            body = json.readTree(template == null ? "" : template);
        } catch (Exception e) {
            return Uni.createFrom().failure(new ValidationFailure("template", "must be the template's JSON"));
        }
        if (file == null) {
            return Uni.createFrom().failure(new ValidationFailure("file", "is required in a multipart create"));
        }
        return vertx.fileSystem().readFile(file.toString())
                .chain(bytes -> create(workspaceId, body, bytes.getBytes(), idempotencyKey));
    }

    private Uni<IdempotencyKeys.Answer> create(UUID workspaceId, JsonNode body, byte[] attached, String idempotencyKey) {
        return Uni.createFrom().item(() -> checked(body, attached)).chain(template -> {
            if (idempotencyKey == null) {
                return createOnce(workspaceId, template, false);
            }
            String digest = Secrets.sha256Hex(("create\n" + body.toString() + "\n"
                    + (attached == null ? "" : Secrets.sha256Hex(attached))).getBytes(StandardCharsets.UTF_8));
            return idempotencyKeys.once(workspaceId, idempotencyKey, digest,
                    outcomeUnknown -> createOnce(workspaceId, template, outcomeUnknown));
        });
    }

    /**
     * LancePilot's create for another surface that writes LancePilot's body (the console's form):
     * the same rules, nothing sent to Meta unless they pass; no media file, no Idempotency-Key.
     */
    public Uni<TemplateManagement.Stored> createFrom(UUID workspaceId, JsonNode body) {
        return Uni.createFrom().item(() -> checked(body, null))
                .chain(template -> management.create(workspaceId, template, false));
    }

    /** LancePilot's update for another surface that writes LancePilot's body (the console's form). */
    public Uni<TemplateManagement.Stored> editFrom(UUID workspaceId, String templateId, JsonNode body) {
        return management.edit(workspaceId, templateId, editOf(body));
    }

    /** The body checked against the rules, as the template to create; a broken rule throws ValidationFailure. */
    private TemplateManagement.NewTemplate checked(JsonNode body, byte[] attached) {
        var errors = LancePilotRules.check(body, attached != null);
        if (!errors.isEmpty()) {
            throw new ValidationFailure(errors);
        }
        JsonNode media = body.path("header").path("media");
        boolean upload = attached != null || media.hasNonNull("file");
        if (upload && !management.uploadsMedia()) {
            throw new ValidationFailure(attached != null ? "file" : "header.media.file",
                    "uploading a media file needs the Meta app id (WABASYNC_META_APP_ID); without it, give "
                            + "header.media.handle from Meta's Resumable Upload API");
        }
        if (!upload) {
            metaRequest(body); // a body the conversion refuses is refused now, before anything else
        }
        TemplateManagement.MediaSource source = !upload ? null : new TemplateManagement.MediaSource(attached,
                attached != null ? null : media.get("file").asText(), media.path("type").asText());
        return new TemplateManagement.NewTemplate(text(body, "phone_number"), source,
                handle -> metaRequest(withHandle(body, handle)));
    }

    private Uni<IdempotencyKeys.Answer> createOnce(UUID workspaceId, TemplateManagement.NewTemplate template,
            boolean outcomeUnknown) {
        return management.create(workspaceId, template, outcomeUnknown)
                .chain(stored -> view(workspaceId, stored))
                .map(view -> new IdempotencyKeys.Answer(201, json.valueToTree(
                        new LancePilotWrite(201, "Resource created successfully.", view))));
    }

    /** LancePilot's update: the same body as a create; name and language stay, UPDATING until Meta's verdict. */
    Uni<IdempotencyKeys.Answer> edit(UUID workspaceId, String templateId, JsonNode body) {
        return management.edit(workspaceId, templateId, editOf(body))
                .chain(stored -> view(workspaceId, stored))
                .map(view -> new IdempotencyKeys.Answer(200, json.valueToTree(
                        new LancePilotWrite(200, "Resource updated successfully.", view))));
    }

    private TemplateManagement.Edit editOf(JsonNode body) {
        return new TemplateManagement.Edit(body.path("name").asText(), body.path("language").asText(),
                body.path("category").asText().toUpperCase(Locale.ROOT),
                new LinkedHashMap<>(LancePilotRules.check(body)), () -> metaRequest(body));
    }

    private Uni<LancePilotTemplateView> view(UUID workspaceId, TemplateManagement.Stored stored) {
        return templates.find(workspaceId, stored.id())
                .map(found -> LancePilotTemplateView.of(found.template(), stored.phoneNumber()));
    }

    /** The body with Meta's handle of its uploaded media file in place of the file. */
    private static JsonNode withHandle(JsonNode body, String handle) {
        if (handle == null) {
            return body;
        }
        ObjectNode complete = ((ObjectNode) body).deepCopy();
        ObjectNode media = complete.with("header").with("media");
        media.remove("file");
        media.put("handle", handle);
        return complete;
    }

    /** The body Meta's create takes: the components from LancePilot's object, the one conversion both ways. */
    private static ObjectNode metaRequest(JsonNode body) {
        ObjectNode lancePilot = ((ObjectNode) body).deepCopy();
        String category = lancePilot.path("category").asText().toUpperCase(Locale.ROOT);
        ArrayNode components;
        try {
            components = LancePilotComponents.toMeta(lancePilot);
        } catch (IllegalArgumentException e) {
            throw new ValidationFailure("components", e.getMessage());
        }
        ObjectNode request = lancePilot.objectNode();
        request.put("name", body.path("name").asText());
        request.put("language", body.path("language").asText());
        request.put("category", category);
        request.set("components", components);
        return request;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
