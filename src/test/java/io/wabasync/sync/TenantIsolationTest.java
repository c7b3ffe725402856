package io.wabasync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/** One workspace's key never reaches another workspace's number: 404, as if it did not exist. */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class TenantIsolationTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Test
    void anotherWorkspacesNumberIs404AndNothingRuns() {
        Connected victim = Fixtures.connectedChannel(meta);
        meta.waba(victim.wabaId()).templates(TwoChatSyncTest.templates("v", 3, "APPROVED"));
        Fixtures.Workspace intruder = Fixtures.workspace();

        for (String header : new String[] { "X-User-API-Key", "Authorization" }) {
            String value = header.equals("Authorization") ? "Bearer " + intruder.apiKey() : intruder.apiKey();
            given().header(header, value).queryParam("phone_number", victim.phoneNumber())
                    .post("/open/waba/templates/sync").then().statusCode(404).body("success", equalTo(false));
            given().header(header, value).queryParam("phone_number", victim.phoneNumber())
                    .get("/open/waba/templates/sync").then().statusCode(404);
            given().header(header, value).queryParam("phone_number", victim.phoneNumber())
                    .get("/open/waba/templates").then().statusCode(404);
        }
        assertThat(meta.waba(victim.wabaId()).requests()).isZero();

        // The owner still syncs normally, and the intruder still cannot read the result.
        TwoChatSyncTest.startSync(victim).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(victim).getString("status")).isEqualTo("SUCCEEDED");
        given().header("X-User-API-Key", intruder.apiKey()).queryParam("phone_number", victim.phoneNumber())
                .get("/open/waba/templates").then().statusCode(404);
    }
}
