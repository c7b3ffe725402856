package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/**
 * Each surface held to what its hosted API documents, field by field and type by type: 2Chat's
 * "Get WABA Templates" (with {@code template_content}, {@code description} and the {@code waba}
 * object) and LancePilot's template list and detail (integer ids, the components object, Laravel's
 * paginator).
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class HostedApiShapesTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";
    private static final String TWO_CHAT_TIME = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";

    @InjectFakeMeta
    FakeMeta meta;

    // --- 2Chat ------------------------------------------------------------------------------------

    @Test
    void twoChatListItemHasEveryDocumentedFieldWithItsType() {
        Fixtures.Workspace ws = Fixtures.workspace();
        String phone = Fixtures.newPhoneNumber();
        String waba = Fixtures.newWabaId();
        meta.waba(waba, "EAAG-shape").verifiedName(phone, "Acme Support")
                .templates(List.of(textTemplate("9001", "order_update")));
        String channelId = connect(ws, phone, waba, "EAAG-shape", "Front desk").statusCode(201)
                .body("friendly_name", equalTo("Front desk")).body("verified_name", equalTo("Acme Support"))
                .body("iso_country_code", equalTo("MX")).extract().path("id");
        Connected c = new Connected(ws, channelId, phone, waba, "EAAG-shape");
        sync(c);

        JsonPath page = twoChatPage(c);
        assertThat(page.getBoolean("success")).isTrue();
        assertThat(page.<Object>get("total")).isEqualTo(1);
        assertThat(page.<Object>get("next_page")).isNull();
        Map<String, Object> t = page.getMap("templates[0]");
        assertThat(t).containsKeys("uuid", "name", "status", "category", "template_content", "description",
                "updated_at", "waba");
        assertThat((String) t.get("uuid")).matches(UUID);
        assertThat(t).containsEntry("name", "order_update").containsEntry("status", "APPROVED")
                .containsEntry("category", "UTILITY").containsEntry("description", null);
        // 2Chat's layout: the header line, a newline, the body with its placeholders and blank lines, then the footer.
        assertThat(t.get("template_content")).isEqualTo("Your order {{1}}\nHi {{1}},\n\nyour order is on its way.\nACME Ltd");
        assertThat((String) t.get("updated_at")).matches(ISO_UTC);

        Map<String, Object> number = page.getMap("templates[0].waba");
        assertThat(number).containsOnlyKeys("uuid", "friendly_name", "iso_country_code", "verified_name", "phone_number",
                "connection_status", "created_at", "updated_at");
        assertThat(number).containsEntry("uuid", channelId).containsEntry("friendly_name", "Front desk")
                .containsEntry("iso_country_code", "MX").containsEntry("verified_name", "Acme Support")
                .containsEntry("phone_number", phone).containsEntry("connection_status", "C");
        assertThat((String) number.get("created_at")).matches(TWO_CHAT_TIME);
        assertThat((String) number.get("updated_at")).matches(TWO_CHAT_TIME);
        // Our extra fields stay, Meta's components among them as Meta sent them.
        assertThat(t).containsEntry("provider_id", "9001").containsEntry("language", "en_US");
        assertThat(page.getList("templates[0].components.type")).containsExactly("HEADER", "BODY", "FOOTER", "BUTTONS");
    }

    @Test
    void connectionStatusFollowsTheChannelsHealthAndAFriendlyNameAloneDoesNotRestoreIt() {
        Connected c = Fixtures.syncedChannel(meta, TwoChatSyncTest.templates("health", 2, "APPROVED"));
        // Without a friendly name the number is called by itself, so the field stays a string.
        assertThat(twoChatPage(c).getString("templates[0].waba.friendly_name")).isEqualTo(c.phoneNumber());

        meta.waba(c.wabaId()).failPageWithGraphError(1, 401, 190, "Error validating access token");
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("FAILED");
        assertThat(twoChatPage(c).getString("templates[0].waba.connection_status")).isEqualTo("D");

        patch(c, Map.of("friendly_name", "Sales")).statusCode(200).body("status", equalTo("NEEDS_REAUTH"));
        JsonPath afterRename = twoChatPage(c);
        assertThat(afterRename.getString("templates[0].waba.connection_status")).isEqualTo("D");
        assertThat(afterRename.getString("templates[0].waba.friendly_name")).isEqualTo("Sales");

        patch(c, Map.of("access_token", c.token())).statusCode(200).body("status", equalTo("ACTIVE"));
        assertThat(twoChatPage(c).getString("templates[0].waba.connection_status")).isEqualTo("C");
        patch(c, Map.of("friendly_name", "")).statusCode(400).body("success", equalTo(false));
    }

    @Test
    void verifiedNameIsReadAtConnectAndAgainOnEachFullSync() {
        Fixtures.Workspace ws = Fixtures.workspace();
        String phone = Fixtures.newPhoneNumber();
        String waba = Fixtures.newWabaId();
        // Meta does not list the number (yet): no name, and the connect still succeeds.
        meta.waba(waba, "EAAG-vn").templates(TwoChatSyncTest.templates("vn", 1, "APPROVED"));
        String channelId = connect(ws, phone, waba, "EAAG-vn", null).statusCode(201)
                .body("verified_name", equalTo(null)).extract().path("id");
        Connected c = new Connected(ws, channelId, phone, waba, "EAAG-vn");

        meta.waba(waba).verifiedName(phone, "Acme Verified");
        int asked = meta.waba(waba).phoneNumberRequests();
        sync(c);
        await().atMost(Duration.ofSeconds(10)).until(() -> "Acme Verified".equals(twoChatPage(c).getString("templates[0].waba.verified_name")));
        assertThat(meta.waba(waba).phoneNumberRequests()).isEqualTo(asked + 1);
        given().header("Authorization", "Bearer " + ws.apiKey()).get("/api/v3/workspaces/{ws}/channels", ws.id())
                .then().statusCode(200).body("data[0].verified_name", equalTo("Acme Verified"));
    }

    // --- LancePilot -------------------------------------------------------------------------------

    @Test
    void lancePilotListAndDetailUseIntegerIdsTheComponentsObjectAndLaravelPaging() {
        List<ObjectNode> atMeta = new ArrayList<>(TwoChatSyncTest.templates("lp", 11, "APPROVED"));
        atMeta.add(textTemplate("9101", "lp_text").put("previous_category", "TRANSACTIONAL")
                .put("sub_category", "ORDER_DETAILS").put("parameter_format", "POSITIONAL")
                .put("message_send_ttl_seconds", 3600));
        Connected c = Fixtures.syncedChannel(meta, atMeta);

        JsonPath first = lancePilot(c, "phone_number=" + c.phoneNumber().replace("+", "%2B"));
        assertThat(first.getList("data")).hasSize(10);
        assertThat(first.getList("data.id")).allSatisfy(id -> assertThat(id).isInstanceOf(Integer.class));
        assertThat(first.getMap("meta")).containsEntry("current_page", 1).containsEntry("per_page", 10)
                .containsEntry("from", 1).containsEntry("to", 10).containsEntry("last_page", 2).containsEntry("total", 12);
        assertThat(first.getMap("links")).containsOnlyKeys("first", "last", "prev", "next").containsEntry("prev", null);
        assertThat(first.getString("links.first")).startsWith("http").contains("page=1").contains("phone_number=");
        assertThat(first.getString("links.next")).contains("page=2");
        assertThat(first.getString("links.last")).contains("page=2");
        JsonPath second = given().urlEncodingEnabled(false).header("Authorization", "Bearer " + c.workspace().apiKey())
                .get(first.getString("links.next")).then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("data")).hasSize(2);
        assertThat(second.getString("links.next")).isNull();
        assertThat(second.getString("links.prev")).contains("page=1");

        Map<String, Object> text = lancePilotTemplates(c).get("lp_text");
        assertThat(text.get("id")).isInstanceOf(Integer.class);
        assertThat(text).containsEntry("previous_category", "TRANSACTIONAL").containsEntry("sub_category", "ORDER_DETAILS")
                .containsEntry("parameter_format", "POSITIONAL").containsEntry("message_send_ttl_seconds", 3600)
                .containsEntry("locked", false);
        JsonPath detail = given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), text.get("id"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(detail.<Object>get("data.id")).isEqualTo(text.get("id"));
        assertThat(detail.getMap("data.components")).containsKeys("header", "body", "footer", "buttons");
        assertThat(detail.getMap("data.components.header")).containsEntry("type", "text")
                .containsEntry("text", Map.of("content", "Your order {{1}}", "variables", List.of("A-1001")));
        assertThat(detail.getMap("data.components.body")).containsEntry("text", "Hi {{1}},\n\nyour order is on its way.")
                .containsEntry("variables", List.of("Maria"));
        assertThat(detail.getString("data.components.footer")).isEqualTo("ACME Ltd");
        assertThat(detail.getList("data.components.buttons.type")).containsExactly("URL");
        assertThat(detail.getList("data.components.buttons[0].variables")).containsExactly("A-1001");
        // Meta's own form, as Meta sent it, beside LancePilot's.
        assertThat(detail.getList("data.meta_components.type")).containsExactly("HEADER", "BODY", "FOOTER", "BUTTONS");
        assertThat(detail.getList("data.status_history.source")).containsExactly("SYNC");

        // The uuid belongs to the 2Chat surface: on LancePilot's it names no template.
        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), text.get("uuid"))
                .then().statusCode(404).body("message", equalTo("Template not found"));
        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), "0")
                .then().statusCode(404);
    }

    @Test
    void integerIdsStayTheSameAcrossSyncs() {
        List<ObjectNode> atMeta = new ArrayList<>(TwoChatSyncTest.templates("stable", 4, "PENDING"));
        Connected c = Fixtures.syncedChannel(meta, atMeta);
        Map<String, Object> before = ids(c);

        // Meta changes one, drops one and adds one; a second sync follows.
        atMeta.get(0).put("status", "APPROVED");
        ObjectNode dropped = atMeta.remove(1);
        atMeta.addAll(TwoChatSyncTest.templates("stable_new", 1, "PENDING"));
        meta.waba(c.wabaId()).templates(atMeta);
        sync(c);
        Map<String, Object> after = ids(c);
        before.remove(dropped.get("name").asText());
        assertThat(after).containsAllEntriesOf(before).hasSize(4);
        // And the dropped one comes back under its old id.
        atMeta.add(dropped);
        meta.waba(c.wabaId()).templates(atMeta);
        sync(c);
        assertThat(ids(c)).containsAllEntriesOf(after).hasSize(5);
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** A template with every component kind 2Chat's content and LancePilot's object show. */
    private static ObjectNode textTemplate(String id, String name) {
        ObjectNode t = FakeMeta.template(id, name, "en_US", "APPROVED", "UTILITY");
        var components = t.putArray("components");
        components.addObject().put("type", "HEADER").put("format", "TEXT").put("text", "Your order {{1}}")
                .putObject("example").putArray("header_text").add("A-1001");
        components.addObject().put("type", "BODY").put("text", "Hi {{1}},\n\nyour order is on its way.")
                .putObject("example").putArray("body_text").addArray().add("Maria");
        components.addObject().put("type", "FOOTER").put("text", "ACME Ltd");
        components.addObject().put("type", "BUTTONS").putArray("buttons").addObject().put("type", "URL")
                .put("text", "Track").put("url", "https://example.com/track/{{1}}").putArray("example").add("A-1001");
        return t;
    }

    private static io.restassured.response.ValidatableResponse connect(Fixtures.Workspace ws, String phone, String waba,
            String token, String friendlyName) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("phone_number", phone, "waba_id", waba, "access_token", token));
        if (friendlyName != null) {
            body.put("friendly_name", friendlyName);
        }
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ws.apiKey()).body(body)
                .post("/api/v3/workspaces/{ws}/channels", ws.id()).then();
    }

    private static io.restassured.response.ValidatableResponse patch(Connected c, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + c.workspace().apiKey()).body(body)
                .patch("/api/v3/workspaces/{ws}/channels/{id}", c.workspace().id(), c.channelId()).then();
    }

    private static void sync(Connected c) {
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
    }

    private static JsonPath twoChatPage(Connected c) {
        return given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", c.phoneNumber())
                .get("/open/waba/templates").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath lancePilot(Connected c, String query) {
        return given().urlEncodingEnabled(false).header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/" + c.workspace().id() + "/templates?" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    /** The workspace's templates by name, LancePilot's view, all pages in one. */
    private static Map<String, Map<String, Object>> lancePilotTemplates(Connected c) {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        List<Map<String, Object>> data = lancePilot(c, "per_page=100").getList("data");
        data.forEach(t -> byName.put((String) t.get("name"), t));
        return byName;
    }

    private static Map<String, Object> ids(Connected c) {
        Map<String, Object> ids = new LinkedHashMap<>();
        lancePilotTemplates(c).forEach((name, t) -> ids.put(name, t.get("id")));
        return ids;
    }
}
