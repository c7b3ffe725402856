package io.wabasync.workspace;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;

@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class AdminResourceTest {

    @Test
    void createsAWorkspaceWithAKeyThatWorksEitherWay() {
        var created = given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + Fixtures.ADMIN_TOKEN)
                .body(Map.of("name", "Acme"))
                .post("/admin/workspaces")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("name", equalTo("Acme"))
                .body("api_key", startsWith("wsk_"))
                .extract().jsonPath();
        String id = created.getString("id");
        String key = created.getString("api_key");

        given().header("X-User-API-Key", key).get("/api/v3/workspaces/{ws}/channels", id).then().statusCode(200);
        given().header("Authorization", "Bearer " + key).get("/api/v3/workspaces/{ws}/channels", id).then().statusCode(200);
    }

    @Test
    void operatorApiNeedsTheAdminToken() {
        given().contentType(ContentType.JSON).body(Map.of("name", "Acme"))
                .post("/admin/workspaces").then().statusCode(401).body("success", equalTo(false));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer wrong").body(Map.of("name", "Acme"))
                .post("/admin/workspaces").then().statusCode(401).body("success", equalTo(false));
        // A workspace key is not an admin token.
        Fixtures.Workspace ws = Fixtures.workspace();
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ws.apiKey()).body(Map.of("name", "Acme"))
                .post("/admin/workspaces").then().statusCode(401);
    }

    @Test
    void aBodyOverTheLimitIs413InTheErrorShapeAndCreatesNothing() {
        String huge = "{\"name\": \"" + "a".repeat(300_000) + "\"}";
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Fixtures.ADMIN_TOKEN)
                .body(huge).post("/admin/workspaces")
                .then().statusCode(413).contentType("application/json")
                .body("success", equalTo(false))
                .body("message", startsWith("Request body too large"));
    }

    @Test
    void invalidBodiesAre400() {
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Fixtures.ADMIN_TOKEN)
                .body(Map.of("name", " ")).post("/admin/workspaces")
                .then().statusCode(400).body("success", equalTo(false)).body("message", startsWith("name"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Fixtures.ADMIN_TOKEN)
                .body("{\"name\": ").post("/admin/workspaces")
                .then().statusCode(400).body("success", equalTo(false));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Fixtures.ADMIN_TOKEN)
                .body("[1,2]").post("/admin/workspaces")
                .then().statusCode(400).body("success", equalTo(false));
    }
}
