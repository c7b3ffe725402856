package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/** Without the Meta app id, a file cannot be uploaded: a clear 400 before anything is fetched or sent. */
@QuarkusTest
@TestProfile(TemplateMediaWithoutAppIdTest.NoAppId.class)
@WithTestResource(FakeMetaResource.class)
class TemplateMediaWithoutAppIdTest {

    public static class NoAppId implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wabasync.meta.app-id", "");
        }
    }

    @InjectFakeMeta
    FakeMeta meta;

    @Test
    void aFileNeedsTheAppIdAHandleDoesNot() {
        Connected c = Fixtures.connectedChannel(meta);
        ObjectNode byUrl = TemplateCreateTest.orderUpdate("needs_app");
        byUrl.putObject("header").put("type", "media").putObject("media").put("type", "image")
                .put("file", "http://127.0.0.1:9/logo.png");
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + c.workspace().apiKey())
                .body(byUrl.toString()).post("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(400).body("errors.'header.media.file'[0]", containsString("WABASYNC_META_APP_ID"));
        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .multiPart("template", TemplateCreateTest.orderUpdate("needs_app_too").put("header", (String) null)
                        .toString().replace("\"header\":null", "\"header\":{\"type\":\"media\",\"media\":{\"type\":\"image\"}}"),
                        "application/json")
                .multiPart("file", "logo.png", TemplateMediaTest.PNG, "image/png")
                .post("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(400).body("errors.file[0]", containsString("WABASYNC_META_APP_ID"));
        ObjectNode byHandle = TemplateCreateTest.orderUpdate("handle_is_fine");
        byHandle.putObject("header").put("type", "media").putObject("media").put("type", "image").put("handle", "4::aGFuZGxl");
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + c.workspace().apiKey())
                .body(byHandle.toString()).post("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(201);
        assertThat(meta.waba(c.wabaId()).createRequests()).isEqualTo(1);
    }
}
