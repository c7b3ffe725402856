package io.wabasync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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

@QuarkusTest
@WithTestResource(FakeMetaResource.class)
public class TwoChatSyncTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Test
    void readsEveryPageOfAWabaWithMoreThan25Templates() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(templates("promo", 57, "APPROVED"));

        JsonPath started = startSync(c).statusCode(200)
                .body("success", equalTo(true))
                .body("is_syncing", equalTo(true))
                .body("message", equalTo("Template sync started in background. Please wait."))
                .body("start_time_syncing", notNullValue())
                .extract().jsonPath();

        JsonPath job = awaitFinished(c);
        assertThat(job.getString("sync_id")).isEqualTo(started.getString("sync_id"));
        assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(job.getInt("pages")).isEqualTo(6); // 57 templates, 10 per page
        assertThat(job.getInt("templates_seen")).isEqualTo(57);
        assertThat(job.getInt("created")).isEqualTo(57);
        assertThat(job.getString("finished_at")).isNotNull();
        assertThat(job.getBoolean("is_syncing")).isFalse();

        given().header("X-User-API-Key", c.workspace().apiKey())
                .queryParam("phone_number", c.phoneNumber()).queryParam("page", 0)
                .get("/open/waba/templates")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("total", equalTo(57))
                .body("page", equalTo(0))
                .body("next_page", equalTo(1))
                .body("templates.size()", equalTo(50))
                .body("templates[0].uuid", notNullValue())
                .body("templates[0].components[0].type", equalTo("HEADER"));
        given().header("X-User-API-Key", c.workspace().apiKey())
                .queryParam("phone_number", c.phoneNumber()).queryParam("page", 1)
                .get("/open/waba/templates")
                .then().statusCode(200)
                .body("templates.size()", equalTo(7))
                .body("next_page", nullValue());
        assertThat(listAll(c)).extracting(t -> t.get("provider_id"))
                .containsExactlyInAnyOrderElementsOf(ids(meta.waba(c.wabaId()).templates()));
        // Only the fields we store are asked for.
        assertThat(meta.waba(c.wabaId()).fieldsAsked()).allMatch(
                f -> f.equals("id,name,language,status,category,components,rejected_reason,quality_score,"
                        + "previous_category,correct_category,sub_category,parameter_format,message_send_ttl_seconds"));
    }

    @Test
    void oneNameInThreeLanguagesIsThreeTemplates() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(List.of(
                FakeMeta.template("1001", "order_update", "en_US", "APPROVED", "UTILITY"),
                FakeMeta.template("1002", "order_update", "pt_BR", "PENDING", "UTILITY"),
                FakeMeta.template("1003", "order_update", "es_MX", "REJECTED", "UTILITY")));

        startSync(c).statusCode(200);
        assertThat(awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");

        List<Map<String, Object>> stored = listAll(c);
        assertThat(stored).hasSize(3);
        assertThat(stored).extracting(t -> t.get("name")).containsOnly("order_update");
        assertThat(stored).extracting(t -> t.get("language") + "=" + t.get("status"))
                .containsExactlyInAnyOrder("en_US=APPROVED", "pt_BR=PENDING", "es_MX=REJECTED");
    }

    @Test
    void nextSyncReflectsModifiedAddedAndRemovedTemplates() {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(templates("welcome", 30, "PENDING"));
        startSync(c).statusCode(200);
        assertThat(awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");

        List<ObjectNode> next = new ArrayList<>(waba.templates());
        String approvedId = next.get(3).get("id").asText();
        next.get(3).put("status", "APPROVED");
        String editedId = next.get(17).get("id").asText();
        ((ObjectNode) next.get(17).get("components").get(1)).put("text", "A new body {{1}}");
        String goneA = next.remove(25).get("id").asText();
        String goneB = next.remove(0).get("id").asText();
        next.add(FakeMeta.template("990001", "brand_new", "en_US", "PENDING", "MARKETING"));
        waba.templates(next);

        startSync(c).statusCode(200).body("message", equalTo("Template sync started in background. Please wait."));
        JsonPath job = awaitFinished(c);
        assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(job.getInt("created")).isEqualTo(1);
        assertThat(job.getInt("updated")).isEqualTo(2);
        assertThat(job.getInt("removed")).isEqualTo(2);

        Map<String, Map<String, Object>> byId = listAll(c).stream()
                .collect(Collectors.toMap(t -> (String) t.get("provider_id"), t -> t));
        assertThat(byId).hasSize(29).doesNotContainKeys(goneA, goneB).containsKey("990001");
        assertThat(byId.get(approvedId).get("status")).isEqualTo("APPROVED");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> components = (List<Map<String, Object>>) byId.get(editedId).get("components");
        assertThat(components.get(1).get("text")).isEqualTo("A new body {{1}}");
    }

    @Test
    void metaFailureOnPage2LeavesEveryStoredTemplateAndFailsTheJob() {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(templates("notice", 30, "PENDING"));
        startSync(c).statusCode(200);
        assertThat(awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        List<Map<String, Object>> before = listAll(c);

        // At Meta now: a template on page 3 is approved and two others are gone; page 2 fails.
        List<ObjectNode> changed = new ArrayList<>(waba.templates());
        String lateId = changed.get(24).get("id").asText();
        changed.get(24).put("status", "APPROVED");
        changed.remove(29);
        changed.remove(28);
        waba.templates(changed)
                .failPageWithGraphError(2, 500, 2, "An unexpected error occurred. Please retry your request");

        startSync(c).statusCode(200);
        JsonPath job = awaitFinished(c);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("HTTP 500").contains("Meta error 2");
        assertThat(job.getInt("removed")).isZero();

        List<Map<String, Object>> after = listAll(c);
        assertThat(after).hasSize(30);
        assertThat(after).extracting(t -> t.get("provider_id"))
                .containsExactlyInAnyOrderElementsOf(before.stream().map(t -> t.get("provider_id")).toList());
        assertThat(after.stream().filter(t -> lateId.equals(t.get("provider_id"))).findFirst().orElseThrow()
                .get("status")).isEqualTo("PENDING");
        waba.clearFaults();
    }

    @Test
    void expiredTokenFailsTheJobWithMetasError() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId(), "a-token-meta-no-longer-accepts-elsewhere").templates(templates("t", 3, "APPROVED"));

        startSync(c).statusCode(200);
        JsonPath job = awaitFinished(c);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("190").doesNotContain(c.token());
    }

    @Test
    void malformedMetaBodyFailsTheJob() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(templates("m", 15, "APPROVED")).failPage(2, 200, "{\"data\": [ {\"id\": ", 1);

        startSync(c).statusCode(200);
        JsonPath job = awaitFinished(c);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("malformed");
        assertThat(listAll(c)).hasSize(10); // page 1 was stored, nothing removed
    }

    @Test
    void sixteenParallelTriggersStartExactlyOneJob() throws Exception {
        Connected c = Fixtures.connectedChannel(meta);
        FakeMeta.Waba waba = meta.waba(c.wabaId()).templates(templates("p", 12, "APPROVED"))
                .delay(Duration.ofMillis(700));

        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<JsonPath>> triggers = IntStream.range(0, 16)
                    .mapToObj(i -> (Callable<JsonPath>) () -> startSync(c).statusCode(200).extract().jsonPath())
                    .toList();
            List<JsonPath> answers = new ArrayList<>();
            for (Future<JsonPath> f : pool.invokeAll(triggers)) {
                answers.add(f.get());
            }
            Set<String> syncIds = answers.stream().map(a -> a.getString("sync_id")).collect(Collectors.toSet());
            assertThat(syncIds).hasSize(1);
            assertThat(answers).filteredOn(a -> a.getString("message").startsWith("Template sync started")).hasSize(1);
            assertThat(answers).filteredOn(a -> a.getString("message").startsWith("Template sync is already in progress"))
                    .hasSize(15);
            assertThat(answers).allMatch(a -> a.getBoolean("is_syncing"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        assertThat(waba.firstPageRequests()).isEqualTo(1);
        waba.clearFaults();
    }

    @Test
    void rawPlusFrom2ChatsCurlAndEncodedPlusAreTheSameNumber() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(templates("x", 2, "APPROVED"));

        String syncId = given().urlEncodingEnabled(false).header("X-User-API-Key", c.workspace().apiKey())
                .post("/open/waba/templates/sync?phone_number=" + c.phoneNumber()) // raw '+', decoded as a space
                .then().statusCode(200).extract().path("sync_id");
        given().urlEncodingEnabled(false).header("X-User-API-Key", c.workspace().apiKey())
                .get("/open/waba/templates/sync?phone_number=%2B" + c.phoneNumber().substring(1))
                .then().statusCode(200).body("sync_id", equalTo(syncId));
        awaitFinished(c);
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + c.workspace().apiKey())
                .get("/open/waba/templates?phone_number=" + c.phoneNumber())
                .then().statusCode(200).body("total", equalTo(2));
    }

    @Test
    void statusOfANumberNeverSynced() {
        Connected c = Fixtures.connectedChannel(meta);
        given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", c.phoneNumber())
                .get("/open/waba/templates/sync")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("is_syncing", equalTo(false))
                .body("sync_id", nullValue());
    }

    // --- helpers ---------------------------------------------------------------------------

    private static final AtomicLong TEMPLATE_IDS = new AtomicLong(1_214_624_639_000_000L);

    public static List<ObjectNode> templates(String prefix, int count, String status) {
        return IntStream.range(0, count)
                .mapToObj(i -> {
                    long id = TEMPLATE_IDS.incrementAndGet();
                    return FakeMeta.template(String.valueOf(id), prefix + "_" + id, i % 2 == 0 ? "en_US" : "pt_BR",
                            status, "MARKETING");
                })
                .toList();
    }

    static List<String> ids(List<ObjectNode> templates) {
        return templates.stream().map(t -> t.get("id").asText()).toList();
    }

    public static io.restassured.response.ValidatableResponse startSync(Connected c) {
        return given().header("X-User-API-Key", c.workspace().apiKey())
                .queryParam("phone_number", c.phoneNumber())
                .post("/open/waba/templates/sync").then();
    }

    public static JsonPath status(Connected c) {
        return given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", c.phoneNumber())
                .get("/open/waba/templates/sync").then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath awaitFinished(Connected c) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().header("X-User-API-Key", c.workspace().apiKey())
                        .queryParam("phone_number", c.phoneNumber())
                        .get("/open/waba/templates/sync")
                        .then().statusCode(200).extract().jsonPath(),
                        job -> job.getString("status") != null && !"RUNNING".equals(job.getString("status")));
    }

    public static List<Map<String, Object>> listAll(Connected c) {
        List<Map<String, Object>> all = new ArrayList<>();
        Integer page = 0;
        while (page != null) {
            JsonPath body = given().header("X-User-API-Key", c.workspace().apiKey())
                    .queryParam("phone_number", c.phoneNumber()).queryParam("page", page)
                    .get("/open/waba/templates").then().statusCode(200).extract().jsonPath();
            all.addAll(body.getList("templates"));
            page = body.get("next_page");
        }
        return all;
    }
}
