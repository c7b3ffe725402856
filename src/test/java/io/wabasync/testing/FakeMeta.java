package io.wabasync.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A stand-in for Meta's Graph API on loopback, answering
 * {@code GET /{version}/{waba-id}/message_templates} in the shapes of {@code shared/meta/}: cursor
 * paging with {@code paging.next} only while more remains, Graph error bodies, and faults injected
 * per page (HTTP errors, malformed bodies, delays).
 */
public final class FakeMeta {

    public static final String VERSION = "v23.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final java.util.concurrent.atomic.AtomicLong CREATED_IDS = new java.util.concurrent.atomic.AtomicLong(
            7_000_000_000_000L);
    private final Map<String, Waba> wabas = new ConcurrentHashMap<>();
    /** The Meta app id the tests configure (wabasync.meta.app-id). */
    public static final String APP_ID = "1234567890";
    private static final java.util.concurrent.atomic.AtomicLong UPLOAD_IDS = new java.util.concurrent.atomic.AtomicLong();
    private record Upload(long length, String type) {
    }
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Map<String, byte[]> uploaded = new ConcurrentHashMap<>();
    private Vertx vertx;
    private HttpServer server;

    public void start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Fake Meta did not start", e);
        }
    }

    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The WABA's state at Meta, created empty with the given token on first use. */
    public Waba waba(String wabaId, String accessToken) {
        Waba waba = wabas.computeIfAbsent(wabaId, id -> new Waba());
        waba.accessToken = accessToken;
        return waba;
    }

    public Waba waba(String wabaId) {
        Waba waba = wabas.get(wabaId);
        if (waba == null) {
            throw new IllegalArgumentException("No WABA " + wabaId + " at the fake Meta");
        }
        return waba;
    }

    private void handle(HttpServerRequest request) {
        String[] parts = request.path().split("/");
        // ["", version, waba, "phone_numbers"]: the WABA's numbers with their verified names.
        if (parts.length == 4 && "phone_numbers".equals(parts[3]) && request.method().name().equals("GET")) {
            phoneNumbers(request, parts);
            return;
        }
        // Resumable Upload API: ["", version, app-id, "uploads"] opens a session; ["", version, "upload:<n>"] takes the bytes.
        if (parts.length == 4 && "uploads".equals(parts[3]) && request.method().name().equals("POST")) {
            startUpload(request, parts);
            return;
        }
        String third = parts.length == 3 ? java.net.URLDecoder.decode(parts[2], java.nio.charset.StandardCharsets.UTF_8) : "";
        if (third.startsWith("upload:") && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> upload(request, third, body.getBytes()));
            return;
        }
        if (parts.length == 3 && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> edit(request, parts, body.toString()));
            return;
        }
        if (parts.length == 4 && "message_templates".equals(parts[3]) && request.method().name().equals("DELETE")) {
            delete(request, parts);
            return;
        }
        if (parts.length == 4 && "message_templates".equals(parts[3]) && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> create(request, parts, body.toString()));
            return;
        }
        // ["", version, waba, "message_templates"]
        if (parts.length != 4 || !"message_templates".equals(parts[3]) || !request.method().name().equals("GET")) {
            reply(request, 400, graphError("Unsupported request", "GraphMethodException", 100, null));
            return;
        }
        if (!VERSION.equals(parts[1])) {
            reply(request, 400, graphError("Unknown path components: /" + parts[1], "OAuthException", 2500, null));
            return;
        }
        Waba waba = wabas.get(parts[2]);
        if (waba == null) {
            reply(request, 400, graphError("Unsupported get request. Object with ID '" + parts[2]
                    + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation",
                    "GraphMethodException", 100, 33));
            return;
        }
        String authorization = request.getHeader("Authorization");
        String after = request.getParam("after");
        int pageIndex = waba.requests.getAndIncrement();
        if (after == null) {
            waba.firstPageRequests.incrementAndGet();
            waba.firstPageTimes.add(System.nanoTime());
        }
        waba.fieldsAsked.add(String.valueOf(request.getParam("fields")));
        if (authorization == null || !authorization.equals("Bearer " + waba.accessToken)) {
            reply(request, 401, graphError("Invalid OAuth access token", "OAuthException", 190, 463));
            return;
        }
        int limit = request.getParam("limit") == null ? 25 : Integer.parseInt(request.getParam("limit"));
        int start = after == null ? 0 : decodeCursor(after);
        int pageNumber = start / Math.max(limit, 1) + 1;
        Fault fault = waba.faults.get(pageNumber);
        Runnable answer = () -> {
            if (fault != null && fault.status > 0) {
                if (fault.remaining.getAndDecrement() > 0) {
                    reply(request, fault.status, fault.body);
                    return;
                }
            }
            String body = page(waba, start, limit, request);
            reply(request, 200, body);
            if (!body.contains("\"next\"")) {
                Runnable hook = waba.afterFirstFullRead.getAndSet(null);
                if (hook != null) {
                    hook.run();
                }
            }
        };
        long delay = waba.delay.toMillis() + (fault != null ? fault.delay.toMillis() : 0);
        if (delay > 0) {
            vertx.setTimer(delay, id -> answer.run());
        } else {
            answer.run();
        }
    }

    /** As Meta answers it: {@code display_phone_number} without the plus, paging cursors, no delay. */
    private void phoneNumbers(HttpServerRequest request, String[] parts) {
        Waba waba = wabas.get(parts[2]);
        if (waba == null || !VERSION.equals(parts[1])) {
            reply(request, 400, graphError("Unsupported get request.", "GraphMethodException", 100, 33));
            return;
        }
        waba.phoneNumberRequests.incrementAndGet();
        if (!("Bearer " + waba.accessToken).equals(request.getHeader("Authorization"))) {
            reply(request, 401, graphError("Invalid OAuth access token", "OAuthException", 190, 463));
            return;
        }
        ObjectNode body = NODES.objectNode();
        ArrayNode data = body.putArray("data");
        waba.verifiedNames.forEach((phone, name) -> data.addObject().put("verified_name", name)
                .put("code_verification_status", "VERIFIED").put("display_phone_number", phone.substring(1))
                .put("quality_rating", "GREEN").put("id", "1" + phone.substring(1)));
        body.putObject("paging").putObject("cursors").put("before", "QVFI").put("after", "QVFJ");
        reply(request, 200, body.toString());
    }

    /**
     * A template create with Meta's rules: one name exists once per language; a name whose content
     * was deleted stays blocked (30 days at Meta); at most {@link Waba#creationsPerHour} creations an
     * hour. A created template is PENDING (or what {@link Waba#decideAtOnce} says) and listed at once.
     */
    private void create(HttpServerRequest request, String[] parts, String text) {
        Waba waba = wabas.get(parts[2]);
        if (waba == null || !VERSION.equals(parts[1])) {
            reply(request, 400, graphError("Unsupported post request.", "GraphMethodException", 100, 33));
            return;
        }
        waba.createRequests.incrementAndGet();
        if (!("Bearer " + waba.accessToken).equals(request.getHeader("Authorization"))) {
            reply(request, 401, graphError("Invalid OAuth access token", "OAuthException", 190, 463));
            return;
        }
        ObjectNode asked;
        try {
            asked = (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            reply(request, 400, graphError("Invalid JSON", "OAuthException", 100, null));
            return;
        }
        String name = asked.path("name").asText();
        String language = asked.path("language").asText();
        if (!name.matches("[a-z0-9_]{1,512}") || language.isEmpty() || !asked.path("components").isArray()) {
            reply(request, 400, graphError("Invalid parameter", "OAuthException", 100, 2388043));
            return;
        }
        if (waba.blockedNames.contains(name + "|" + language)) {
            reply(request, 400, graphError("New " + language + " content can't be added while the existing " + language
                    + " content is being deleted. Try again in 4 weeks or consider creating a new message template.",
                    "OAuthException", 100, 2388023));
            return;
        }
        boolean exists = waba.templates.stream()
                .anyMatch(t -> name.equals(t.path("name").asText()) && language.equals(t.path("language").asText()));
        if (exists) {
            reply(request, 400, graphError("Content in this language already exists", "OAuthException", 100, 2388024));
            return;
        }
        if (waba.created.incrementAndGet() > waba.creationsPerHour) {
            reply(request, 400, graphError("There have been too many message template creations for this WhatsApp "
                    + "Business account in the last hour", "OAuthException", 80008, 2388094));
            return;
        }
        String id = String.valueOf(CREATED_IDS.incrementAndGet());
        String status = waba.decideAtOnce == null ? "PENDING" : waba.decideAtOnce;
        String category = asked.path("category").asText();
        ObjectNode template = NODES.objectNode().put("id", id).put("name", name).put("language", language)
                .put("status", status).put("category", category);
        template.set("components", asked.get("components"));
        waba.templates.add(template);
        waba.createdBodies.add(asked);
        String answer = NODES.objectNode().put("id", id).put("status", status).put("category", category).toString();
        Duration late = waba.createAnswerLate;
        if (late.isZero()) {
            reply(request, 200, answer);
        } else {
            // Made at Meta, but the answer comes too late for the caller: a lost answer.
            vertx.setTimer(late.toMillis(), t -> reply(request, 200, answer));
        }
    }

    /**
     * A template edit with Meta's rules: only APPROVED, REJECTED or PAUSED templates; an approved
     * template's category stays; an approved template once in 24 hours. The edited template is
     * PENDING (in review) until {@link Waba#review} decides.
     */
    private void edit(HttpServerRequest request, String[] parts, String text) {
        Map.Entry<Waba, ObjectNode> found = findTemplate(parts[2]);
        if (found == null || !VERSION.equals(parts[1])) {
            reply(request, 400, graphError("Unsupported post request. Object with ID '" + parts[2] + "' does not exist",
                    "GraphMethodException", 100, 33));
            return;
        }
        Waba waba = found.getKey();
        ObjectNode template = found.getValue();
        waba.editRequests.incrementAndGet();
        if (!("Bearer " + waba.accessToken).equals(request.getHeader("Authorization"))) {
            reply(request, 401, graphError("Invalid OAuth access token", "OAuthException", 190, 463));
            return;
        }
        ObjectNode asked;
        try {
            asked = (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            reply(request, 400, graphError("Invalid JSON", "OAuthException", 100, null));
            return;
        }
        String status = template.path("status").asText();
        if (!List.of("APPROVED", "REJECTED", "PAUSED").contains(status)) {
            reply(request, 400, graphError("Message templates in " + status + " status can't be edited", "OAuthException",
                    100, 2593002));
            return;
        }
        boolean approved = "APPROVED".equals(status);
        if (approved && asked.has("category") && !asked.path("category").asText().equals(template.path("category").asText())) {
            reply(request, 400, graphError("The category of an approved template can't be changed", "OAuthException",
                    100, 2388299));
            return;
        }
        java.time.Instant last = waba.lastApprovedEdit.get(template.path("id").asText());
        if (approved && last != null && last.isAfter(java.time.Instant.now().minus(Duration.ofHours(24)))) {
            reply(request, 400, graphError("You can edit an approved template once in 24 hours", "OAuthException",
                    100, 2388300));
            return;
        }
        if (approved) {
            waba.lastApprovedEdit.put(template.path("id").asText(), java.time.Instant.now());
        }
        template.set("components", asked.get("components"));
        if (asked.has("category")) {
            template.put("category", asked.path("category").asText());
        }
        template.put("status", "PENDING");
        reply(request, 200, "{\"success\":true}");
    }

    /**
     * A delete with Meta's rules: by name (every language) or by name and hsm_id (that one); a DISABLED
     * template cannot be deleted; a deleted name stays blocked in its language for 30 days.
     */
    private void delete(HttpServerRequest request, String[] parts) {
        Waba waba = wabas.get(parts[2]);
        if (waba == null || !VERSION.equals(parts[1])) {
            reply(request, 400, graphError("Unsupported delete request.", "GraphMethodException", 100, 33));
            return;
        }
        waba.deleteRequests.incrementAndGet();
        if (!("Bearer " + waba.accessToken).equals(request.getHeader("Authorization"))) {
            reply(request, 401, graphError("Invalid OAuth access token", "OAuthException", 190, 463));
            return;
        }
        Fault fault = waba.deleteFault;
        if (fault != null && fault.remaining.getAndDecrement() > 0) {
            reply(request, fault.status, fault.body);
            return;
        }
        String name = request.getParam("name");
        String hsmId = request.getParam("hsm_id");
        List<ObjectNode> matching = waba.templates.stream()
                .filter(t -> t.path("name").asText().equals(name) && (hsmId == null || t.path("id").asText().equals(hsmId)))
                .toList();
        if (matching.isEmpty()) {
            reply(request, 400, graphError("Message template not found", "OAuthException", 100, 2593002));
            return;
        }
        if (matching.stream().anyMatch(t -> "DISABLED".equals(t.path("status").asText()))) {
            reply(request, 400, graphError("Disabled message templates can't be deleted", "OAuthException", 100, 2388301));
            return;
        }
        matching.forEach(t -> waba.blockedNames.add(t.path("name").asText() + "|" + t.path("language").asText()));
        waba.templates.removeAll(matching);
        Duration late = waba.deleteAnswerLate;
        if (late.isZero()) {
            reply(request, 200, "{\"success\":true}");
        } else {
            // Deleted at Meta; the answer comes late (the caller may be gone by then).
            vertx.setTimer(late.toMillis(), t -> reply(request, 200, "{\"success\":true}"));
        }
    }

    private Map.Entry<Waba, ObjectNode> findTemplate(String templateId) {
        for (Waba waba : wabas.values()) {
            for (ObjectNode t : waba.templates) {
                if (templateId.equals(t.path("id").asText())) {
                    return Map.entry(waba, t);
                }
            }
        }
        return null;
    }

    /** A session for the app (the one configured in tests), for a file of the given length and type. */
    private void startUpload(HttpServerRequest request, String[] parts) {
        if (!APP_ID.equals(parts[2]) || !validToken(request.getHeader("Authorization"), "OAuth ")) {
            reply(request, 400, graphError("Invalid app or token", "OAuthException", 190, null));
            return;
        }
        String session = "upload:" + UPLOAD_IDS.incrementAndGet();
        uploads.put(session, new Upload(Long.parseLong(request.getParam("file_length")), request.getParam("file_type")));
        reply(request, 200, NODES.objectNode().put("id", session + "?sig=ARZfake" + session.hashCode()).toString());
    }

    /** The bytes of a session, all at once from offset 0, as many clients send them: the handle. */
    private void upload(HttpServerRequest request, String session, byte[] bytes) {
        Upload upload = uploads.get(session);
        if (upload == null || !("ARZfake" + session.hashCode()).equals(request.getParam("sig"))
                || !validToken(request.getHeader("Authorization"), "OAuth ") || !"0".equals(request.getHeader("file_offset"))) {
            reply(request, 400, graphError("Invalid upload session, signature or offset", "OAuthException", 100, null));
            return;
        }
        if (bytes.length != upload.length()) {
            reply(request, 400, graphError("File length mismatch", "OAuthException", 100, null));
            return;
        }
        String handle = "4::" + java.util.Base64.getEncoder().encodeToString((session + ":" + upload.type()).getBytes());
        uploaded.put(handle, bytes);
        reply(request, 200, NODES.objectNode().put("h", handle).toString());
    }

    private boolean validToken(String authorization, String scheme) {
        return authorization != null && wabas.values().stream().anyMatch(w -> authorization.equals(scheme + w.accessToken));
    }

    /** The bytes Meta received under a handle, or null. */
    public byte[] uploaded(String handle) {
        return uploaded.get(handle);
    }

    private String page(Waba waba, int start, int limit, HttpServerRequest request) {
        List<ObjectNode> all = new ArrayList<>(waba.templates);
        String name = request.getParam("name");
        if (name != null) {
            all.removeIf(t -> !name.equals(t.path("name").asText()));
        }
        int end = Math.min(all.size(), start + limit);
        ObjectNode body = NODES.objectNode();
        ArrayNode data = body.putArray("data");
        for (int i = start; i < end; i++) {
            data.add(all.get(i));
        }
        ObjectNode paging = body.putObject("paging");
        ObjectNode cursors = paging.putObject("cursors");
        cursors.put("before", encodeCursor(start));
        cursors.put("after", encodeCursor(Math.max(end - 1, 0) + 1));
        if (end < all.size()) {
            paging.put("next", baseUrl() + request.path() + "?limit=" + limit + "&after=" + encodeCursor(end));
        }
        return body.toString();
    }

    private void reply(HttpServerRequest request, int status, String body) {
        var response = request.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        String[] parts = request.path().split("/");
        Waba waba = parts.length > 2 ? wabas.get(parts[2]) : null;
        if (waba != null && waba.usageHeader != null) {
            response.putHeader("X-Business-Use-Case-Usage", waba.usageHeader);
        }
        response.end(body);
    }

    static String graphError(String message, String type, int code, Integer subcode) {
        ObjectNode error = NODES.objectNode();
        ObjectNode inner = error.putObject("error");
        inner.put("message", message);
        inner.put("type", type);
        inner.put("code", code);
        if (subcode != null) {
            inner.put("error_subcode", subcode);
        }
        inner.put("fbtrace_id", "AXsgnV2Cm3ZMGF3dF_cfYIn");
        return error.toString();
    }

    private static String encodeCursor(int index) {
        return Base64.getEncoder().withoutPadding().encodeToString(("idx:" + index).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeCursor(String cursor) {
        String decoded = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
        return Integer.parseInt(decoded.substring(4));
    }

    /** A template as Meta's list API returns it. */
    public static ObjectNode template(String id, String name, String language, String status, String category) {
        ObjectNode t = NODES.objectNode();
        t.put("name", name);
        ArrayNode components = t.putArray("components");
        components.addObject().put("type", "HEADER").put("format", "TEXT").put("text", "Hello " + name);
        ObjectNode bodyComponent = components.addObject().put("type", "BODY").put("text", "Hi {{1}}, this is " + name + ".");
        bodyComponent.putObject("example").putArray("body_text").addArray().add("Maria");
        t.put("language", language);
        t.put("status", status);
        t.put("category", category);
        t.put("id", id);
        return t;
    }

    private static final String[] LANGUAGES = { "en_US", "pt_BR", "es_MX", "id", "de", "fr", "it", "hi" };
    private static final String[] CATEGORIES = { "MARKETING", "UTILITY", "AUTHENTICATION" };

    /** A template shaped like real ones: header, body with examples, footer, buttons; about 1 KB. */
    public static ObjectNode realisticTemplate(long id, int index, String status) {
        String language = LANGUAGES[index % LANGUAGES.length];
        String name = "campaign_" + (index / LANGUAGES.length) + "_v" + (index % 3);
        ObjectNode t = NODES.objectNode();
        t.put("name", name);
        ArrayNode components = t.putArray("components");
        components.addObject().put("type", "HEADER").put("format", "TEXT").put("text", "Hello {{1}}, news from ACME")
                .putObject("example").putArray("header_text").add("Maria");
        ObjectNode body = components.addObject().put("type", "BODY").put("text",
                "Hi {{1}}, your order {{2}} is on its way and should arrive on {{3}}. Track it any time in the app, "
                        + "or reply to this message if something is not right. Thank you for shopping with us!");
        body.putObject("example").putArray("body_text").addArray().add("Maria").add("#" + (10_000 + index)).add("Friday");
        components.addObject().put("type", "FOOTER").put("text", "Reply STOP to opt out");
        ArrayNode buttons = components.addObject().put("type", "BUTTONS").putArray("buttons");
        buttons.addObject().put("type", "QUICK_REPLY").put("text", "Track order");
        buttons.addObject().put("type", "URL").put("text", "Open app").put("url", "https://example.com/o/{{1}}");
        t.put("language", language);
        t.put("status", status);
        t.put("category", CATEGORIES[index % CATEGORIES.length]);
        t.put("id", String.valueOf(id));
        t.putObject("quality_score").put("score", "GREEN").put("date", 1_700_000_000L);
        return t;
    }

    public static final class Waba {
        private volatile String accessToken;
        private final List<ObjectNode> templates = new CopyOnWriteArrayList<>();
        private final Map<Integer, Fault> faults = new ConcurrentHashMap<>();
        private final AtomicInteger requests = new AtomicInteger();
        /** When each first-page read of the listing arrived (System.nanoTime()), for "read twice within a period". */
        private final List<Long> firstPageTimes = new CopyOnWriteArrayList<>();
        private final AtomicInteger firstPageRequests = new AtomicInteger();
        private final List<String> fieldsAsked = new CopyOnWriteArrayList<>();
        private final Map<String, String> verifiedNames = new ConcurrentHashMap<>();
        private final AtomicInteger createRequests = new AtomicInteger();
        private final AtomicInteger created = new AtomicInteger();
        private final List<ObjectNode> createdBodies = new CopyOnWriteArrayList<>();
        private final java.util.Set<String> blockedNames = ConcurrentHashMap.newKeySet();
        private volatile int creationsPerHour = 100;
        private volatile String decideAtOnce;
        private volatile Duration createAnswerLate = Duration.ZERO;
        private final AtomicInteger editRequests = new AtomicInteger();
        private final AtomicInteger deleteRequests = new AtomicInteger();
        private final Map<String, java.time.Instant> lastApprovedEdit = new ConcurrentHashMap<>();
        private volatile Fault deleteFault;
        private volatile Duration deleteAnswerLate = Duration.ZERO;
        private final AtomicInteger phoneNumberRequests = new AtomicInteger();
        private volatile Duration delay = Duration.ZERO;
        private volatile String usageHeader;
        private final java.util.concurrent.atomic.AtomicReference<Runnable> afterFirstFullRead =
                new java.util.concurrent.atomic.AtomicReference<>();

        /** Once the whole listing has been served the first time, every template becomes {@code status}. */
        public Waba changeStatusAfterFirstFullRead(String status) {
            afterFirstFullRead.set(() -> templates.forEach(t -> t.put("status", status)));
            return this;
        }

        public Waba templates(List<ObjectNode> list) {
            templates.clear();
            templates.addAll(list);
            return this;
        }

        public List<ObjectNode> templates() {
            return templates;
        }

        /** Answers the given one-based page with this status and body, {@code times} times. */
        public Waba failPage(int pageNumber, int status, String body, int times) {
            Fault fault = new Fault(status, body, Duration.ZERO);
            fault.remaining.set(times);
            faults.put(pageNumber, fault);
            return this;
        }

        public Waba failPageWithGraphError(int pageNumber, int status, int code, String message) {
            return failPage(pageNumber, status, graphError(message, "OAuthException", code, null), Integer.MAX_VALUE);
        }

        public Waba clearFaults() {
            faults.clear();
            delay = Duration.ZERO;
            usageHeader = null;
            return this;
        }

        /**
         * Sends Meta's usage header with every answer: {@code percent} of the call count used, and
         * {@code regainMinutes} as {@code estimated_time_to_regain_access}.
         */
        public Waba usage(int percent, int regainMinutes) {
            usageHeader = "{\"102290129340398\":[{\"type\":\"whatsapp_business_management\",\"call_count\":" + percent
                    + ",\"total_cputime\":10,\"total_time\":12,\"estimated_time_to_regain_access\":" + regainMinutes + "}]}";
            return this;
        }

        /** Every answer of this WABA waits this long first. */
        public Waba delay(Duration d) {
            delay = d;
            return this;
        }

        /** When each read of the listing's first page arrived, in System.nanoTime(). */
        public List<Long> firstPageTimes() {
            return List.copyOf(firstPageTimes);
        }

        public int requests() {
            return requests.get();
        }

        /** How many syncs asked for the first page (requests without a cursor). */
        public int firstPageRequests() {
            return firstPageRequests.get();
        }

        public List<String> fieldsAsked() {
            return fieldsAsked;
        }

        /** Meta lists this E.164 number among the WABA's, with its verified business name. */
        public Waba verifiedName(String phoneNumber, String name) {
            verifiedNames.put(phoneNumber, name);
            return this;
        }

        public int phoneNumberRequests() {
            return phoneNumberRequests.get();
        }

        /** Creates asked for, made or refused. */
        public int createRequests() {
            return createRequests.get();
        }

        /** The bodies of the creates Meta accepted, as sent. */
        public List<ObjectNode> createdBodies() {
            return createdBodies;
        }

        /** The name was deleted in this language: Meta blocks it for 30 days. */
        public Waba nameDeletedRecently(String name, String language) {
            blockedNames.add(name + "|" + language);
            return this;
        }

        public Waba creationsPerHour(int limit) {
            creationsPerHour = limit;
            return this;
        }

        /** Meta decides on new templates at once (APPROVED, REJECTED) instead of PENDING. */
        public Waba decideAtOnce(String status) {
            decideAtOnce = status;
            return this;
        }

        public int editRequests() {
            return editRequests.get();
        }

        public int deleteRequests() {
            return deleteRequests.get();
        }

        /** Meta reviews a template: it takes this status (a verdict after an edit or a create). */
        public Waba review(String templateId, String status) {
            templates.stream().filter(t -> templateId.equals(t.path("id").asText())).forEach(t -> t.put("status", status));
            return this;
        }

        /** The next {@code times} deletes answer with this status and Graph error. */
        public Waba failDeletes(int times, int status, int code, String message) {
            Fault fault = new Fault(status, graphError(message, "OAuthException", code, null), Duration.ZERO);
            fault.remaining.set(times);
            deleteFault = fault;
            return this;
        }

        /** Deletes are done, but Meta's answer comes this late. */
        public Waba deleteAnswerLate(Duration late) {
            deleteAnswerLate = late;
            return this;
        }

        /** Creates are made, but Meta's answer comes this late. */
        public Waba createAnswerLate(Duration late) {
            createAnswerLate = late;
            return this;
        }

        public String json() {
            try {
                return JSON.writeValueAsString(templates);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class Fault {
        final int status;
        final String body;
        final Duration delay;
        final AtomicInteger remaining = new AtomicInteger(Integer.MAX_VALUE);

        Fault(int status, String body, Duration delay) {
            this.status = status;
            this.body = body;
            this.delay = delay;
        }
    }
}
