package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.instanceOf;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.testing.EventStream;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/**
 * LancePilot's template create, against a fake Meta that applies Meta's rules: every documented rule
 * refused before Meta is called, the template stored with Meta's answer, never two templates for one
 * create (a lost answer, a repeated request, an Idempotency-Key), and Meta's own refusals in its words.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class TemplateCreateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @Test
    void aTextTemplateIsCreatedAtMetaStoredPendingAndAnnounced() throws Exception {
        Connected c = Fixtures.connectedChannel(meta);
        try (EventStream stream = EventStream.open("http://localhost:" + RestAssured.port, c.workspace().id(),
                c.workspace().apiKey())) {
            ValidatableResponse created = create(c, orderUpdate("order_update"), null).statusCode(201)
                    .body("status", equalTo(201)).body("message", equalTo("Resource created successfully."))
                    .body("data.id", instanceOf(Integer.class)).body("data.name", equalTo("order_update"))
                    .body("data.language", equalTo("en_US")).body("data.category", equalTo("UTILITY"))
                    .body("data.status", equalTo("PENDING")).body("data.phone_number", equalTo(c.phoneNumber()))
                    .body("data.components.body.text", equalTo("Hi {{1}}, your order {{2}} has shipped."))
                    .body("data.components.body.variables", equalTo(List.of("Maria", "A-1001")));
            // Meta got the components in its own form, converted once from LancePilot's.
            ObjectNode sent = meta.waba(c.wabaId()).createdBodies().get(0);
            assertThat(sent.path("category").asText()).isEqualTo("UTILITY");
            assertThat(sent.path("components").findValuesAsText("type")).contains("HEADER", "BODY", "FOOTER", "BUTTONS");
            assertThat(sent.at("/components/1/example/body_text/0/1").asText()).isEqualTo("A-1001");
            // Stored with Meta's id, history source API, and on the live stream.
            Object id = created.extract().path("data.id");
            given().header("Authorization", "Bearer " + c.workspace().apiKey())
                    .get("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), id)
                    .then().statusCode(200).body("data.provider_id", equalTo(meta.waba(c.wabaId()).templates().get(0).get("id").asText()))
                    .body("data.status_history.source", equalTo(List.of("API")));
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().stream()
                    .anyMatch(e -> "API".equals(e.path("source").asText()) && "order_update".equals(e.path("name").asText())));
        }
        // A full sync afterwards finds the same template: still one row.
        io.wabasync.sync.TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(io.wabasync.sync.TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        assertThat(names(c)).containsExactly("order_update");
    }

    @Test
    void metaDecidingAtOnceIsStoredAsMetaSaid() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).decideAtOnce("APPROVED");
        create(c, orderUpdate("instant"), null).statusCode(201).body("data.status", equalTo("APPROVED"));
    }

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                Arguments.of("name", (Consumer<ObjectNode>) b -> b.put("name", "Order Update!")),
                Arguments.of("name", (Consumer<ObjectNode>) b -> b.remove("name")),
                Arguments.of("language", (Consumer<ObjectNode>) b -> b.put("language", "english")),
                Arguments.of("category", (Consumer<ObjectNode>) b -> b.put("category", "PROMOTION")),
                Arguments.of("body.text", (Consumer<ObjectNode>) b -> b.with("body").put("text", "x".repeat(1025))),
                Arguments.of("body.text", (Consumer<ObjectNode>) b -> b.with("body").put("text", "Hi {{1}} and {{3}}")),
                Arguments.of("body.text", (Consumer<ObjectNode>) b -> b.with("body").put("text", "Hi {{name}}")),
                Arguments.of("body.variables", (Consumer<ObjectNode>) b -> b.with("body").putArray("variables").add("Maria")),
                Arguments.of("header.text.content", (Consumer<ObjectNode>) b -> b.with("header").with("text").put("content", "x".repeat(61))),
                Arguments.of("header.text.content", (Consumer<ObjectNode>) b -> b.with("header").with("text").put("content", "{{1}} {{2}}")),
                Arguments.of("header.media.type", (Consumer<ObjectNode>) b -> b.putObject("header").put("type", "media")
                        .putObject("media").put("type", "audio").put("handle", "4::aW1h")),
                Arguments.of("header.media.file", (Consumer<ObjectNode>) b -> b.putObject("header").put("type", "media")
                        .putObject("media").put("type", "image").put("file", "ftp://example.com/a.png")),
                Arguments.of("footer", (Consumer<ObjectNode>) b -> b.put("footer", "Thanks \uD83D\uDE00")),
                Arguments.of("footer", (Consumer<ObjectNode>) b -> b.put("footer", "x".repeat(61))),
                Arguments.of("buttons", (Consumer<ObjectNode>) b -> {
                    var buttons = b.putArray("buttons");
                    for (int i = 0; i < 4; i++) {
                        buttons.addObject().put("type", "QUICK_REPLY").put("text", "Reply " + i);
                    }
                }),
                Arguments.of("buttons.0.type", (Consumer<ObjectNode>) b -> b.putArray("buttons").addObject().put("type", "CALL_ME")),
                Arguments.of("buttons.0.url", (Consumer<ObjectNode>) b -> b.putArray("buttons").addObject().put("type", "URL")
                        .put("text", "Open").put("url", "ftp://example.com")),
                Arguments.of("buttons.0.variables", (Consumer<ObjectNode>) b -> b.putArray("buttons").addObject().put("type", "URL")
                        .put("text", "Open").put("url", "https://example.com/{{1}}")),
                Arguments.of("buttons.0.phone_number", (Consumer<ObjectNode>) b -> b.putArray("buttons").addObject()
                        .put("type", "PHONE_NUMBER").put("text", "Call").put("phone_number", "call us")),
                Arguments.of("unsubscribeButton", (Consumer<ObjectNode>) b -> b.put("unsubscribeButton", true)),
                Arguments.of("addSecurityRecommendation", (Consumer<ObjectNode>) b -> b.put("addSecurityRecommendation", true)),
                Arguments.of("codeExpirationMinutes", (Consumer<ObjectNode>) b -> b.put("category", "AUTHENTICATION")
                        .put("codeExpirationMinutes", 2000)),
                Arguments.of("body.otp_code", (Consumer<ObjectNode>) b -> b.with("body").put("otp_code", "123456")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void everyRuleIsCheckedBeforeMetaIsCalled(String field, Consumer<ObjectNode> breakIt) {
        Connected c = Fixtures.connectedChannel(meta);
        ObjectNode body = orderUpdate("rules_" + Math.abs(field.hashCode()));
        breakIt.accept(body);
        create(c, body, null).statusCode(400).contentType(ContentType.JSON).body("success", equalTo(false))
                .body("message", containsString(field)).body("errors", hasKey(field));
        assertThat(meta.waba(c.wabaId()).createRequests()).as("Meta is not called").isZero();
        assertThat(names(c)).isEmpty();
    }

    @Test
    void allFailingFieldsAreNamedAtOnce() {
        Connected c = Fixtures.connectedChannel(meta);
        ObjectNode body = orderUpdate("x");
        body.put("name", "Bad Name").put("footer", "x".repeat(70)).with("body").put("text", "Hi {{2}}");
        create(c, body, null).statusCode(400).body("errors", hasKey("name")).body("errors", hasKey("footer"))
                .body("errors", hasKey("body.text"));
        assertThat(meta.waba(c.wabaId()).createRequests()).isZero();
    }

    @Test
    void aWorkspaceWithSeveralNumbersMustSayWhichOne() {
        Connected c = Fixtures.connectedChannel(meta);
        String second = Fixtures.newPhoneNumber();
        String waba = Fixtures.newWabaId();
        meta.waba(waba, "EAAG-second");
        Fixtures.connect(c.workspace(), second, waba, "EAAG-second").statusCode(201);
        create(c, orderUpdate("which"), null).statusCode(400).body("errors", hasKey("phone_number"));
        create(c, orderUpdate("which").put("phone_number", "+15550000000"), null).statusCode(400)
                .body("errors.phone_number[0]", containsString("not connected"));
        create(c, orderUpdate("which").put("phone_number", second), null).statusCode(201)
                .body("data.phone_number", equalTo(second));
        assertThat(meta.waba(waba).createRequests()).isEqualTo(1);
        assertThat(meta.waba(c.wabaId()).createRequests()).isZero();
    }

    @Test
    void anAuthenticationTemplateWithACopyCodeButton() {
        Connected c = Fixtures.connectedChannel(meta);
        ObjectNode body = JSON.createObjectNode().put("name", "login_code").put("language", "en_US")
                .put("category", "AUTHENTICATION").put("addSecurityRecommendation", true).put("codeExpirationMinutes", 10)
                .put("copyCodeButton", true);
        create(c, body, null).statusCode(201).body("data.category", equalTo("AUTHENTICATION"));
        ObjectNode sent = meta.waba(c.wabaId()).createdBodies().get(0);
        assertThat(sent.at("/components/0/add_security_recommendation").asBoolean()).isTrue();
        assertThat(sent.toString()).contains("\"code_expiration_minutes\":10").contains("COPY_CODE");
    }

    @Test
    void aMediaHeaderByHandle() {
        Connected c = Fixtures.connectedChannel(meta);
        ObjectNode body = orderUpdate("with_image");
        body.putObject("header").put("type", "media").putObject("media").put("type", "image").put("handle", "4::aW1hZ2U=");
        create(c, body, null).statusCode(201).body("data.components.header.media.handle", equalTo("4::aW1hZ2U="));
        ObjectNode sent = meta.waba(c.wabaId()).createdBodies().get(0);
        assertThat(sent.at("/components/0/format").asText()).isEqualTo("IMAGE");
        assertThat(sent.at("/components/0/example/header_handle/0").asText()).isEqualTo("4::aW1hZ2U=");
    }

    @Test
    void metasRefusalsComeBackInMetasWords() {
        Connected c = Fixtures.connectedChannel(meta);
        create(c, orderUpdate("twice"), null).statusCode(201);
        // The same name and language again: Meta refuses it, nothing new is stored.
        create(c, orderUpdate("twice"), null).statusCode(409).body("message", containsString("already exists"))
                .body("message", org.hamcrest.Matchers.not(containsString("waba_id")));
        assertThat(names(c)).containsExactly("twice");

        meta.waba(c.wabaId()).nameDeletedRecently("gone", "en_US");
        create(c, orderUpdate("gone"), null).statusCode(409).body("message", containsString("being deleted"));

        meta.waba(c.wabaId()).creationsPerHour(1);
        create(c, orderUpdate("one_too_many"), null).statusCode(429).body("message", containsString("too many"));
        assertThat(names(c)).containsExactly("twice");
    }

    @Test
    void aLostAnswerIsFoundAtMetaNotCreatedTwice() {
        Connected c = Fixtures.connectedChannel(meta);
        // Meta makes the template but answers after our create timeout (1 s in tests).
        meta.waba(c.wabaId()).createAnswerLate(Duration.ofSeconds(3));
        create(c, orderUpdate("lost_answer"), null).statusCode(201).body("data.name", equalTo("lost_answer"))
                .body("data.provider_id", equalTo(meta.waba(c.wabaId()).templates().get(0).get("id").asText()));
        assertThat(meta.waba(c.wabaId()).createRequests()).isEqualTo(1);
        assertThat(meta.waba(c.wabaId()).templates()).hasSize(1);
        assertThat(names(c)).containsExactly("lost_answer");
    }

    @Test
    void anIdempotencyKeyGivesTheFirstAnswerAgainWithoutCallingMeta() {
        Connected c = Fixtures.connectedChannel(meta);
        String key = UUID.randomUUID().toString();
        Map<String, Object> first = create(c, orderUpdate("keyed"), key).statusCode(201).extract().jsonPath().getMap("data");
        Map<String, Object> again = create(c, orderUpdate("keyed"), key).statusCode(201).extract().jsonPath().getMap("data");
        assertThat(again).isEqualTo(first);
        assertThat(meta.waba(c.wabaId()).createRequests()).isEqualTo(1);
        // The same key for another request is refused; another workspace's same key is its own.
        create(c, orderUpdate("other_body"), key).statusCode(422).body("success", equalTo(false));
        Connected other = Fixtures.connectedChannel(meta);
        create(other, orderUpdate("keyed"), key).statusCode(201);
        // A refusal is an answer too: repeated as it was.
        String refusedKey = UUID.randomUUID().toString();
        create(c, orderUpdate("keyed"), refusedKey).statusCode(409);
        create(c, orderUpdate("keyed"), refusedKey).statusCode(409).body("message", containsString("already exists"));
        assertThat(meta.waba(c.wabaId()).createRequests()).isEqualTo(2);
    }

    /** A key is kept 24 hours: after that it is free for a new request, whether or not it was purged yet. */
    @Test
    void anIdempotencyKeyOlderThanADayIsANewKey() {
        Connected c = Fixtures.connectedChannel(meta);
        String key = UUID.randomUUID().toString();
        create(c, orderUpdate("day_one"), key).statusCode(201);
        create(c, orderUpdate("day_two"), key).statusCode(422);
        pool.preparedQuery("UPDATE idempotency_key SET created_at = created_at - interval '25 hours', "
                + "updated_at = updated_at - interval '25 hours' WHERE workspace_id = $1 AND key = $2")
                .execute(Tuple.of(UUID.fromString(c.workspace().id()), key)).await().atMost(Duration.ofSeconds(5));
        create(c, orderUpdate("day_two"), key).statusCode(201).body("data.name", equalTo("day_two"));
        create(c, orderUpdate("day_two"), key).statusCode(201).body("data.name", equalTo("day_two"));
        assertThat(meta.waba(c.wabaId()).createRequests()).isEqualTo(2);
    }

    @Test
    void onlyTheWorkspacesOwnKeyCreates() {
        Connected c = Fixtures.connectedChannel(meta);
        Fixtures.Workspace stranger = Fixtures.workspace();
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + stranger.apiKey())
                .body(orderUpdate("stranger").toString()).post("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body(orderUpdate("nobody").toString())
                .post("/api/v3/workspaces/{ws}/templates", c.workspace().id()).then().statusCode(401);
        assertThat(meta.waba(c.wabaId()).createRequests()).isZero();
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** LancePilot's documented body: text header with a variable, body with two, footer, a URL button. */
    static ObjectNode orderUpdate(String name) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("language", "en_US").put("category", "UTILITY");
        ObjectNode header = body.putObject("header").put("type", "text");
        header.putObject("text").put("content", "Order {{1}}").putArray("variables").add("A-1001");
        body.putObject("body").put("text", "Hi {{1}}, your order {{2}} has shipped.").putArray("variables")
                .add("Maria").add("A-1001");
        body.put("footer", "ACME Ltd");
        body.putArray("buttons").addObject().put("type", "URL").put("text", "Track")
                .put("url", "https://example.com/track/{{1}}").putArray("variables").add("A-1001");
        return body;
    }

    private static ValidatableResponse create(Connected c, ObjectNode body, String idempotencyKey) {
        var request = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + c.workspace().apiKey());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.body(body.toString()).post("/api/v3/workspaces/{ws}/templates", c.workspace().id()).then();
    }

    private static List<String> names(Connected c) {
        return given().header("Authorization", "Bearer " + c.workspace().apiKey()).queryParam("per_page", 100)
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(200).extract().jsonPath().getList("data.name");
    }
}
