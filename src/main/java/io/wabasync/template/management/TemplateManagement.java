package io.wabasync.template.management;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.channel.Channel;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.common.Timestamps;
import io.wabasync.common.ValidationFailure;
import io.wabasync.meta.MetaApiException;
import io.wabasync.meta.MetaClient;
import io.wabasync.meta.MetaConfig;
import io.wabasync.meta.MetaRateLimitException;
import io.wabasync.meta.MetaTransientException;
import io.wabasync.template.StatusHistoryEntry;
import io.wabasync.template.Template;
import io.wabasync.template.TemplateRepository;
import io.wabasync.template.TemplateService;
import io.wabasync.template.store.StoredTemplate;
import io.wabasync.template.store.TemplateStore;

/**
 * Template management at Meta, in Meta's terms: create and edit (delete is {@link TemplateDeletes}).
 * The surface that asked checks its own body and says what to send; this class finds the number,
 * uploads the media file, calls Meta and stores what Meta made through the template store. A create
 * reaches Meta at most once per template: Meta refuses a second create of a name and language, and
 * when a create ends without Meta's answer, Meta is asked (a read by name) whether it made the
 * template before anything is tried again. Nothing is stored that Meta does not have.
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
    private final TemplateRepository templates;
    private final TemplateStore store;
    private final Pool pool;
    private final ObjectMapper json;

    public TemplateManagement(ChannelService channels, MetaClient meta, MetaConfig metaConfig, MediaFiles mediaFiles,
            TemplateRepository templates, TemplateStore store,
            Pool pool, ObjectMapper json) {
        this.channels = channels;
        this.meta = meta;
        this.metaConfig = metaConfig;
        this.mediaFiles = mediaFiles;
        this.templates = templates;
        this.store = store;
        this.pool = pool;
        this.json = json;
    }

    /** A media file for the header, to upload to Meta: attached to the request, or at a URL. */
    public record MediaSource(byte[] attached, String url, String type) {
    }

    /**
     * A template to create: for which number (null: the workspace's only one), its header's media
     * file if it has one, and Meta's create request given that file's handle (null without a file).
     */
    public record NewTemplate(String phoneNumber, MediaSource media, Function<String, ObjectNode> metaRequest) {
    }

    /**
     * An edit: the name, language and category the surface was sent (name and language must be the
     * template's), the field errors it found in its body, and Meta's request, built once all is valid.
     */
    public record Edit(String name, String language, String category, Map<String, List<String>> errors,
            Supplier<ObjectNode> metaRequest) {
    }

    /** A template as stored after a create or an edit: its uuid and its number. */
    public record Stored(UUID id, String phoneNumber) {
    }

    /** Whether media files can be uploaded to Meta here (it takes the Meta app id). */
    public boolean uploadsMedia() {
        return metaConfig.appId().isPresent();
    }

    /**
     * Creates the template at Meta and stores it. {@code outcomeUnknown}: an earlier attempt ended
     * without knowing what Meta did, so Meta is asked first.
     */
    public Uni<Stored> create(UUID workspaceId, NewTemplate template, boolean outcomeUnknown) {
        return channelFor(workspaceId, template.phoneNumber())
                .chain(channel -> {
                    String token = channels.accessToken(channel.accessTokenEnc);
                    return upload(template.media(), token).chain(handle -> {
                        ObjectNode request = template.metaRequest().apply(handle);
                        Uni<Made> made = outcomeUnknown
                                ? askMeta(channel, token, request).chain(found -> found.isPresent()
                                        ? Uni.createFrom().item(found.get()) : createAtMeta(channel, token, request, true))
                                : createAtMeta(channel, token, request, true);
                        return made.chain(m -> store(channel, request, m))
                                .map(id -> new Stored(id, channel.phoneNumber));
                    });
                });
    }

    /**
     * An edit of the template (LancePilot's integer id). Name and language cannot change; Meta's edit
     * rules are checked first (which statuses, an approved template's category, an approved
     * template's edits per day and month); on Meta's success the template is UPDATING until Meta's
     * verdict comes (webhook, reconciliation or sync).
     */
    public Uni<Stored> edit(UUID workspaceId, String templateId, Edit edit) {
        Map<String, List<String>> errors = new LinkedHashMap<>(edit.errors());
        return findTemplate(workspaceId, templateId).chain(template -> {
            if (!errors.containsKey("name") && !template.name.equals(edit.name())) {
                errors.put("name", List.of("cannot change: create a new template under the new name"));
            }
            if (!errors.containsKey("language") && !template.language.equals(edit.language())) {
                errors.put("language", List.of("cannot change: create the template in the other language"));
            }
            String category = edit.category();
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
            ObjectNode request = edit.metaRequest().get();
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
                            .replaceWith(new Stored(template.id, channel.phoneNumber)));
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
            stored.edited(request.get("components"), category, now, StatusHistoryEntry.SOURCE_API);
            return store.write(connection, List.of(stored), now);
        }).chain(() -> connection.preparedQuery(RECORD_EDIT).execute(Tuple.of(UUID.randomUUID(), template.id, now,
                approved)))).replaceWithVoid();
    }

    @WithSession
    public Uni<Template> findTemplate(UUID workspaceId, String templateId) {
        return Uni.createFrom().item(() -> TemplateService.number(templateId))
                .chain(number -> templates.findByNumberInWorkspace(workspaceId, number))
                .onItem().ifNull().failWith(() -> ApiException.notFound("Template not found"));
    }

    /** The media file checked and uploaded through Meta's Resumable Upload API: its handle, or null without a file. */
    private Uni<String> upload(MediaSource media, String token) {
        if (media == null) {
            return Uni.createFrom().nullItem();
        }
        Uni<MediaFiles.Media> file = media.attached() != null
                ? Uni.createFrom().item(() -> MediaFiles.checked(media.attached(), media.type()))
                : mediaFiles.fetch(media.url(), media.type());
        return file.chain(m -> meta.uploadMedia(metaConfig.appId().orElseThrow(), token, m.bytes(), m.mimeType())
                .onFailure(MetaApiException.class).transform(refusal -> refused((MetaApiException) refusal, "upload")));
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

    /** Stores what Meta made (a sync that stored it first wins), with its first history entry. */
    private Uni<UUID> store(Channel channel, ObjectNode request, Made made) {
        OffsetDateTime now = Timestamps.nowAtUtc();
        StoredTemplate template = StoredTemplate.made(channel.workspaceId, channel.id, made.id(),
                request.path("name").asText(), request.path("language").asText(),
                made.status() == null ? "PENDING" : made.status(),
                made.category() == null ? request.path("category").asText() : made.category(),
                request.get("components"), "POSITIONAL", now, StatusHistoryEntry.SOURCE_API);
        return pool.withTransaction(connection -> store.write(connection, List.of(template), now))
                .chain(() -> idOf(channel.id, made.id()));
    }

    @WithSession
    Uni<UUID> idOf(UUID channelId, String providerId) {
        return templates.find("channelId = ?1 and providerId = ?2", channelId, providerId).firstResult()
                .map(t -> t.id);
    }
}
