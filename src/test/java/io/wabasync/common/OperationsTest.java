package io.wabasync.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/** What an operator looks at: health, Prometheus metrics, the OpenAPI document. */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class OperationsTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Test
    void healthEndpointsAnswer() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem("Reactive PostgreSQL connections health check"));
    }

    @Test
    void metricsAfterASync() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("m", 4, "APPROVED"));
        TwoChatSyncTest.startSync(c).statusCode(200);
        TwoChatSyncTest.awaitFinished(c);
        meta.waba(c.wabaId(), "EAAGrejected");
        TwoChatSyncTest.startSync(c).statusCode(200);
        TwoChatSyncTest.awaitFinished(c);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics)
                    .contains("wabasync_sync_jobs_total{kind=\"FULL\",outcome=\"succeeded\"}")
                    .contains("wabasync_sync_jobs_total{kind=\"FULL\",outcome=\"failed\"}")
                    .contains("wabasync_sync_duration_seconds_bucket{kind=\"FULL\",outcome=\"succeeded\"")
                    .contains("wabasync_templates{status=\"APPROVED\"}")
                    .contains("wabasync_meta_calls_total{graph_code=\"none\",outcome=\"success\"}")
                    .contains("wabasync_meta_calls_total{graph_code=\"190\",outcome=\"token_invalid\"}")
                    .contains("wabasync_reconcile_round_seconds_count");
        });
    }

    @Test
    void openApiDescribesEveryContractPathBothKeysAndTheErrorShape() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Object> paths = doc.getMap("paths");
        assertThat(paths).containsKeys(
                "/admin/workspaces",
                "/api/v3/workspaces/{workspace}/channels",
                "/api/v3/workspaces/{workspace}/channels/{id}",
                "/open/waba/templates/sync",
                "/open/waba/templates",
                "/api/v3/workspaces/{workspace}/templates/sync",
                "/api/v3/workspaces/{workspace}/templates",
                "/api/v3/workspaces/{workspace}/templates/{id}",
                "/api/v3/workspaces/{workspace}/sync-jobs",
                "/api/v3/workspaces/{workspace}/sync-jobs/{id}",
                "/api/v3/workspaces/{workspace}/templates/events",
                "/api/v3/workspaces/{workspace}/webhooks",
                "/api/v3/workspaces/{workspace}/webhooks/{id}",
                "/api/v3/workspaces/{workspace}/webhooks/{id}/rotate-secret",
                "/api/v3/workspaces/{workspace}/webhooks/{id}/deliveries",
                "/api/v3/workspaces/{workspace}/webhooks/{id}/deliveries/{delivery}",
                "/api/v3/workspaces/{workspace}/webhooks/{id}/deliveries/{delivery}/redeliver");
        // 2Chat's list writes template_content and waba from JSON made before (issue 24): the schema stays 2Chat's.
        assertThat(doc.getString("components.schemas.TwoChatTemplateView.properties.templateContent.type"))
                .isEqualTo("string");
        assertThat(doc.getString("components.schemas.TwoChatTemplateView.properties.waba.$ref"))
                .endsWith("/TwoChatWaba");
        assertThat(paths).noneSatisfy((path, item) -> assertThat(path).startsWith("/console"));
        String hooks = "paths.'/api/v3/workspaces/{workspace}/webhooks'";
        assertThat(doc.getMap(hooks)).containsKeys("get", "post");
        assertThat(doc.getMap(hooks + ".post.responses")).containsKeys("201", "400", "401", "404");
        assertThat(doc.getMap("paths.'/api/v3/workspaces/{workspace}/webhooks/{id}'")).containsKeys("get", "patch",
                "delete");
        assertThat(doc.getMap("paths.'/api/v3/workspaces/{workspace}/templates/events'.get.responses"))
                .containsKeys("200", "400", "410");
        assertThat(doc.getList("paths.'/api/v3/workspaces/{workspace}/templates/events'.get.parameters.name"))
                .contains("Last-Event-ID", "since");
        assertThat(doc.getMap("components.securitySchemes")).containsKeys("X-User-API-Key", "bearer");
        assertThat(doc.getString("components.securitySchemes.'X-User-API-Key'.name")).isEqualTo("X-User-API-Key");
        assertThat(doc.getList("components.schemas.ApiError.required")).containsExactlyInAnyOrder("success", "message");
        assertThat(doc.getString("paths.'/open/waba/templates/sync'.post.responses.'401'.content.'application/json'.schema.$ref"))
                .isEqualTo("#/components/schemas/ApiError");
        // Template management: create (JSON or with its file), edit, delete, with their own answers.
        String templates = "paths.'/api/v3/workspaces/{workspace}/templates'";
        String template = "paths.'/api/v3/workspaces/{workspace}/templates/{id}'";
        assertThat(doc.getMap(templates + ".post.requestBody.content")).containsKeys("application/json", "multipart/form-data");
        assertThat(doc.getMap(templates + ".post.responses")).containsKeys("201", "400", "409", "422", "429", "504");
        assertThat(doc.getString(templates + ".post.responses.'409'.content.'application/json'.schema.$ref"))
                .isEqualTo("#/components/schemas/ApiError");
        assertThat(doc.getMap(template)).containsKeys("get", "post", "delete");
        assertThat(doc.getMap(template + ".post.responses")).containsKeys("200", "409", "429");
        assertThat(doc.getMap(template + ".delete.responses")).containsKeys("200", "409");
        List<Object> security = doc.getList("paths.'/open/waba/templates'.get.security");
        assertThat(security).hasSize(2);
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
