package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.Replicas;

/**
 * The read path across two replicas on one PostgreSQL: whatever one replica changes, the other's
 * very next read shows (no polling: keys and channels are not cached anywhere), and the derived
 * forms kept per component text never let one workspace see another's templates.
 */
class ReadPathReplicasIT {

    private static FakeMeta meta;
    private static Replicas replicas;

    @BeforeAll
    static void start() throws Exception {
        meta = new FakeMeta();
        meta.start();
        replicas = Replicas.start(2, meta, Map.of("WABASYNC_RECONCILE_TICK", "off"));
    }

    @AfterAll
    static void stop() {
        if (replicas != null) {
            replicas.close();
        }
        if (meta != null) {
            meta.stop();
        }
    }

    @Test
    void aChangeOnOneReplicaIsReadOnTheOtherAtOnceAndWorkspacesStayApart() {
        String one = replicas.url(0);
        String other = replicas.url(1);
        JsonPath a = Replicas.createWorkspace(one, "Reader A");
        JsonPath b = Replicas.createWorkspace(other, "Reader B");
        // Both workspaces' numbers have templates with the very same components (one cache entry).
        String phoneA = connect(one, a, "7001001", 3);
        String phoneB = connect(one, b, "7001002", 2);
        sync(one, a, phoneA);
        sync(one, b, phoneB);

        JsonPath pageA = twoChat(other, a.getString("api_key"), phoneA).statusCode(200).extract().jsonPath();
        assertThat(pageA.getInt("total")).isEqualTo(3);
        assertThat(pageA.getList("templates.waba.phone_number", String.class)).containsOnly(phoneA);
        assertThat(pageA.getString("templates[0].template_content")).contains("Hello {{1}}");

        // Another workspace's number does not exist for this key, on either surface.
        twoChat(other, b.getString("api_key"), phoneA).statusCode(404);
        JsonPath listB = given().baseUri(other).header("Authorization", "Bearer " + b.getString("api_key"))
                .get("/api/v3/workspaces/{ws}/templates", b.getString("id")).then().statusCode(200).extract().jsonPath();
        assertThat(listB.getInt("meta.total")).isEqualTo(2);
        assertThat(listB.getList("data.phone_number", String.class)).containsOnly(phoneB);
        assertThat(listB.getList("data.workspace_id", String.class)).containsOnly(b.getString("id"));
        JsonPath filtered = given().baseUri(other).header("Authorization", "Bearer " + b.getString("api_key"))
                .queryParam("phone_number", phoneA)
                .get("/api/v3/workspaces/{ws}/templates", b.getString("id")).then().statusCode(200).extract().jsonPath();
        assertThat(filtered.getInt("meta.total")).isZero();
        assertThat(filtered.getList("data")).isEmpty();
        given().baseUri(other).header("Authorization", "Bearer " + b.getString("api_key"))
                .get("/api/v3/workspaces/{ws}/templates", a.getString("id")).then().statusCode(404);

        // New texts synced through one replica are what the other shows next (a new text, a new entry).
        for (ObjectNode template : meta.waba(waba("7001001")).templates()) {
            ((ObjectNode) template.withArray("components").get(1)).put("text", "Changed {{1}}");
        }
        sync(one, a, phoneA);
        assertThat(twoChat(other, a.getString("api_key"), phoneA).statusCode(200).extract().jsonPath()
                .getList("templates.template_content", String.class)).allMatch(text -> text.contains("Changed {{1}}"));
        assertThat(given().baseUri(other).header("Authorization", "Bearer " + b.getString("api_key"))
                .get("/api/v3/workspaces/{ws}/templates", b.getString("id")).then().statusCode(200).extract()
                .jsonPath().getList("data.components.body.text", String.class)).allMatch(text -> text.startsWith("Hi {{1}}"));

        // A number disconnected through one replica is gone on the other with its very next request.
        String channelA = given().baseUri(one).header("X-User-API-Key", a.getString("api_key"))
                .get("/api/v3/workspaces/{ws}/channels", a.getString("id")).then().statusCode(200).extract()
                .path("data[0].id");
        given().baseUri(one).header("X-User-API-Key", a.getString("api_key"))
                .delete("/api/v3/workspaces/{ws}/channels/{id}", a.getString("id"), channelA).then().statusCode(204);
        twoChat(other, a.getString("api_key"), phoneA).statusCode(404);
        assertThat(given().baseUri(other).header("X-User-API-Key", a.getString("api_key"))
                .get("/api/v3/workspaces/{ws}/templates", a.getString("id")).then().statusCode(200).extract()
                .jsonPath().getInt("meta.total")).isZero();
    }

    private static io.restassured.response.ValidatableResponse twoChat(String url, String key, String phone) {
        return given().baseUri(url).header("X-User-API-Key", key).queryParam("phone_number", phone)
                .get("/open/waba/templates").then();
    }

    private static String waba(String suffix) {
        return "880" + suffix;
    }

    private static String connect(String url, JsonPath ws, String suffix, int templates) {
        List<ObjectNode> list = new ArrayList<>();
        for (int i = 0; i < templates; i++) {
            ObjectNode t = FakeMeta.realisticTemplate(Long.parseLong("9" + suffix + i), 0, "APPROVED");
            t.put("name", "order_update_" + i);
            list.add(t);
        }
        meta.waba(waba(suffix), "EAAGread" + suffix).templates(list);
        String phone = "+1415" + suffix;
        given().baseUri(url).contentType(ContentType.JSON).header("X-User-API-Key", ws.getString("api_key"))
                .body(Map.of("phone_number", phone, "waba_id", waba(suffix), "access_token", "EAAGread" + suffix))
                .post("/api/v3/workspaces/{ws}/channels", ws.getString("id")).then().statusCode(201);
        return phone;
    }

    private static void sync(String url, JsonPath ws, String phone) {
        given().baseUri(url).header("X-User-API-Key", ws.getString("api_key")).queryParam("phone_number", phone)
                .post("/open/waba/templates/sync").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> "SUCCEEDED".equals(
                given().baseUri(url).header("X-User-API-Key", ws.getString("api_key")).queryParam("phone_number", phone)
                        .get("/open/waba/templates/sync").then().extract().path("status")));
    }
}
