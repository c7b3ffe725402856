package io.wabasync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/** LancePilot's pending-status sync: its three answers and what it may and may not touch. */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class LancePilotSyncTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Test
    void noPendingTemplatesIs404WithLancePilotsMessage() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("ok", 4, "APPROVED"));
        fullSync(c);
        int before = meta.waba(c.wabaId()).requests();

        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .post("/api/v3/workspaces/{ws}/templates/sync", c.workspace().id())
                .then().statusCode(404)
                .body("success", equalTo(false))
                .body("message", equalTo("No pending templates found"));
        assertThat(meta.waba(c.wabaId()).requests()).isEqualTo(before);
    }

    @Test
    void updatesOnlyPendingTemplatesAndRecordsTheirHistory() {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId());
        List<ObjectNode> initial = new ArrayList<>();
        initial.addAll(TwoChatSyncTest.templates("pend", 3, "PENDING"));
        initial.addAll(TwoChatSyncTest.templates("appr", 2, "APPROVED"));
        waba.templates(initial);
        fullSync(c);

        List<ObjectNode> atMeta = new ArrayList<>(waba.templates());
        String approved = id(atMeta.get(0));
        atMeta.get(0).put("status", "APPROVED").put("category", "UTILITY");
        String rejected = id(atMeta.get(1));
        atMeta.get(1).put("status", "REJECTED").put("rejected_reason", "INVALID_FORMAT");
        atMeta.get(1).putObject("quality_score").put("score", "UNKNOWN");
        String stillPending = id(atMeta.get(2));
        atMeta.get(2).put("name", "renamed_at_meta"); // not a status field: left alone
        String wasApproved = id(atMeta.get(3));
        atMeta.get(3).put("status", "PAUSED"); // not PENDING here: left alone
        waba.templates(atMeta);

        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .post("/api/v3/workspaces/{ws}/templates/sync", c.workspace().id())
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("message", equalTo("Templates synced successfully"));

        Map<String, Map<String, Object>> byId = list(c, "").stream()
                .collect(Collectors.toMap(t -> (String) t.get("provider_id"), t -> t));
        assertThat(byId.get(approved)).containsEntry("status", "APPROVED").containsEntry("category", "UTILITY");
        assertThat(byId.get(rejected)).containsEntry("status", "REJECTED")
                .containsEntry("rejected_reason", "INVALID_FORMAT").containsEntry("quality_score", "UNKNOWN");
        assertThat(byId.get(stillPending)).containsEntry("status", "PENDING");
        assertThat((String) byId.get(stillPending).get("name")).startsWith("pend_");
        assertThat(byId.get(wasApproved)).containsEntry("status", "APPROVED");

        JsonPath detail = given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/templates/{id}", c.workspace().id(), byId.get(approved).get("id"))
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.provider_id", equalTo(approved))
                .body("data.phone_number", equalTo(c.phoneNumber()))
                .extract().jsonPath();
        assertThat(detail.getList("data.status_history.from")).containsExactly(null, "PENDING");
        assertThat(detail.getList("data.status_history.to")).containsExactly("PENDING", "APPROVED");
        assertThat(detail.getList("data.status_history.source")).containsExactly("SYNC", "RECONCILE");
        assertThat(detail.getList("data.status_history.at")).allMatch(at -> at != null);

        JsonPath jobs = given().header("X-User-API-Key", c.workspace().apiKey())
                .queryParam("phone_number", c.phoneNumber())
                .get("/api/v3/workspaces/{ws}/sync-jobs", c.workspace().id())
                .then().statusCode(200).body("success", equalTo(true)).extract().jsonPath();
        assertThat(jobs.getList("data.kind")).containsExactly("RECONCILE", "FULL");
        assertThat(jobs.getInt("data[0].updated")).isEqualTo(2);
        assertThat(jobs.getString("data[0].status")).isEqualTo("SUCCEEDED");
        given().header("X-User-API-Key", c.workspace().apiKey())
                .get("/api/v3/workspaces/{ws}/sync-jobs/{id}", c.workspace().id(), jobs.getString("data[1].id"))
                .then().statusCode(200)
                .body("data.kind", equalTo("FULL"))
                .body("data.phone_number", equalTo(c.phoneNumber()))
                .body("data.created", equalTo(5));
    }

    @Test
    void metaFailingForOneOfTwoChannelsIs500AndKeepsTheOtherChannelsUpdates() {
        Connected first = Fixtures.connectedChannel(meta);
        Fixtures.Workspace ws = first.workspace();
        String secondPhone = Fixtures.newPhoneNumber();
        String secondWaba = Fixtures.newWabaId();
        meta.waba(secondWaba, "EAAGsecond");
        Fixtures.connect(ws, secondPhone, secondWaba, "EAAGsecond").statusCode(201);
        Connected second = new Connected(ws, null, secondPhone, secondWaba, "EAAGsecond");

        meta.waba(first.wabaId()).templates(TwoChatSyncTest.templates("one", 2, "PENDING"));
        meta.waba(secondWaba).templates(TwoChatSyncTest.templates("two", 2, "PENDING"));
        fullSync(first);
        fullSync(second);

        meta.waba(first.wabaId()).templates().forEach(t -> t.put("status", "APPROVED"));
        meta.waba(secondWaba).templates().forEach(t -> t.put("status", "APPROVED"));
        meta.waba(secondWaba).failPageWithGraphError(1, 500, 2, "An unexpected error occurred");

        given().header("X-User-API-Key", ws.apiKey())
                .post("/api/v3/workspaces/{ws}/templates/sync", ws.id())
                .then().statusCode(500)
                .body("success", equalTo(false))
                .body("message", equalTo("Failed to sync the templates"));

        assertThat(list(first, "")).extracting(t -> t.get("status")).containsOnly("APPROVED");
        assertThat(list(second, "")).extracting(t -> t.get("status")).containsOnly("PENDING");
        JsonPath jobs = given().header("X-User-API-Key", ws.apiKey()).queryParam("phone_number", secondPhone)
                .get("/api/v3/workspaces/{ws}/sync-jobs", ws.id()).then().statusCode(200).extract().jsonPath();
        assertThat(jobs.getString("data[0].status")).isEqualTo("FAILED");
        assertThat(jobs.getString("data[0].error")).contains("Meta error 2");
        meta.waba(secondWaba).clearFaults();
    }

    @Test
    void stopsReadingMetaOnceEveryPendingTemplateIsFound() {
        Connected c = Fixtures.connectedChannel(meta);
        List<ObjectNode> templates = new ArrayList<>(TwoChatSyncTest.templates("many", 35, "APPROVED"));
        templates.get(4).put("status", "PENDING");
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(templates);
        fullSync(c);
        int before = waba.requests();
        templates.get(4).put("status", "APPROVED");

        given().header("X-User-API-Key", c.workspace().apiKey())
                .post("/api/v3/workspaces/{ws}/templates/sync", c.workspace().id())
                .then().statusCode(200);
        assertThat(waba.requests() - before).isEqualTo(1); // the pending one is on the first of four pages
        assertThat(list(c, "&status=PENDING")).isEmpty();
    }

    private static String id(ObjectNode template) {
        return template.get("id").asText();
    }

    static void fullSync(Connected c) {
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
    }

    static List<Map<String, Object>> list(Connected c, String extraQuery) {
        return given().urlEncodingEnabled(false).header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/api/v3/workspaces/" + c.workspace().id() + "/templates?per_page=100&phone_number=%2B"
                        + c.phoneNumber().substring(1) + extraQuery)
                .then().statusCode(200).extract().jsonPath().getList("data");
    }
}
