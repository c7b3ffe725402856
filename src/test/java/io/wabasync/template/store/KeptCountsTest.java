package io.wabasync.template.store;

import static io.restassured.RestAssured.given;
import static io.wabasync.testing.MetaWebhooks.delivery;
import static io.wabasync.testing.MetaWebhooks.statusChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.KeptCounts;
import io.wabasync.testing.MetaWebhooks;

/**
 * The lists' totals come from kept counts, not from counting: they must equal {@code count(*)} after
 * every path that changes templates, after a writer dies mid-transaction, while writers race on one
 * number, and after folding.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class KeptCountsTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @Inject
    TemplateCounts counts;

    @Test
    void syncWebhooksAndRemovalsKeepTheTotalsBothSurfacesServe() {
        List<ObjectNode> atMeta = new ArrayList<>(TwoChatSyncTest.templates("kc_approved", 30, "APPROVED"));
        atMeta.addAll(TwoChatSyncTest.templates("kc_pending", 20, "PENDING"));
        atMeta.addAll(TwoChatSyncTest.templates("kc_rejected", 5, "REJECTED"));
        Connected c = Fixtures.syncedChannel(meta, atMeta);
        assertTotals(c, 55, 30, 20);

        // Meta approves five of the pending ones, by webhook.
        List<ObjectNode> changes = atMeta.subList(30, 35).stream().map(t -> statusChange(t.path("id").asText(),
                t.path("name").asText(), t.path("language").asText(), "APPROVED", null)).toList();
        MetaWebhooks.post(delivery(c.wabaId(), Instant.now().plusSeconds(1), changes)).statusCode(200);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> lancePilotTotal(c, "APPROVED") == 35);
        assertTotals(c, 55, 35, 15);

        // A full sync no longer finds ten approved ones: removed, so no longer counted.
        List<ObjectNode> now = new ArrayList<>(atMeta.subList(10, 55));
        now.forEach(t -> {
            if (atMeta.indexOf(t) < 35) {
                t.put("status", "APPROVED");
            }
        });
        meta.waba(c.wabaId()).templates(now);
        TwoChatSyncTest.startSync(c).statusCode(200);
        assertThat(TwoChatSyncTest.awaitFinished(c).getString("status")).isEqualTo("SUCCEEDED");
        assertTotals(c, 45, 25, 15);
    }

    @Test
    void aWriterKilledMidTransactionTakesItsCountsWithIt() {
        Connected c = Fixtures.syncedChannel(meta, TwoChatSyncTest.templates("kc_killed", 12, "PENDING"));
        UUID channel = UUID.fromString(c.channelId());
        SqlConnection writer = pool.getConnection().await().indefinitely();
        int pid = writer.query("SELECT pg_backend_pid()").execute().await().indefinitely().iterator().next().getInteger(0);
        writer.query("BEGIN").execute().await().indefinitely();
        writer.preparedQuery("UPDATE template SET status = 'APPROVED' WHERE channel_id = $1")
                .execute(Tuple.of(channel)).await().indefinitely();
        writer.preparedQuery("UPDATE template SET removed_at = now() WHERE channel_id = $1 AND name LIKE 'kc_killed%'")
                .execute(Tuple.of(channel)).await().indefinitely();
        Number seenByWriter = (Number) writer.preparedQuery("SELECT sum(n) FROM template_count WHERE channel_id = $1")
                .execute(Tuple.of(channel)).await().indefinitely().iterator().next().getValue(0);
        assertThat(seenByWriter.longValue()).as("the writer's own transaction counts its changes").isZero();
        assertThat(twoChatTotal(c)).as("others do not see them before the commit").isEqualTo(12);

        // The writer dies before it commits, as when its process or its backend is killed.
        pool.preparedQuery("SELECT pg_terminate_backend($1)").execute(Tuple.of(pid)).await().indefinitely();
        assertThatThrownBy(() -> writer.query("COMMIT").execute().await().atMost(Duration.ofSeconds(10)))
                .as("the connection is gone").isNotNull();
        writer.close().onFailure().recoverWithNull().await().indefinitely();

        assertTotals(c, 12, 0, 12);
        assertThat(mismatches()).isZero();
    }

    @Test
    void writersRacingOnOneNumberNeitherWaitOnEachOtherNorMiscount() {
        Connected c = Fixtures.syncedChannel(meta, TwoChatSyncTest.templates("kc_race", 40, "PENDING"));
        UUID channel = UUID.fromString(c.channelId());
        List<UUID> ids = pool.preparedQuery("SELECT id FROM template WHERE channel_id = $1 ORDER BY name")
                .execute(Tuple.of(channel)).await().indefinitely().stream().map(row -> row.getUUID(0)).toList();
        String[] statuses = { "APPROVED", "REJECTED", "PAUSED", "PENDING" };
        // Eight transactions, each moving five templates through statuses in its own order: with a
        // counter row per status they would queue on (and deadlock over) the same rows.
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            List<UUID> mine = ids.subList(w * 5, w * 5 + 5);
            int shift = w;
            writers.add(pool.withTransaction(tx -> {
                Uni<Void> steps = Uni.createFrom().voidItem();
                for (int s = 0; s < statuses.length; s++) {
                    String status = statuses[(s + shift) % statuses.length];
                    steps = steps.chain(() -> tx.preparedQuery("UPDATE template SET status = $1 WHERE id = ANY($2)")
                            .execute(Tuple.of(status, mine.toArray(UUID[]::new))).replaceWithVoid());
                }
                return steps;
            }).subscribeAsCompletionStage());
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS)
                .join();
        assertThat(mismatches()).isZero();
        long pending = sum("SELECT count(*) FROM template WHERE channel_id = $1 AND status = 'PENDING'", channel);
        assertThat(lancePilotTotal(c, "PENDING")).isEqualTo(pending);
        assertThat(twoChatTotal(c)).isEqualTo(40);
    }

    @Test
    void foldingLeavesOneRowPerStatusAndTheSameSums() {
        Connected c = Fixtures.syncedChannel(meta, TwoChatSyncTest.templates("kc_fold", 30, "PENDING"));
        UUID channel = UUID.fromString(c.channelId());
        for (int i = 0; i < 12; i++) {
            pool.preparedQuery("UPDATE template SET status = $1 WHERE id = (SELECT id FROM template WHERE channel_id = $2 "
                    + "AND status = 'PENDING' ORDER BY name LIMIT 1)")
                    .execute(Tuple.of(i % 2 == 0 ? "APPROVED" : "REJECTED", channel)).await().indefinitely();
        }
        assertThat(sum("SELECT count(*) FROM template_count WHERE channel_id = $1", channel))
                .isGreaterThan(TemplateCounts.FOLD_ABOVE);

        counts.fold().await().indefinitely();

        assertThat(sum("SELECT count(*) FROM template_count WHERE channel_id = $1", channel)).isEqualTo(3);
        assertTotals(c, 30, 6, 18);
        assertThat(mismatches()).isZero();
    }

    private void assertTotals(Connected c, long all, long approved, long pending) {
        assertThat(twoChatTotal(c)).as("2Chat total").isEqualTo(all);
        assertThat(lancePilotTotal(c, null)).as("LancePilot total").isEqualTo(all);
        assertThat(lancePilotTotal(c, "APPROVED")).as("LancePilot APPROVED").isEqualTo(approved);
        assertThat(lancePilotTotal(c, "pending")).as("LancePilot PENDING").isEqualTo(pending);
        assertThat(mismatches()).as("keys whose kept count differs from count(*)").isZero();
    }

    private static long twoChatTotal(Connected c) {
        return given().header("X-User-API-Key", c.workspace().apiKey()).queryParam("phone_number", c.phoneNumber())
                .get("/open/waba/templates").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    private static long lancePilotTotal(Connected c, String status) {
        var request = given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .queryParam("phone_number", c.phoneNumber());
        if (status != null) {
            request.queryParam("status", status);
        }
        JsonPath body = request.get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(200).extract().jsonPath();
        return body.getLong("meta.total");
    }

    private long mismatches() {
        return pool.query(KeptCounts.MISMATCHES).execute().await().indefinitely().iterator().next().getLong(0);
    }

    private long sum(String sql, UUID channel) {
        Number n = (Number) pool.preparedQuery(sql).execute(Tuple.of(channel)).await().indefinitely().iterator().next()
                .getValue(0);
        return n == null ? 0 : n.longValue();
    }
}
