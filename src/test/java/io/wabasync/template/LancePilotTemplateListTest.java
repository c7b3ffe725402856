package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class LancePilotTemplateListTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Test
    void pagesAreOneBasedWithLancePilotsMetaBlock() {
        Connected c = synced(TwoChatSyncTest.templates("lp", 23, "APPROVED"));
        JsonPath last = page(c, "per_page=10&page=3");
        assertThat(last.getList("data")).hasSize(3);
        assertThat(last.getInt("meta.current_page")).isEqualTo(3);
        assertThat(last.getInt("meta.from")).isEqualTo(21);
        assertThat(last.getInt("meta.to")).isEqualTo(23);
        assertThat(last.getInt("meta.last_page")).isEqualTo(3);
        assertThat(last.getInt("meta.per_page")).isEqualTo(10);
        assertThat(last.getInt("meta.total")).isEqualTo(23);

        JsonPath first = page(c, "per_page=10");
        assertThat(first.getInt("meta.current_page")).isEqualTo(1);
        assertThat(first.getInt("meta.from")).isEqualTo(1);
        assertThat(first.getInt("meta.to")).isEqualTo(10);
        assertThat(first.getString("data[0].workspace_id")).isEqualTo(c.workspace().id());
        assertThat(first.getString("data[0].channel_id")).isEqualTo(c.channelId());
        assertThat(first.getString("data[0].phone_number")).isEqualTo(c.phoneNumber());
        // LancePilot's components object, not Meta's array.
        assertThat(first.getString("data[0].components.body.text")).startsWith("Hi {{1}}");
        assertThat(first.getString("data[0].components.header.type")).isEqualTo("text");

        JsonPath beyond = page(c, "per_page=10&page=9");
        assertThat(beyond.getList("data")).isEmpty();
        assertThat(beyond.getString("meta.from")).isNull();
        assertThat(beyond.getString("meta.to")).isNull();
        assertThat(beyond.getInt("meta.total")).isEqualTo(23);
    }

    @Test
    void filtersByStatusNameLanguageAndNumber() {
        List<ObjectNode> templates = new ArrayList<>();
        templates.add(FakeMeta.template("7001", "order_shipped", "en_US", "APPROVED", "UTILITY"));
        templates.add(FakeMeta.template("7002", "order_shipped", "pt_BR", "PENDING", "UTILITY"));
        templates.add(FakeMeta.template("7003", "ORDER_delayed", "en_US", "PENDING", "UTILITY"));
        templates.add(FakeMeta.template("7004", "promo_50%", "en_US", "REJECTED", "MARKETING"));
        Connected c = synced(templates);

        assertThat(page(c, "status=PENDING").getList("data.provider_id")).containsExactlyInAnyOrder("7002", "7003");
        assertThat(page(c, "status=pending").getList("data.provider_id")).containsExactlyInAnyOrder("7002", "7003");
        assertThat(page(c, "name=order").getList("data.provider_id")).containsExactlyInAnyOrder("7001", "7002", "7003");
        assertThat(page(c, "name=_50%25").getList("data.provider_id")).containsExactly("7004");
        assertThat(page(c, "name=o_d").getList("data.provider_id")).isEmpty(); // '_' is not a wildcard
        assertThat(page(c, "name=r_d").getList("data.provider_id")).containsExactly("7003");
        assertThat(page(c, "language=en_US&status=PENDING").getList("data.provider_id")).containsExactly("7003");
        assertThat(page(c, "phone_number=%2B" + c.phoneNumber().substring(1)).getInt("meta.total")).isEqualTo(4);
        assertThat(page(c, "phone_number=" + Fixtures.newPhoneNumber().replace("+", "%2B")).getInt("meta.total"))
                .isZero();
    }

    @Test
    void badParametersAre400AndForeignIdsAre404() {
        Connected c = synced(TwoChatSyncTest.templates("bad", 2, "APPROVED"));
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("per_page", 1000)
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(400).body("message", containsString("per_page"));
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("page", 0)
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(400).body("success", equalTo(false));
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("name", "x".repeat(600))
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(400).body("message", containsString("name"));
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", "12345")
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(400);

        String templateId = page(c, "per_page=15").getString("data[0].id");
        Fixtures.Workspace other = Fixtures.workspace();
        given().header("X-User-API-Key", other.apiKey())
                .get("/api/v3/workspaces/{ws}/templates/{id}", other.id(), templateId)
                .then().statusCode(404).body("success", equalTo(false));
        given().header("X-User-API-Key", other.apiKey())
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(404);
        given().header("X-User-API-Key", c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), "not-a-uuid")
                .then().statusCode(404).body("success", equalTo(false));
        given().header("X-User-API-Key", other.apiKey())
                .get("/api/v3/workspaces/{ws}/sync-jobs", c.workspace().id())
                .then().statusCode(404);
        given().header("X-User-API-Key", other.apiKey())
                .get("/api/v3/workspaces/{ws}/sync-jobs/{id}", other.id(), java.util.UUID.randomUUID())
                .then().statusCode(404).body("success", equalTo(false));
        given().header("X-User-API-Key", other.apiKey())
                .post("/api/v3/workspaces/{ws}/templates/sync", c.workspace().id())
                .then().statusCode(404).body("message", equalTo("Workspace not found"));
    }

    private Connected synced(List<ObjectNode> templates) {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(templates);
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        return c;
    }

    private static JsonPath page(Connected c, String query) {
        return given().urlEncodingEnabled(false).header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/" + c.workspace().id() + "/templates?" + query)
                .then().statusCode(200).body("success", equalTo(true)).extract().jsonPath();
    }
}
