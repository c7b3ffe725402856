package io.wabasync.channel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Workspace;

@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class ChannelResourceTest {

    @Test
    void connectListAndDisconnectANumber() {
        Workspace ws = Fixtures.workspace();
        String phone = Fixtures.newPhoneNumber();
        String waba = Fixtures.newWabaId();
        String id = Fixtures.connect(ws, phone, waba, "EAAGsupersecret")
                .statusCode(201)
                .body("phone_number", equalTo(phone))
                .body("waba_id", equalTo(waba))
                .body("created_at", notNullValue())
                .body(not(containsString("EAAGsupersecret")))
                .extract().path("id");

        given().header("Authorization", "Bearer " + ws.apiKey())
                .get("/api/v3/workspaces/{ws}/channels", ws.id())
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.id", hasItem(id))
                .body(not(containsString("EAAGsupersecret")));

        given().header("Authorization", "Bearer " + ws.apiKey())
                .delete("/api/v3/workspaces/{ws}/channels/{id}", ws.id(), id)
                .then().statusCode(204);
        given().header("Authorization", "Bearer " + ws.apiKey())
                .get("/api/v3/workspaces/{ws}/channels", ws.id())
                .then().statusCode(200).body("data.id", not(hasItem(id)));
        given().header("Authorization", "Bearer " + ws.apiKey())
                .delete("/api/v3/workspaces/{ws}/channels/{id}", ws.id(), id)
                .then().statusCode(404).body("success", equalTo(false));
    }

    @ParameterizedTest
    @ValueSource(strings = { "5215512345432", "+52 15512345432", "+52155abc45432", "+123", "", "+0215512345432" })
    void invalidE164Is400(String phone) {
        Workspace ws = Fixtures.workspace();
        Fixtures.connect(ws, phone, Fixtures.newWabaId(), "EAAG")
                .statusCode(400)
                .body("success", equalTo(false))
                .body("message", containsString("phone_number"));
    }

    @Test
    void numberConnectedInAnyWorkspaceIs409() {
        Workspace first = Fixtures.workspace();
        Workspace second = Fixtures.workspace();
        String phone = Fixtures.newPhoneNumber();
        Fixtures.connect(first, phone, Fixtures.newWabaId(), "EAAG1").statusCode(201);
        Fixtures.connect(first, phone, Fixtures.newWabaId(), "EAAG2").statusCode(409).body("success", equalTo(false));
        Fixtures.connect(second, phone, Fixtures.newWabaId(), "EAAG3").statusCode(409).body("success", equalTo(false));
    }

    @Test
    void malformedAndMistypedBodiesAre400() {
        Workspace ws = Fixtures.workspace();
        given().contentType(ContentType.JSON).header("X-User-API-Key", ws.apiKey())
                .body("{\"phone_number\": \"+5215512345432\", ")
                .post("/api/v3/workspaces/{ws}/channels", ws.id())
                .then().statusCode(400).contentType("application/json").body("success", equalTo(false));
        given().contentType(ContentType.JSON).header("X-User-API-Key", ws.apiKey())
                .body(Map.of("phone_number", 5215512345432L, "waba_id", Map.of("a", 1), "access_token", "x"))
                .post("/api/v3/workspaces/{ws}/channels", ws.id())
                .then().statusCode(400).body("success", equalTo(false));
        given().contentType(ContentType.JSON).header("X-User-API-Key", ws.apiKey())
                .post("/api/v3/workspaces/{ws}/channels", ws.id())
                .then().statusCode(400).body("success", equalTo(false));
        given().contentType(ContentType.JSON).header("X-User-API-Key", ws.apiKey())
                .body(Map.of("phone_number", Fixtures.newPhoneNumber(), "waba_id", "not-digits", "access_token", "x"))
                .post("/api/v3/workspaces/{ws}/channels", ws.id())
                .then().statusCode(400).body("message", containsString("waba_id"));
    }

    @Test
    void anotherWorkspacesKeySeesNothing() {
        Workspace owner = Fixtures.workspace();
        Workspace other = Fixtures.workspace();
        String phone = Fixtures.newPhoneNumber();
        String id = Fixtures.connect(owner, phone, Fixtures.newWabaId(), "EAAG").statusCode(201).extract().path("id");

        given().header("X-User-API-Key", other.apiKey()).get("/api/v3/workspaces/{ws}/channels", owner.id())
                .then().statusCode(404).body("success", equalTo(false));
        given().header("X-User-API-Key", other.apiKey())
                .delete("/api/v3/workspaces/{ws}/channels/{id}", owner.id(), id)
                .then().statusCode(404);
        given().header("X-User-API-Key", other.apiKey())
                .delete("/api/v3/workspaces/{ws}/channels/{id}", other.id(), id)
                .then().statusCode(404);
        Fixtures.connect(new Workspace(owner.id(), other.apiKey()), Fixtures.newPhoneNumber(), Fixtures.newWabaId(), "x")
                .statusCode(404);
        given().header("X-User-API-Key", owner.apiKey()).get("/api/v3/workspaces/{ws}/channels", owner.id())
                .then().statusCode(200).body("data.id", hasItem(id));
        given().get("/api/v3/workspaces/{ws}/channels", owner.id()).then().statusCode(401);
    }
}
