package io.wabasync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.KeptCounts;
import io.wabasync.testing.Replicas;

/**
 * Three service instances on one PostgreSQL, the scheduler ticking fast on each: over a round,
 * every channel with PENDING templates is read from Meta exactly once, by whichever instance
 * claimed it, and the instances share the work instead of queueing behind one another.
 */
class MultiReplicaReconcileIT {

    private static final int CHANNELS = 24;
    private static FakeMeta meta;
    private static Replicas replicas;

    @BeforeAll
    static void startReplicas() throws Exception {
        meta = new FakeMeta();
        meta.start();
        replicas = Replicas.start(3, meta, Map.of(
                "WABASYNC_RECONCILE_EVERY", "1h",
                "WABASYNC_RECONCILE_TICK", "1s",
                "WABASYNC_RECONCILE_INITIAL_DELAY", "1s",
                "WABASYNC_RECONCILE_CONCURRENCY", "2",
                // Every replica folds the kept counts often, so folds race each other and the writers.
                "WABASYNC_TEMPLATE_COUNTS_FOLD_EVERY", "200ms"));
    }

    @AfterAll
    static void stopReplicas() {
        if (replicas != null) {
            replicas.close();
        }
        if (meta != null) {
            meta.stop();
        }
    }

    @Test
    void eachChannelIsReconciledOnceByOneOfTheReplicas() {
        String admin = replicas.url(0);
        JsonPath ws = Replicas.createWorkspace(admin, "Replicated");
        String workspace = ws.getString("id");
        String key = ws.getString("api_key");

        Map<String, String> wabaByPhone = new HashMap<>();
        for (int i = 0; i < CHANNELS; i++) {
            String phone = "+1415555" + String.format("%04d", i);
            String waba = "55500000" + String.format("%04d", i);
            String token = "EAAGreplica" + i;
            // Meta answers slowly, so a replica working alone would be visibly slower.
            meta.waba(waba, token)
                    .templates(TwoChatSyncTest.templates("r" + i, 3, "PENDING"))
                    .delay(Duration.ofMillis(300))
                    .changeStatusAfterFirstFullRead("APPROVED");
            wabaByPhone.put(phone, waba);
            given().baseUri(replicas.url(i % 3)).contentType(ContentType.JSON).header("X-User-API-Key", key)
                    .body(Map.of("phone_number", phone, "waba_id", waba, "access_token", token))
                    .post("/api/v3/workspaces/{ws}/channels", workspace).then().statusCode(201);
            // The full sync stores the templates as PENDING; Meta approves them right after.
            given().baseUri(replicas.url(i % 3)).header("X-User-API-Key", key).queryParam("phone_number", phone)
                    .post("/open/waba/templates/sync").then().statusCode(200);
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> pendingCount(workspace, key) == 0);

        // One full-sync read and one reconciliation read per WABA, and it stays so for the round.
        Map<String, Integer> expected = wabaByPhone.values().stream().collect(Collectors.toMap(w -> w, w -> 2));
        assertThat(requestsPerWaba(wabaByPhone)).isEqualTo(expected);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> requestsPerWaba(wabaByPhone).equals(expected));

        List<Map<String, Object>> reconciles = jobs(workspace, key).stream()
                .filter(job -> "RECONCILE".equals(job.get("kind"))).toList();
        assertThat(reconciles).hasSize(CHANNELS);
        assertThat(reconciles).allMatch(job -> "SUCCEEDED".equals(job.get("status")));
        assertThat(reconciles.stream().map(job -> job.get("channel_id")).distinct()).hasSize(CHANNELS);

        // Every replica took channels: they split the round rather than waiting on one another.
        Set<String> runners = reconciles.stream().map(job -> (String) job.get("runner")).collect(Collectors.toSet());
        Set<String> pids = runners.stream().map(r -> r.substring(r.lastIndexOf('/') + 1)).collect(Collectors.toSet());
        assertThat(pids).containsExactlyInAnyOrderElementsOf(
                replicas.pids().stream().map(String::valueOf).toList());

        // The totals the lists serve are kept by whichever replica wrote, and folded by all of them.
        assertThat(KeptCounts.mismatches(replicas.database())).isZero();
        assertThat(given().baseUri(replicas.url(0)).header("Authorization", "Bearer " + key)
                .queryParam("status", "APPROVED").get("/api/v3/workspaces/{ws}/templates", workspace)
                .then().statusCode(200).extract().jsonPath().getLong("meta.total")).isEqualTo(CHANNELS * 3L);
    }

    private static long pendingCount(String workspace, String key) {
        return given().baseUri(replicas.url(1)).header("Authorization", "Bearer " + key)
                .queryParam("status", "PENDING").get("/api/v3/workspaces/{ws}/templates", workspace)
                .then().statusCode(200).extract().jsonPath().getLong("meta.total");
    }

    private static Map<String, Integer> requestsPerWaba(Map<String, String> wabaByPhone) {
        Map<String, Integer> counts = new HashMap<>();
        wabaByPhone.values().forEach(w -> counts.put(w, meta.waba(w).requests()));
        return counts;
    }

    private static List<Map<String, Object>> jobs(String workspace, String key) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonPath body = given().baseUri(replicas.url(2)).header("X-User-API-Key", key)
                    .queryParam("per_page", 100).queryParam("page", page)
                    .get("/api/v3/workspaces/{ws}/sync-jobs", workspace).then().statusCode(200).extract().jsonPath();
            all.addAll(body.getList("data"));
            if (page >= body.getInt("meta.last_page")) {
                return all;
            }
        }
    }
}
