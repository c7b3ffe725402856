package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static io.wabasync.template.TemplateCreateTest.orderUpdate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.job.JobSweeper;
import io.wabasync.sync.SyncEngine;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.EventStream;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.MetaWebhooks;

/**
 * A template's whole life through LancePilot's API, against a fake Meta with Meta's rules: create →
 * PENDING → approved by webhook → edit → UPDATING → approved again by reconciliation → delete → gone
 * from both lists, each step on the live stream; and the edit and delete rules that refuse before Meta.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class TemplateLifecycleTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    SyncEngine engine;

    @Inject
    JobSweeper sweeper;

    @Inject
    Pool pool;

    @Test
    void createApproveEditReviewDelete() throws Throwable {
        Connected c = Fixtures.connectedChannel(meta);
        try (EventStream stream = EventStream.open("http://localhost:" + RestAssured.port, c.workspace().id(),
                c.workspace().apiKey())) {
            JsonPath created = create(c, orderUpdate("lifecycle")).statusCode(201).extract().jsonPath();
            int id = created.getInt("data.id");
            String metaId = created.getString("data.provider_id");
            assertThat(created.getString("data.status")).isEqualTo("PENDING");

            // Meta approves: its webhook says so.
            meta.waba(c.wabaId()).review(metaId, "APPROVED");
            MetaWebhooks.post(MetaWebhooks.delivery(c.wabaId(), Instant.now().plusSeconds(1),
                    MetaWebhooks.statusChange(metaId, "lifecycle", "en_US", "APPROVED", "NONE"))).statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> "APPROVED".equals(detail(c, id).getString("data.status")));

            // An edit: the body text changes; UPDATING while Meta reviews it.
            ObjectNode edited = orderUpdate("lifecycle");
            edited.with("body").put("text", "Hello {{1}}, order {{2}} is on its way.");
            edit(c, id, edited).statusCode(200).body("status", equalTo(200))
                    .body("message", equalTo("Resource updated successfully.")).body("data.status", equalTo("UPDATING"))
                    .body("data.components.body.text", equalTo("Hello {{1}}, order {{2}} is on its way."));
            assertThat(meta.waba(c.wabaId()).templates().get(0).at("/components/1/text").asText())
                    .isEqualTo("Hello {{1}}, order {{2}} is on its way.");
            // Meta still reviewing (PENDING at Meta) keeps UPDATING; its verdict ends it.
            reconcile(c);
            assertThat(detail(c, id).getString("data.status")).isEqualTo("UPDATING");
            meta.waba(c.wabaId()).review(metaId, "APPROVED");
            reconcile(c);
            assertThat(detail(c, id).getString("data.status")).isEqualTo("APPROVED");

            // Delete: answered at once, done by a job, gone from both lists.
            given().header("Authorization", "Bearer " + c.workspace().apiKey())
                    .delete("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), id)
                    .then().statusCode(200).body("success", equalTo(true))
                    .body("message", equalTo("Template deleted successfully"));
            await().atMost(Duration.ofSeconds(10)).until(() -> lancePilotNames(c).isEmpty());
            assertThat(twoChatNames(c)).isEmpty();
            assertThat(meta.waba(c.wabaId()).templates()).isEmpty();
            JsonPath jobs = given().header("Authorization", "Bearer " + c.workspace().apiKey())
                    .get("/api/v3/workspaces/{ws}/sync-jobs", c.workspace().id()).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(jobs.getList("data.kind")).contains("DELETE");
            assertThat(detail(c, id).getList("data.status_history.to"))
                    .containsExactly("PENDING", "APPROVED", "UPDATING", "APPROVED", "DELETED");

            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().stream()
                    .filter(e -> "lifecycle".equals(e.path("name").asText()) && "status".equals(e.path("field").asText()))
                    .map(e -> e.path("new_status").asText()).toList()
                    .equals(List.of("PENDING", "APPROVED", "UPDATING", "APPROVED", "DELETED")));
            assertThat(stream.events()).anySatisfy(e -> assertThat(e.path("field").asText() + " " + e.path("new_value").asText()
                    + " " + e.path("source").asText()).isEqualTo("removed true API"));
        }
    }

    @Test
    void editRulesAreCheckedBeforeMeta() throws Throwable {
        Connected c = Fixtures.connectedChannel(meta);
        JsonPath created = create(c, orderUpdate("rules_edit")).statusCode(201).extract().jsonPath();
        int id = created.getInt("data.id");
        String metaId = created.getString("data.provider_id");

        // PENDING: Meta edits only APPROVED, REJECTED or PAUSED templates.
        edit(c, id, orderUpdate("rules_edit")).statusCode(409).body("message", containsString("PENDING"));
        edit(c, id, orderUpdate("renamed")).statusCode(400).body("errors", hasKey("name"));
        edit(c, id, orderUpdate("rules_edit").put("language", "pt_BR")).statusCode(400).body("errors", hasKey("language"));
        assertThat(meta.waba(c.wabaId()).editRequests()).isZero();

        meta.waba(c.wabaId()).review(metaId, "APPROVED");
        reconcile(c);
        assertThat(detail(c, id).getString("data.status")).isEqualTo("APPROVED");
        edit(c, id, orderUpdate("rules_edit").put("category", "MARKETING")).statusCode(400)
                .body("errors.category[0]", containsString("approved"));
        edit(c, id, orderUpdate("rules_edit")).statusCode(200);
        meta.waba(c.wabaId()).review(metaId, "APPROVED");
        reconcile(c);
        // An approved template: once in 24 hours, counted here, and Meta is not asked.
        edit(c, id, orderUpdate("rules_edit")).statusCode(429).body("message", containsString("next edit is allowed from"));
        assertThat(meta.waba(c.wabaId()).editRequests()).isEqualTo(1);

        given().header("Authorization", "Bearer " + c.workspace().apiKey()).contentType(ContentType.JSON)
                .body(orderUpdate("rules_edit").toString())
                .post("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), 999_999_999)
                .then().statusCode(404).body("message", equalTo("Template not found"));
    }

    @Test
    void disabledTemplatesAreNotDeletedAndMetasRefusalFailsTheJob() {
        Connected c = Fixtures.syncedChannel(meta, TwoChatSyncTest.templates("del", 2, "DISABLED"));
        List<Integer> ids = lancePilotIds(c);
        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .delete("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), ids.get(0))
                .then().statusCode(409).body("message", containsString("DISABLED"));
        assertThat(meta.waba(c.wabaId()).deleteRequests()).isZero();

        meta.waba(c.wabaId()).templates().forEach(t -> t.put("status", "APPROVED"));
        TwoChatSyncTest.startSync(c).statusCode(200);
        TwoChatSyncTest.awaitFinished(c);
        meta.waba(c.wabaId()).failDeletes(Integer.MAX_VALUE, 403, 200, "Permissions error");
        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .delete("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), ids.get(0))
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> deleteJobError(c) != null);
        assertThat(deleteJobError(c)).contains("Permissions error");
        assertThat(lancePilotIds(c)).containsExactlyElementsOf(ids);
    }

    @Test
    void aDeleteJobLeftByAStoppedInstanceIsTakenOverAndCompleted() throws Throwable {
        Connected c = Fixtures.syncedChannel(meta, TwoChatSyncTest.templates("orphan", 1, "APPROVED"));
        String uuid = given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id()).then().extract().path("data[0].uuid");
        // As a killed instance leaves it: RUNNING, its heartbeat long gone.
        pool.preparedQuery("""
                INSERT INTO sync_job (id, workspace_id, channel_id, kind, status, runner, started_at, heartbeat_at, template_id)
                VALUES ($1, $2, $3, 'DELETE', 'RUNNING', 'dead/1', now() - interval '1 hour', now() - interval '1 hour', $4)
                """).execute(Tuple.of(UUID.randomUUID(), UUID.fromString(c.workspace().id()), UUID.fromString(c.channelId()),
                UUID.fromString(uuid))).await().atMost(Duration.ofSeconds(5));
        // Neither the abandoned-job sweep nor a full sync's claim of the channel ends a delete; the
        // take-over completes it.
        VertxContextSupport.subscribeAndAwait(() -> sweeper.failAbandoned());
        TwoChatSyncTest.startSync(c).statusCode(200);
        TwoChatSyncTest.awaitFinished(c);
        assertThat(lancePilotIds(c)).hasSize(1);
        VertxContextSupport.subscribeAndAwait(() -> sweeper.takeOverAbandoned());
        assertThat(lancePilotIds(c)).isEmpty();
        assertThat(meta.waba(c.wabaId()).templates()).isEmpty();
    }

    // --- helpers ----------------------------------------------------------------------------------

    private void reconcile(Connected c) throws Throwable {
        pool.preparedQuery("UPDATE channel SET reconcile_due_at = CASE WHEN id = $1 THEN now() - interval '1 second' "
                + "ELSE now() + interval '1 day' END").execute(Tuple.of(UUID.fromString(c.channelId())))
                .await().atMost(Duration.ofSeconds(5));
        VertxContextSupport.subscribeAndAwait(() -> engine.reconcileDueChannels());
    }

    private static ValidatableResponse create(Connected c, ObjectNode body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + c.workspace().apiKey())
                .body(body.toString()).post("/api/v3/workspaces/{ws}/templates", c.workspace().id()).then();
    }

    private static ValidatableResponse edit(Connected c, int id, ObjectNode body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + c.workspace().apiKey())
                .body(body.toString()).post("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), id).then();
    }

    private static JsonPath detail(Connected c, int id) {
        return given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), id).then().statusCode(200)
                .extract().jsonPath();
    }

    private static List<String> lancePilotNames(Connected c) {
        return given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id()).then().statusCode(200)
                .extract().jsonPath().getList("data.name");
    }

    private static List<Integer> lancePilotIds(Connected c) {
        return given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates", c.workspace().id()).then().statusCode(200)
                .extract().jsonPath().getList("data.id");
    }

    private static List<String> twoChatNames(Connected c) {
        return given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", c.phoneNumber())
                .get("/open/waba/templates").then().statusCode(200).extract().jsonPath().getList("templates.name");
    }

    private String deleteJobError(Connected c) {
        JsonPath jobs = given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/sync-jobs", c.workspace().id()).then().statusCode(200).extract().jsonPath();
        List<String> kinds = jobs.getList("data.kind");
        int i = kinds.indexOf("DELETE");
        return i < 0 || !"FAILED".equals(jobs.getString("data[" + i + "].status")) ? null : jobs.getString("data[" + i + "].error");
    }
}
