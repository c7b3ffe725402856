package io.wabasync.template;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.channel.Channel;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.common.Secrets;
import io.wabasync.common.Timestamps;
import io.wabasync.common.ValidationFailure;
import io.wabasync.meta.MetaApiException;
import io.wabasync.meta.MetaClient;
import io.wabasync.meta.MetaConfig;
import io.wabasync.meta.MetaRateLimitException;
import io.wabasync.meta.MetaTransientException;
import io.wabasync.template.store.StoredTemplate;
import io.wabasync.template.store.TemplateStore;

/**
 * Templates made through wabasync, with LancePilot's bodies and answers. A create reaches Meta at
 * most once per template: Meta refuses a second create of a name and language, and when a create
 * ends without Meta's answer, Meta is asked (a read by name) whether it made the template before
 * anything is tried again. Nothing is stored that Meta does not have.
 */
@ApplicationScoped
public class TemplateManagement {

    private static final Logger LOG = Logger.getLogger(TemplateManagement.class);
    /** Meta's words for "this name already has content in this language" and "this name is being deleted". */
    private static final int DUPLICATE_SUBCODE = 2388024;
    private static final int NAME_BEING_DELETED_SUBCODE = 2388023;
    private static final Set<String> EDITABLE = Set.of("APPROVED", "REJECTED", "PAUSED");
    private static final Duration EDIT_DAY = Duration.ofHours(24);
    private static final Duration EDIT_MONTH = Duration.ofDays(30);
    private static final int EDITS_PER_MONTH = 10;
    private static final String APPROVED_EDITS = """
            SELECT edited_at FROM template_edit WHERE template_id = $1 AND was_approved AND edited_at > $2
            ORDER BY edited_at
            """;


    private static final String RECORD_EDIT = """
            INSERT INTO template_edit (id, template_id, edited_at, was_approved) VALUES ($1, $2, $3, $4)
            """;

    private final ChannelService channels;
    private final MetaClient meta;
    private final MetaConfig metaConfig;
    private final MediaFiles mediaFiles;
    private final Vertx vertx;
    private final TemplateRepository templates;
    private final IdempotencyKeys idempotencyKeys;
    private final TemplateStore store;
    private final Pool pool;
    private final ObjectMapper json;

    public TemplateManagement(ChannelService channels, MetaClient meta, MetaConfig metaConfig, MediaFiles mediaFiles,
            Vertx vertx, TemplateRepository templates, IdempotencyKeys idempotencyKeys, TemplateStore store,
            Pool pool, ObjectMapper json) {
        this.channels = channels;
        this.meta = meta;
        this.metaConfig = metaConfig;
        this.mediaFiles = mediaFiles;
        this.vertx = vertx;
        this.templates = templates;
        this.idempotencyKeys = idempotencyKeys;
        this.store = store;
        this.pool = pool;
        this.json = json;
    }

    /** LancePilot's create; with an Idempotency-Key a repeat answers the first answer. */
    public Uni<IdempotencyKeys.Answer> create(UUID workspaceId, JsonNode body, String idempotencyKey) {
        return create(workspaceId, body, null, idempotencyKey);
    }

