package io.wabasync.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;

/** WABASYNC_CONSOLE_ENABLED=false: every /console path is 404, the API is unchanged. */
@QuarkusTest
@TestProfile(ConsoleSwitchedOffTest.Off.class)
@WithTestResource(FakeMetaResource.class)
class ConsoleSwitchedOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wabasync.console.enabled", "false");
        }
    }

    @Test
    void everyConsolePathIsGoneAndTheApiStays() {
        Fixtures.Workspace ws = Fixtures.workspace();
        for (String path : List.of("/console", "/console/templates", "/console/numbers", "/console/events",
                "/console/assets/console.js", "/console/assets/console.css")) {
            given().redirects().follow(false).get(path).then().statusCode(404)
                    .body(containsString("WABASYNC_CONSOLE_ENABLED=false"));
        }
        given().formParam("api_key", ws.apiKey()).post("/console/sign-in").then().statusCode(404);
        given().header("Authorization", "Bearer " + ws.apiKey())
                .get("/api/v3/workspaces/{ws}/templates", ws.id()).then().statusCode(200);
    }
}
