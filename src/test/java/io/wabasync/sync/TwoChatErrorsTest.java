package io.wabasync.sync;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/** The 2Chat endpoints' 400 / 401 / 404 answers, always in the JSON error shape. */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class TwoChatErrorsTest {

    @InjectFakeMeta
    FakeMeta meta;

    @ParameterizedTest
    @ValueSource(strings = { "/open/waba/templates/sync", "/open/waba/templates" })
    void missingPhoneNumberIs400(String path) {
        Connected c = Fixtures.connectedChannel(meta);
        given().header("X-User-API-Key", c.workspace().apiKey())
                .when().request(path.endsWith("sync") ? "POST" : "GET", path)
                .then().statusCode(400)
                .contentType("application/json")
                .body("success", equalTo(false))
                .body("message", containsString("phone_number"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "5215512345432", "%2B52%2015512345432", "%2B52155abc45432", "%2B123", "%2B%2B5215512345432",
            "%2B0215512345432", "%2B5215512345432123456", "+52155+12345432" })
    void invalidPhoneNumbersAre400(String rawQueryValue) {
        Connected c = Fixtures.connectedChannel(meta);
        given().urlEncodingEnabled(false).header("X-User-API-Key", c.workspace().apiKey())
                .post("/open/waba/templates/sync?phone_number=" + rawQueryValue)
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("message", containsString("E.164"));
        given().urlEncodingEnabled(false).header("X-User-API-Key", c.workspace().apiKey())
                .get("/open/waba/templates?phone_number=" + rawQueryValue)
                .then().statusCode(400).body("success", equalTo(false));
    }

    @Test
    void missingOrUnknownKeyIs401() {
        Connected c = Fixtures.connectedChannel(meta);
        given().queryParam("phone_number", c.phoneNumber()).post("/open/waba/templates/sync")
                .then().statusCode(401).body("success", equalTo(false));
        given().header("X-User-API-Key", "wsk_not-a-key").queryParam("phone_number", c.phoneNumber())
                .post("/open/waba/templates/sync")
                .then().statusCode(401).body("success", equalTo(false));
        given().header("Authorization", "Bearer wsk_not-a-key").queryParam("phone_number", c.phoneNumber())
                .get("/open/waba/templates")
                .then().statusCode(401).body("success", equalTo(false));
        given().header("Authorization", "Basic " + c.workspace().apiKey()).queryParam("phone_number", c.phoneNumber())
                .get("/open/waba/templates/sync")
                .then().statusCode(401);
        org.assertj.core.api.Assertions.assertThat(meta.waba(c.wabaId()).requests()).isZero();
    }

    @Test
    void numberNotConnectedInThisWorkspaceIs404() {
        Connected c = Fixtures.connectedChannel(meta);
        String stranger = Fixtures.newPhoneNumber();
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", stranger)
                .post("/open/waba/templates/sync")
                .then().statusCode(404).body("success", equalTo(false)).body("message", containsString("not connected"));
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", stranger)
                .get("/open/waba/templates")
                .then().statusCode(404).body("success", equalTo(false));
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", stranger)
                .get("/open/waba/templates/sync")
                .then().statusCode(404).body("success", equalTo(false));
    }

    @Test
    void invalidPageParameterIs400() {
        Connected c = Fixtures.connectedChannel(meta);
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", c.phoneNumber())
                .queryParam("page", "two").get("/open/waba/templates")
                .then().statusCode(400).body("message", containsString("page"));
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", c.phoneNumber())
                .queryParam("page", "-1").get("/open/waba/templates")
                .then().statusCode(400).body("success", equalTo(false));
    }

    @Test
    void unknownPathsAndMethodsAnswerJson() {
        Connected c = Fixtures.connectedChannel(meta);
        given().header("X-User-API-Key", c.workspace().apiKey()).get("/open/waba/nothing-here")
                .then().statusCode(404).contentType("application/json").body("success", equalTo(false));
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", c.phoneNumber())
                .delete("/open/waba/templates/sync")
                .then().statusCode(405).contentType("application/json").body("success", equalTo(false))
                .body(not(containsString("Exception")));
    }
}