    /** LancePilot's create with its media file in the request (multipart): {@code template} JSON and {@code file}. */
    public Uni<IdempotencyKeys.Answer> createWithFile(UUID workspaceId, String template, java.nio.file.Path file,
            String idempotencyKey) {
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
        var errors = TemplateRules.check(body, attached != null);
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ValidationFailure(errors));
        }
        boolean upload = attached != null || body.path("header").path("media").hasNonNull("file");
        if (upload && metaConfig.appId().isEmpty()) {
            return Uni.createFrom().failure(new ValidationFailure(attached != null ? "file" : "header.media.file",
                    "uploading a media file needs the Meta app id (WABASYNC_META_APP_ID); without it, give "
                            + "header.media.handle from Meta's Resumable Upload API"));
        }
        if (!upload) {
            metaRequest(body); // a body the conversion refuses is refused now, before anything else
        }
        if (idempotencyKey == null) {
            return create(workspaceId, body, attached, false);
        }
        String digest = Secrets.sha256Hex(("create\n" + body.toString() + "\n"
                + (attached == null ? "" : Secrets.sha256Hex(attached))).getBytes(StandardCharsets.UTF_8));
        return idempotencyKeys.once(workspaceId, idempotencyKey, digest,
                outcomeUnknown -> create(workspaceId, body, attached, outcomeUnknown));
    }

    private Uni<IdempotencyKeys.Answer> create(UUID workspaceId, JsonNode body, byte[] attached, boolean outcomeUnknown) {
        return channelFor(workspaceId, text(body, "phone_number"))
                .chain(channel -> {
                    String token = channels.accessToken(channel.accessTokenEnc);
                    return withHandle(body, attached, token).chain(complete -> {
                        ObjectNode request = metaRequest(complete);
                        Uni<Made> made = outcomeUnknown
                                ? askMeta(channel, token, request).chain(found -> found.isPresent()
                                        ? Uni.createFrom().item(found.get()) : createAtMeta(channel, token, request, true))
                                : createAtMeta(channel, token, request, true);
                        return made.chain(m -> store(channel, request, m))
                                .chain(id -> view(workspaceId, id, channel.phoneNumber));
                    });
                })
                .map(view -> new IdempotencyKeys.Answer(201, json.valueToTree(
                        new LancePilotWrite(201, "Resource created successfully.", view))));
    }

    /**
     * LancePilot's update: the same body as a create. Name and language cannot change; Meta's edit
     * rules are checked first (which statuses, an approved template's category, an approved
     * template's edits per day and month); on Meta's success the template is UPDATING until Meta's
     * verdict comes (webhook, reconciliation or sync).
     */
    public Uni<IdempotencyKeys.Answer> edit(UUID workspaceId, String templateId, JsonNode body) {
        var errors = new LinkedHashMap<>(TemplateRules.check(body));
        return findTemplate(workspaceId, templateId).chain(template -> {
            if (!errors.containsKey("name") && !template.name.equals(body.path("name").asText())) {
                errors.put("name", List.of("cannot change: create a new template under the new name"));
            }
            if (!errors.containsKey("language") && !template.language.equals(body.path("language").asText())) {
                errors.put("language", List.of("cannot change: create the template in the other language"));
            }
            String category = body.path("category").asText().toUpperCase(Locale.ROOT);
            boolean approved = "APPROVED".equals(template.status);
            if (!errors.containsKey("category") && approved && !category.equals(template.category)) {
                errors.put("category", List.of("an approved template's category cannot change"));
            }
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(new ValidationFailure(errors));
            }
            if (!EDITABLE.contains(template.status)) {
                return Uni.createFrom().failure(ApiException.conflict("Only APPROVED, REJECTED or PAUSED templates can "
                        + "be edited; this one is " + template.status));
            }
            if (template.locked) {
                return Uni.createFrom().failure(ApiException.conflict("Meta has locked this template against edits"));
            }
            ObjectNode request = metaRequest(body);
            ObjectNode metaEdit = json.createObjectNode();
            metaEdit.set("components", request.get("components"));
            if (!category.equals(template.category)) {
                metaEdit.put("category", category);
            }
            return withinEditLimits(template, approved)
                    .chain(() -> channels.find(template.channelId))
                    .chain(channel -> meta.editTemplate(template.providerId, channels.accessToken(channel.accessTokenEnc),
                            metaEdit)
                            .onFailure(MetaApiException.class).transform(refusal -> refused((MetaApiException) refusal, "edit"))
                            .chain(() -> storeEdit(template, request, category, approved))
                            .chain(() -> view(workspaceId, template.id, channel.phoneNumber)))
                    .map(view -> new IdempotencyKeys.Answer(200, json.valueToTree(
                            new LancePilotWrite(200, "Resource updated successfully.", view))));
        });
    }

    /** Meta's limits on editing an approved template, counted here: 429 with when the next edit is allowed. */
    private Uni<Void> withinEditLimits(Template template, boolean approved) {
        if (!approved) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = Timestamps.nowAtUtc();
        return pool.preparedQuery(APPROVED_EDITS).execute(Tuple.of(template.id, now.minus(EDIT_MONTH))).map(rows -> {
            List<OffsetDateTime> edits = new ArrayList<>();
            rows.forEach(row -> edits.add(row.getOffsetDateTime("edited_at")));
            OffsetDateTime last = edits.isEmpty() ? null : edits.get(edits.size() - 1);
            if (last != null && last.isAfter(now.minus(EDIT_DAY))) {
                throw new ApiException(429, "Meta allows one edit of an approved template in 24 hours; the next edit "
                        + "is allowed from " + last.plus(EDIT_DAY));
            }
            if (edits.size() >= EDITS_PER_MONTH) {
                throw new ApiException(429, "Meta allows 10 edits of an approved template in 30 days; the next edit "
                        + "is allowed from " + edits.get(edits.size() - EDITS_PER_MONTH).plus(EDIT_MONTH));
            }
            return null;
        });
    }

    /** The edit as Meta took it: the template is UPDATING until Meta's verdict, and the edit is counted. */
    private Uni<Void> storeEdit(Template template, ObjectNode request, String category, boolean approved) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        return pool.withTransaction(connection -> store.lock(connection, template.id).chain(stored -> {
            stored.edited(request.get("components"), category, now, TemplateStatusChange.SOURCE_API);
            return store.write(connection, List.of(stored), now);
        }).chain(() -> connection.preparedQuery(RECORD_EDIT).execute(Tuple.of(UUID.randomUUID(), template.id, now,
                approved)))).replaceWithVoid();
    }

    @WithSession
    Uni<Template> findTemplate(UUID workspaceId, String templateId) {
        return Uni.createFrom().item(() -> TemplateService.number(templateId))
                .chain(number -> templates.findByNumberInWorkspace(workspaceId, number))
                .onItem().ifNull().failWith(() -> ApiException.notFound("Template not found"));
    }

    /**
     * The body with its media file turned into Meta's handle: the file (fetched from its URL, or as it
     * came with the request) checked and uploaded through Meta's Resumable Upload API.
     */
    private Uni<JsonNode> withHandle(JsonNode body, byte[] attached, String token) {
        JsonNode media = body.path("header").path("media");
        String type = media.path("type").asText();
        Uni<MediaFiles.Media> file;
        if (attached != null) {
            file = Uni.createFrom().item(() -> MediaFiles.checked(attached, type));
        } else if (media.hasNonNull("file")) {
            file = mediaFiles.fetch(media.get("file").asText(), type);
        } else {
            return Uni.createFrom().item(body);
        }
        return file.chain(m -> meta.uploadMedia(metaConfig.appId().orElseThrow(), token, m.bytes(), m.mimeType())
                .onFailure(MetaApiException.class).transform(refusal -> refused((MetaApiException) refusal, "upload")))
                .map(handle -> {
                    ObjectNode complete = ((ObjectNode) body).deepCopy();
                    ObjectNode withHandle = complete.with("header").with("media");
                    withHandle.remove("file");
                    withHandle.put("handle", handle);
                    return complete;
                });
    }

    /** What Meta made: its id, status and category. */
    private record Made(String id, String status, String category) {
    }

    /**
     * One create at Meta. Without an answer, Meta is asked whether the template is there; only when
     * Meta says it is not is the create sent once more ({@code mayRetry}), and Meta itself refuses a
     * second one if the first arrives late after all.
     */
    private Uni<Made> createAtMeta(Channel channel, String token, ObjectNode request, boolean mayRetry) {
        return meta.createTemplate(channel.wabaId, token, request)
                .map(created -> new Made(created.id(), created.status(), created.category()))
                .onFailure(this::outcomeUnknown).recoverWithUni(lost -> {
                    LOG.infof("Create of %s/%s at Meta ended without an answer (%s); asking Meta whether it was made",
                            request.path("name").asText(), request.path("language").asText(), lost.getMessage());
                    return askMeta(channel, token, request)
                            .onFailure().transform(unreachable -> new ApiException(504,
                                    "Meta did not answer the create, and could not be asked whether it made the template: "
                                            + "retry with the same Idempotency-Key, or sync the number, to find out"))
                            .chain(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                                    : mayRetry ? createAtMeta(channel, token, request, false)
                                            : Uni.createFrom().failure(new ApiException(504,
                                                    "Meta did not answer the create twice; nothing was made")));
                })
                .onFailure(MetaApiException.class).transform(refusal -> refused((MetaApiException) refusal, "create"));
    }

    /** Meta's template of that name in that language, if Meta has it. */
    private Uni<Optional<Made>> askMeta(Channel channel, String token, ObjectNode request) {
        String name = request.path("name").asText();
        String language = request.path("language").asText();
        return meta.templatesNamed(channel.wabaId, token, name).map(found -> found.stream()
                .filter(t -> language.equals(t.language()))
                .findFirst()
                .map(t -> new Made(t.id(), t.status(), t.category())));
    }

    private boolean outcomeUnknown(Throwable failure) {
        return failure instanceof MetaTransientException transientFailure
                && (transientFailure.httpStatus() == 0 || transientFailure.httpStatus() >= 500);
    }

    /** Meta's refusal in Meta's words: a duplicate or a name still blocked 409, a rate limit 429, others 400. */
    private static ApiException refused(MetaApiException e, String action) {
        Integer subcode = e.graphSubcode();
        // Meta's words without the hint a sync adds for code 100 (a wrong WABA id), which does not apply here.
        String words = e.getMessage() == null ? "" : e.getMessage().split(" — ", 2)[0];
        if (e instanceof MetaRateLimitException) {
            return new ApiException(429, "Meta refuses this template " + action + " for now: " + words);
        }
        if (subcode != null && (subcode == DUPLICATE_SUBCODE || subcode == NAME_BEING_DELETED_SUBCODE)) {
            return ApiException.conflict(words);
        }
        if (e.kind() == MetaApiException.Kind.TRANSIENT) {
            return new ApiException(502, "Meta could not " + action + " the template: " + words);
        }
        return ApiException.badRequest("Meta refused the template " + action + ": " + words);
    }

    /** The workspace's channel the template is for: the one named, or its only one. */
    private Uni<Channel> channelFor(UUID workspaceId, String phoneNumber) {
        return channels.list(workspaceId).map(list -> {
            if (phoneNumber != null) {
                return list.stream().filter(c -> c.phoneNumber.equals(phoneNumber)).findFirst()
                        .orElseThrow(() -> new ValidationFailure("phone_number",
                                phoneNumber + " is not connected in this workspace"));
            }
            if (list.size() == 1) {
                return list.get(0);
            }
            throw new ValidationFailure("phone_number", list.isEmpty()
                    ? "this workspace has no connected number: connect one first"
                    : "is required: this workspace has " + list.size() + " numbers; say which one the template is for");
        });
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

    /** Stores what Meta made (a sync that stored it first wins), with its first history entry. */
    private Uni<UUID> store(Channel channel, ObjectNode request, Made made) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        StoredTemplate template = StoredTemplate.made(channel.workspaceId, channel.id, made.id(),
                request.path("name").asText(), request.path("language").asText(),
                made.status() == null ? "PENDING" : made.status(),
                made.category() == null ? request.path("category").asText() : made.category(),
                request.get("components"), "POSITIONAL", now, TemplateStatusChange.SOURCE_API);
        return pool.withTransaction(connection -> store.write(connection, List.of(template), now))
                .chain(() -> idOf(channel.id, made.id()));
    }

    @WithSession
    Uni<UUID> idOf(UUID channelId, String providerId) {
        return templates.find("channelId = ?1 and providerId = ?2", channelId, providerId).firstResult()
                .map(t -> t.id);
    }

    @WithSession
    Uni<TemplateView> view(UUID workspaceId, UUID id, String phoneNumber) {
        return templates.findInWorkspace(workspaceId, id).map(t -> TemplateView.of(t, phoneNumber));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
