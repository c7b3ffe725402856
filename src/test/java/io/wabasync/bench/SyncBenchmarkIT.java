package io.wabasync.bench;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.wabasync.testing.EventStream;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.MetaWebhooks;
import io.wabasync.testing.Replicas;

/**
 * {@code mvn verify -Pbench}: wabasync's sync against what this machine allows, each figure with its
 * baseline in the same run, printed as one table (also written to target/bench/results.md).
 */
@Tag("bench")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncBenchmarkIT {

    private static final int TEMPLATES = 6_000;
    private static final List<String[]> ROWS = new ArrayList<>();
    private static final AtomicLong IDS = new AtomicLong(5_000_000_000L);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeMeta meta;
    private static Replicas service;
    private static String workspace;
    private static String key;
    private static Channel measured;

    record Channel(String id, String phone, String waba, String token) {
    }

    @BeforeAll
    static void start() throws Exception {
        meta = new FakeMeta();
        meta.start();
        Map<String, String> env = new java.util.HashMap<>(Map.of("WABASYNC_RECONCILE_TICK", "off",
                "WABASYNC_WEBHOOK_APP_SECRET", MetaWebhooks.APP_SECRET, "WABASYNC_OUTBOUND_ALLOWED_HOSTS", "127.0.0.1"));
        String commit = System.getProperty("bench.synchronous-commit", "");
        if (!commit.isBlank()) {
            env.put("QUARKUS_DATASOURCE_REACTIVE_ADDITIONAL_PROPERTIES_SYNCHRONOUS_COMMIT", commit);
        }
        service = Replicas.start(1, meta, env, profiled("-Xmx512m", "service"));
        JsonPath ws = Replicas.createWorkspace(service.url(0), "Bench");
        workspace = ws.getString("id");
        key = ws.getString("api_key");
    }

    @AfterAll
    static void report() throws Exception {
        if (service != null) {
            service.close();
        }
        if (meta != null) {
            meta.stop();
        }
        StringBuilder table = new StringBuilder();
        table.append("wabasync benchmark, ").append(LocalDate.now()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", PostgreSQL 14 (embedded) on loopback\n\n");
        table.append("| id | measure | result | baseline / target |\n|---|---|---|---|\n");
        ROWS.forEach(r -> table.append("| ").append(String.join(" | ", r)).append(" |\n"));
        System.out.println("\n" + table);
        Files.createDirectories(Path.of("target", "bench"));
        Files.writeString(Path.of("target", "bench", "results.md"), table);
    }

    @Test
    @Order(1)
    void b1FullSyncOf6000TemplatesAgainstFetchAndWriteBaselines() throws Exception {
        // Warm-up: JIT, pools, caches. One sync left the compiler threads busy through the measured one
        // (JFR: 1.2 s of compilation in its 5 s), so the sync paid for the JIT and the baselines did not.
        for (int i = 0; i < 3; i++) {
            sync(channel(TEMPLATES, Duration.ZERO));
        }
        measured = channel(TEMPLATES, Duration.ZERO);
        long pid = service.pids().get(0);
        double serviceCpu = Bench.cpuMillis(pid);
        double postgresCpu = Bench.postgresCpuMillis();
        double sync = sync(measured);
        serviceCpu = Bench.cpuMillis(pid) - serviceCpu;
        postgresCpu = Bench.postgresCpuMillis() - postgresCpu;

        List<Double> fetches = new ArrayList<>();
        List<Double> writes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fetches.add(fetchAllPages(measured));
            writes.add(batchUpsert(measured));
        }
        double fetch = Bench.median(fetches.subList(1, 4));
        double write = Bench.median(writes.subList(1, 4));
        row("B1", "full sync, 6,000 templates, 60 pages", String.format("%.2f s, %.0f templates/s; CPU: service %.2f s, "
                + "PostgreSQL %.2f s", sync, TEMPLATES / sync, serviceCpu / 1000, postgresCpu / 1000),
                String.format("(a) fetch only %.2f s, (b) one pipelined batch upsert %.2f s; sync/(a+b) = %.2f "
                        + "(target 1.5), sync/max(a,b) = %.2f (stretch 1.2)", fetch, write, sync / (fetch + write),
                        sync / Math.max(fetch, write)));
    }

    @Test
    @Order(2)
    void b2ResyncWithOnePercentChanged() throws Exception {
        FakeMeta.Waba waba = meta.waba(measured.waba());
        List<ObjectNode> templates = waba.templates();
        for (int i = 0; i < TEMPLATES; i += 100) {
            templates.get(i).put("status", "PAUSED");
        }
        long xid = queryLong("SELECT txid_current()");
        double took = sync(measured);
        long written = queryLong("SELECT count(*) FROM template WHERE channel_id = '" + measured.id()
                + "'::uuid AND xmin::text::bigint >= " + xid);
        JsonPath job = status(measured);
        row("B2", "resync, 1% (60) changed", String.format("%.2f s, %d rows written", took, written),
                String.format("job: %d updated, %d created; unchanged rows not rewritten (target: 60)",
                        job.getInt("updated"), job.getInt("created")));
        assertThat(written).isEqualTo(60);
    }

    @Test
    @Order(3)
    void b4HttpUnderLoad() throws Exception {
        Channel busy = channel(20, Duration.ofSeconds(120));
        given().baseUri(service.url(0)).header("X-User-API-Key", key).queryParam("phone_number", busy.phone())
                .post("/open/waba/templates/sync").then().statusCode(200);
        String base = service.url(0);
        Map<String, String> auth = Map.of("X-User-API-Key", key);
        LoadTools.wrk(base + "/open/waba/templates/sync?phone_number=" + busy.phone().replace("+", "%2B"), 16,
                Duration.ofSeconds(3), auth, "POST");
        LoadTools.Result trigger = LoadTools.wrk(base + "/open/waba/templates/sync?phone_number="
                + busy.phone().replace("+", "%2B"), 16, Duration.ofSeconds(10), auth, "POST");
        row("B4a", "POST sync on a number already syncing, wrk 16 connections, 10 s", trigger.describe(),
                "answers 'already in progress' from one indexed read");
        assertThat(trigger.errors()).isZero();
        meta.waba(busy.waba()).delay(Duration.ZERO);
        readsAgainstTheDatabaseFloor();
    }

    /**
     * B4b (2Chat's list of one number) and B4c (LancePilot's list of the workspace), 50 per page, the
     * first page and page 100, each beside pgbench running the least SQL that yields the same page
     * (key lookup included) on the same database at the same concurrency.
     */
    private static void readsAgainstTheDatabaseFloor() throws Exception {
        // Settle autovacuum's work on the synced rows first, as it would be on a live system.
        try (Connection c = service.database().getConnection(); Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE template");
        }
        String base = service.url(0);
        Map<String, String> auth = Map.of("X-User-API-Key", key);
        String phone = measured.phone().replace("+", "%2B");
        Map<String, String> vars = Map.of("khash", sha256(key), "ws", workspace, "phone", measured.phone(),
                "ch", measured.id());
        String twoChatFloor = """
                SELECT workspace_id FROM api_key WHERE key_hash = :khash;
                SELECT id, phone_number, waba_id, status, friendly_name, verified_name, created_at, updated_at
                  FROM channel WHERE workspace_id = :ws AND phone_number = :phone;
                SELECT count(*) FROM template WHERE channel_id = :ch AND removed_at IS NULL;
                SELECT t.id, t.name, t.status, t.category, t.description, t.updated_at, t.provider_id, t.language,
                       t.components, t.rejected_reason, t.quality_score
                  FROM (SELECT id FROM template WHERE channel_id = :ch AND removed_at IS NULL
                         ORDER BY name, language, id LIMIT 50 OFFSET %d) page JOIN template t USING (id)
                 ORDER BY t.name, t.language, t.id;
                """;
        String lancePilotFloor = """
                SELECT workspace_id FROM api_key WHERE key_hash = :khash;
                SELECT id, phone_number FROM channel WHERE workspace_id = :ws;
                SELECT count(*) FROM template WHERE workspace_id = :ws AND removed_at IS NULL;
                SELECT t.number, t.workspace_id, t.channel_id, t.name, t.language, t.category, t.status,
                       t.provider_id, t.components, t.rejected_reason, t.quality_score, t.created_at, t.updated_at,
                       t.id, t.previous_category, t.correct_category, t.sub_category, t.parameter_format,
                       t.message_send_ttl_seconds, t.other_info, t.rejection_info, t.disable_info, t.locked
                  FROM (SELECT id FROM template WHERE workspace_id = :ws AND removed_at IS NULL
                         ORDER BY name, language, id LIMIT 50 OFFSET %d) page JOIN template t USING (id)
                 ORDER BY t.name, t.language, t.id;
                """;
        record Read(String id, String what, String url, String floor) {
        }
        List<Read> reads = List.of(
                new Read("B4b", "2Chat GET /open/waba/templates, first page",
                        base + "/open/waba/templates?phone_number=" + phone + "&page=0", twoChatFloor.formatted(0)),
                new Read("B4b", "2Chat GET /open/waba/templates, page 100",
                        base + "/open/waba/templates?phone_number=" + phone + "&page=99", twoChatFloor.formatted(99 * 50)),
                new Read("B4c", "LancePilot GET /api/v3/workspaces/{ws}/templates, first page",
                        base + "/api/v3/workspaces/" + workspace + "/templates?per_page=50&page=1",
                        lancePilotFloor.formatted(0)),
                new Read("B4c", "LancePilot GET /api/v3/workspaces/{ws}/templates, page 100",
                        base + "/api/v3/workspaces/" + workspace + "/templates?per_page=50&page=100",
                        lancePilotFloor.formatted(99 * 50)));
        int port = dbPort();
        for (Read read : reads) {
            LoadTools.wrk(read.url(), 16, Duration.ofSeconds(3), auth, "GET"); // warm-up: JIT, pools, plans
            LoadTools.Result floor = LoadTools.pgbench(port, read.floor(), vars, 16, Duration.ofSeconds(10));
            // CPU per page, which the machine's noise moves far less than the rates: the service's process and
            // PostgreSQL's (its pooled connections live through the run, so their time is all counted).
            long pid = service.pids().get(0);
            double serviceCpu = Bench.cpuMillis(pid);
            double postgresCpu = Bench.postgresCpuMillis();
            LoadTools.Result served = LoadTools.wrk(read.url(), 16, Duration.ofSeconds(10), auth, "GET");
            double serviceMsPerPage = (Bench.cpuMillis(pid) - serviceCpu) / served.requests();
            double postgresMsPerPage = (Bench.postgresCpuMillis() - postgresCpu) / served.requests();
            row(read.id(), read.what() + ", 50 per page, 6,000 templates, wrk 16 connections, 10 s", served.describe()
                    + String.format("; CPU per page: service %.2f ms, PostgreSQL %.2f ms", serviceMsPerPage,
                            postgresMsPerPage),
                    String.format("database floor (pgbench, 16 clients, the least SQL with a count): %.0f/s, p99 %.1f ms; "
                            + "served/floor = **%.2f** (target 1.0); p99 served/floor = **%.1f** (target 2)",
                            floor.perSecond(), floor.p99Millis(), served.perSecond() / floor.perSecond(),
                            served.p99Millis() / floor.p99Millis()));
            assertThat(served.errors()).isZero();
            assertThat(floor.errors()).isZero();
        }
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    @Order(4)
    void b3TenWabasAtOnceIn128MegabytesOfHeap() throws Exception {
        try (Replicas small = Replicas.start(1, meta, Map.of("WABASYNC_RECONCILE_TICK", "off"), List.of("-Xmx128m"))) {
            String url = small.url(0);
            JsonPath ws = Replicas.createWorkspace(url, "Memory");
            double[] small10 = tenAtOnce(url, ws, 1_000, small.pids().get(0));
            double[] large10 = tenAtOnce(url, ws, TEMPLATES, small.pids().get(0));
            row("B3", "10 WABAs synced at once, -Xmx128m", String.format(
                    "10 × 6,000: done in %.1f s; live set (full GC, every 3 s, max) %.1f MB; peak heap used %.0f MB; "
                            + "old gen after GC (Micrometer's live-data gauge) %.0f MB", large10[0], large10[3],
                    large10[1], large10[2]),
                    String.format("10 × 1,000 in the same JVM: %.1f s, live set %s, peak %.0f MB, old gen after GC "
                            + "%.0f MB; live set ratio %s, old gen ratio %.2f (target 1.25)", small10[0],
                            small10[3] > 0 ? String.format("%.1f MB", small10[3]) : "not sampled (jcmd did not attach)",
                            small10[1], small10[2], small10[3] > 0 && large10[3] > 0
                                    ? String.format("%.2f", large10[3] / small10[3]) : "n/a",
                            large10[2] / small10[2]));
        }
    }

    @Test
    @Order(5)
    void b5ReconciliationRoundOver2000Channels() throws Exception {
        int channels = 2_000;
        int concurrency = 16;
        try (Replicas rec = Replicas.start(1, meta, Map.of(
                "WABASYNC_RECONCILE_TICK", "1s", "WABASYNC_RECONCILE_EVERY", "1h",
                "WABASYNC_RECONCILE_CONCURRENCY", String.valueOf(concurrency)), profiled("-Xmx256m", "reconcile"))) {
            String url = rec.url(0);
            JsonPath ws = Replicas.createWorkspace(url, "Round");
            // A warm-up round over other channels first: a round from a cold start also paid for the
            // JIT compiling the reconciliation path (as B1 and B10 showed), which a running service has done.
            int warm = 400;
            List<String[]> created = connectChannels(url, ws, channels + warm, "44", "+1666", "EAAGround", 3, "APPROVED");
            insertPending(rec, ws.getString("id"), created.subList(0, warm));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> queryLong(rec,
                    "SELECT count(*) FROM sync_job WHERE kind = 'RECONCILE' AND status <> 'RUNNING'") >= warm);
            String since = String.valueOf(queryDouble(rec, "SELECT extract(epoch FROM now())"));
            String measuredJobs = "kind = 'RECONCILE' AND started_at >= to_timestamp(" + since + ")";
            long service = rec.pids().get(0);
            double[] cpuBefore = { Bench.cpuMillis(service), Bench.postgresCpuMillis(), Bench.cpuMillis(ProcessHandle.current().pid()) };
            // Their three templates are PENDING here; Meta has approved them all.
            insertPending(rec, ws.getString("id"), created.subList(warm, warm + channels));
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> queryLong(rec,
                    "SELECT count(*) FROM sync_job WHERE " + measuredJobs + " AND status <> 'RUNNING'") >= channels);
            double serviceMs = (Bench.cpuMillis(service) - cpuBefore[0]) / channels;
            double postgresMs = (Bench.postgresCpuMillis() - cpuBefore[1]) / channels;
            double testMs = (Bench.cpuMillis(ProcessHandle.current().pid()) - cpuBefore[2]) / channels;
            double round = queryDouble(rec, "SELECT extract(epoch FROM max(finished_at) - min(started_at)) FROM sync_job "
                    + "WHERE " + measuredJobs);
            long pending = queryLong(rec, "SELECT count(*) FROM template WHERE status = 'PENDING'");
            double ideal = channels * 0.1 / concurrency;
            row("B5", "reconciliation round, 2,000 channels × 3 pending, Meta at 100 ms, after a warm-up round of 400",
                    String.format("%.1f s (%d still PENDING); CPU per reconciled channel: service %.1f ms, "
                            + "PostgreSQL %.1f ms, test JVM with the fake Meta %.1f ms", round, pending, serviceMs,
                            postgresMs, testMs),
                    String.format("ideal %d × 100 ms ÷ %d = %.1f s; round/ideal = **%.2f** (target 1.3); "
                            + "service CPU target 3 ms per channel", channels, concurrency, ideal, round / ideal));
            assertThat(pending).isZero();
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    /**
     * Connects {@code count} numbers, each with a WABA at the fake Meta holding {@code templatesEach}
     * realistic templates in {@code status} and answering in 100 ms: each one's id and WABA id.
     */
    private static List<String[]> connectChannels(String url, JsonPath ws, int count, String wabaPrefix, String phonePrefix,
            String tokenPrefix, int templatesEach, String status) {
        List<String[]> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String waba = wabaPrefix + (10_000_000 + i);
            List<ObjectNode> templates = new ArrayList<>();
            for (int t = 0; t < templatesEach; t++) {
                templates.add(FakeMeta.realisticTemplate(IDS.incrementAndGet(), t, status));
            }
            meta.waba(waba, tokenPrefix + i).templates(templates).delay(Duration.ofMillis(100));
            String id = given().baseUri(url).contentType(ContentType.JSON).header("X-User-API-Key", ws.getString("api_key"))
                    .body(Map.of("phone_number", phonePrefix + (1_000_000 + i), "waba_id", waba, "access_token", tokenPrefix + i))
                    .post("/api/v3/workspaces/{ws}/channels", ws.getString("id")).then().statusCode(201).extract().path("id");
            created.add(new String[] { id, waba });
        }
        return created;
    }

    /** Makes each channel's templates PENDING here, whatever Meta says: all due for reconciliation. */
    private static void insertPending(Replicas on, String workspaceId, List<String[]> channels) throws Exception {
        try (Connection c = on.database().getConnection(); PreparedStatement st = c.prepareStatement("""
                INSERT INTO template (id, workspace_id, channel_id, provider_id, name, language, status, created_at, updated_at)
                VALUES (gen_random_uuid(), ?::uuid, ?::uuid, ?, 'campaign_0_v' || ?, 'en_US', 'PENDING', now(), now())
                """)) {
            for (String[] ch : channels) {
                List<ObjectNode> ts = meta.waba(ch[1]).templates();
                for (int t = 0; t < ts.size(); t++) {
                    st.setString(1, workspaceId);
                    st.setString(2, ch[0]);
                    st.setString(3, ts.get(t).get("id").asText());
                    st.setInt(4, t);
                    st.addBatch();
                }
            }
            st.executeBatch();
        }
    }

    @Test
    @Order(6)
    void b6WebhooksAcknowledgedAppliedAndStreamed() throws Exception {
        List<ObjectNode> templates = meta.waba(measured.waba()).templates();
        long base = Instant.now().getEpochSecond() + 10;
        List<ObjectNode> changes = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ObjectNode t = templates.get(i);
            changes.add(MetaWebhooks.statusChange(t.get("id").asText(), t.get("name").asText(),
                    t.get("language").asText().replace('_', '-'), "REJECTED", "SCAM"));
        }
        String body = MetaWebhooks.delivery(measured.waba(), Instant.ofEpochSecond(base), changes);
        double applied;
        double streamed;
        double ack;
        try (EventStream stream = EventStream.open(service.url(0), workspace, key)) {
            long t0 = System.nanoTime();
            MetaWebhooks.post(service.url(0), body).statusCode(200);
            ack = (System.nanoTime() - t0) / 1e6;
            String rejected = "SELECT count(*) FROM template WHERE channel_id = '" + measured.id()
                    + "'::uuid AND status = 'REJECTED'";
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10)).until(() -> queryLong(rejected) == 1_000);
            applied = (System.nanoTime() - t0) / 1e6;
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10)).until(() -> stream.events().size() >= 1_000);
            streamed = (System.nanoTime() - t0) / 1e6;
        }
        row("B6a", "webhook delivery of 1,000 status changes (" + body.length() / 1024 + " KiB)",
                String.format("acknowledged in %.0f ms; all 1,000 applied %.0f ms after the POST; all 1,000 events on an "
                        + "SSE stream after %.0f ms", ack, applied, streamed),
                "stored before the 200, applied in one transaction (one locked select, batched writes)");

        String url = service.url(0) + "/webhooks/meta";
        LoadTools.Result load = Bench.run(16, Duration.ofSeconds(10), i -> {
            ObjectNode t = templates.get(Math.floorMod(i, 6_000));
            String one = MetaWebhooks.delivery(measured.waba(), Instant.ofEpochSecond(base + 1 + (i % 1_000_000)),
                    MetaWebhooks.statusChange(t.get("id").asText(), t.get("name").asText(), "en-US",
                            i % 2 == 0 ? "APPROVED" : "PAUSED", "NONE"));
            return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", MetaWebhooks.signature(one, MetaWebhooks.APP_SECRET))
                    .POST(HttpRequest.BodyPublishers.ofString(one)).build();
        });
        long t0 = System.nanoTime();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> queryLong("SELECT count(*) FROM webhook_delivery WHERE status = 'PENDING'") == 0);
        double drained = (System.nanoTime() - t0) / 1e3 / 1e3;
        row("B6b", "single-change webhook deliveries, 16 clients, 10 s", load.describe(),
                String.format("inbox empty %.0f ms after the last acknowledgement", drained));
        assertThat(load.errors()).isZero();
    }

    /**
     * B9: the same 1,000 changes with the customer's endpoint subscribed: each is logged, put in the
     * outbox at commit, signed and POSTed to a receiver on loopback that checks every signature.
     * Beside it, in the same run, how long applying alone took.
     */
    @Test
    @Order(7)
    void b9OutboundWebhooksForAThousandChanges() throws Exception {
        try (io.wabasync.testing.WebhookReceiver receiver = io.wabasync.testing.WebhookReceiver.start()) {
            String secret = given().baseUri(service.url(0)).contentType(ContentType.JSON).header("X-User-API-Key", key)
                    .body(Map.of("url", receiver.url(), "event_types", List.of("template.status_updated")))
                    .post("/api/v3/workspaces/{ws}/webhooks", workspace).then().statusCode(201)
                    .extract().path("data.secret");
            List<ObjectNode> templates = meta.waba(measured.waba()).templates();
            List<ObjectNode> changes = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                ObjectNode t = templates.get(i);
                changes.add(MetaWebhooks.statusChange(t.get("id").asText(), t.get("name").asText(),
                        t.get("language").asText().replace('_', '-'), "DISABLED", "NONE"));
            }
            String body = MetaWebhooks.delivery(measured.waba(), Instant.now().plusSeconds(3_000_000), changes);
            long t0 = System.nanoTime();
            MetaWebhooks.post(service.url(0), body).statusCode(200);
            String disabled = "SELECT count(*) FROM template WHERE channel_id = '" + measured.id()
                    + "'::uuid AND status = 'DISABLED'";
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10)).until(() -> queryLong(disabled) == 1_000);
            double applied = (System.nanoTime() - t0) / 1e6;
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10))
                    .until(() -> receiver.received().size() >= 1_000);
            double delivered = (System.nanoTime() - t0) / 1e6;
            assertThat(receiver.received()).hasSize(1_000).allSatisfy(r -> assertThat(
                    io.wabasync.testing.WebhookReceiver.signedWith(r, secret)).isTrue());
            // The attempts as the service timed them: connection, request and answer, receiver included.
            double p50 = queryDouble(service, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) "
                    + "FROM outbound_attempt");
            double p99 = queryDouble(service, "SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) "
                    + "FROM outbound_attempt");
            row("B9", "outbound webhooks: 1,000 status changes (one Meta delivery) to one endpoint on loopback",
                    String.format("all 1,000 received, signatures checked, %.0f ms after the POST (%.0f deliveries/s "
                            + "after applying); HTTP attempt p50 %.0f ms, p99 %.0f ms", delivered,
                            1_000 / ((delivered - applied) / 1e3), p50, p99),
                    String.format("applied (and logged, outbox rows written) %.0f ms after the POST", applied));
        }
    }

    /**
     * B10: does a user who outgrows one replica add capacity by adding replicas? The cluster build on
     * one PostgreSQL, 1,000 channels with 2 PENDING templates each (still PENDING at Meta, so every
     * channel stays due), Meta answering in 100 ms, period 1 s, concurrency 8: Meta reads per second
     * over a fixed window with one replica, then with three, each beside its ideal (replicas ×
     * concurrency ÷ latency), the CPU per read, and whether any channel was read twice in one period.
     */
    @Test
    @Order(8)
    void b10ReconciliationAcrossOneAndThreeReplicas() throws Exception {
        int channels = 1_000;
        int concurrency = 8;
        Duration window = Duration.ofSeconds(20);
        Map<String, String> env = Map.of("WABASYNC_RECONCILE_TICK", "1s", "WABASYNC_RECONCILE_EVERY", "1s",
                "WABASYNC_RECONCILE_INITIAL_DELAY", "1s", "WABASYNC_RECONCILE_CONCURRENCY", String.valueOf(concurrency));
        try (Replicas replicas = Replicas.start(3, meta, env, List.of("-Xmx256m"))) {
            String url = replicas.url(0);
            JsonPath ws = Replicas.createWorkspace(url, "Replicas");
            List<String[]> created = connectChannels(url, ws, channels, "55", "+1777", "EAAGscale", 2, "PENDING");
            // One replica first: the other two stop before any channel has a waiting template.
            replicas.terminate(1);
            replicas.terminate(2);
            insertPending(replicas, ws.getString("id"), created);
            double[] one = readsOver(replicas, created, List.of(0), window, concurrency);
            replicas.restart(1);
            replicas.restart(2);
            double[] three = readsOver(replicas, created, List.of(0, 1, 2), window, concurrency);
            row("B10", String.format("reconciliation, 1 then 3 replicas (cluster build, one PostgreSQL), %,d channels × 2 "
                    + "pending, Meta 100 ms, period 1 s, concurrency %d, window %d s", channels, concurrency, window.toSeconds()),
                    String.format("1 replica: %.0f Meta reads/s (%.2f of ideal %.0f), service CPU %.1f ms per read, job p50 "
                            + "%.0f ms, %d read twice in a period; 3 replicas: %.0f reads/s (%.2f of ideal %.0f), %.1f ms per "
                            + "read, job p50 %.0f ms, %d read twice",
                            one[0], one[0] / one[1], one[1], one[2], one[4], (long) one[3], three[0], three[0] / three[1],
                            three[1], three[2], three[4], (long) three[3]),
                    String.format("3 replicas ÷ 1 = **%.2f** (target 2.5); each ≥ 0.75 of ideal; service CPU ≤ 3 ms per "
                            + "channel; none read twice in a period", three[0] / one[0]));
        }
    }

    /**
     * Meta reads per second over the window, the ideal for these replicas, the service CPU (all of
     * them) per read, and how many channels had two reads less than a period apart.
     */
    private static double[] readsOver(Replicas replicas, List<String[]> channels, List<Integer> running,
            Duration window, int concurrency) throws Exception {
        Thread.sleep(15_000); // settle: JIT, pools, the first claims (a warm-up, not a synchronisation)
        long start = System.nanoTime();
        long before = channels.stream().mapToLong(ch -> meta.waba(ch[1]).firstPageTimes().size()).sum();
        double cpuBefore = running.stream().mapToDouble(i -> Bench.cpuMillis(replicas.pids().get(i))).sum();
        Thread.sleep(window.toMillis());
        long end = System.nanoTime();
        long reads = channels.stream().mapToLong(ch -> meta.waba(ch[1]).firstPageTimes().size()).sum() - before;
        double cpu = running.stream().mapToDouble(i -> Bench.cpuMillis(replicas.pids().get(i))).sum() - cpuBefore;
        long twice = channels.stream().filter(ch -> {
            List<Long> times = meta.waba(ch[1]).firstPageTimes().stream().filter(t -> t >= start && t <= end).sorted().toList();
            for (int k = 1; k < times.size(); k++) {
                // Under a period, with 100 ms of slack for a claim taken just as the period ended.
                if (times.get(k) - times.get(k - 1) < Duration.ofMillis(900).toNanos()) {
                    return true;
                }
            }
            return false;
        }).count();
        double seconds = (end - start) / 1e9;
        // How long a channel's job took from its row to its end: Meta's 100 ms plus our bookkeeping.
        double jobMillis = queryDouble(replicas, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "
                + "finished_at - started_at) * 1000) FROM sync_job WHERE kind = 'RECONCILE' AND finished_at > now() - interval '"
                + window.toSeconds() + " seconds'");
        return new double[] { reads / seconds, running.size() * concurrency / 0.1, reads == 0 ? 0 : cpu / reads, twice,
            jobMillis };
    }

    /**
     * The JVM options of a benchmark's service; -Dbench.profile=true adds a JFR recording,
     * target/bench/{name}.jfr, for `jfr print --events jdk.ExecutionSample`; -Dbench.jvm="-XX:+UseSerialGC ..."
     * adds options (a collector or heap setting to compare against the default in the same conditions).
     */
    private static List<String> profiled(String heap, String name) throws Exception {
        List<String> jvm = new ArrayList<>(List.of(heap));
        String extra = System.getProperty("bench.jvm", "");
        if (!extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (Boolean.getBoolean("bench.profile")) {
            Files.createDirectories(Path.of("target", "bench"));
            jvm.add("-XX:StartFlightRecording=filename=target/bench/" + name + ".jfr,settings=profile,dumponexit=true");
        }
        return jvm;
    }

    private static double[] tenAtOnce(String url, JsonPath ws, int templates, long pid) throws Exception {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String waba = "33" + IDS.incrementAndGet();
            List<ObjectNode> list = new ArrayList<>(templates);
            for (int t = 0; t < templates; t++) {
                list.add(FakeMeta.realisticTemplate(IDS.incrementAndGet(), t, "APPROVED"));
            }
            meta.waba(waba, "EAAGmem").templates(list);
            String phone = "+1777" + (1_000_000 + IDS.incrementAndGet() % 8_000_000);
            given().baseUri(url).contentType(ContentType.JSON).header("X-User-API-Key", ws.getString("api_key"))
                    .body(Map.of("phone_number", phone, "waba_id", waba, "access_token", "EAAGmem"))
                    .post("/api/v3/workspaces/{ws}/channels", ws.getString("id")).then().statusCode(201);
            phones.add(phone);
        }
        long started = System.nanoTime();
        for (String phone : phones) {
            given().baseUri(url).header("X-User-API-Key", ws.getString("api_key")).queryParam("phone_number", phone)
                    .post("/open/waba/templates/sync").then().statusCode(200);
        }
        double peak = 0;
        double live = 0;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Pattern heap = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+]+)$", Pattern.MULTILINE);
        Pattern liveData = Pattern.compile("^jvm_gc_live_data_size_bytes ([0-9.E+]+)$", Pattern.MULTILINE);
        long nextCount = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        double liveSet = 0;
        while (true) {
            if (System.nanoTime() > nextCount) {
                // The live set while the ten syncs run: jcmd's class histogram collects the whole heap
                // first, so its total is what is reachable, without garbage waiting in the old gen.
                nextCount = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram")
                        .redirectErrorStream(true).start();
                String out = new String(jcmd.getInputStream().readAllBytes());
                jcmd.waitFor();
                Matcher total = Pattern.compile("(?m)^Total\\s+[0-9]+\\s+([0-9]+)").matcher(out);
                if (total.find()) {
                    liveSet = Math.max(liveSet, Double.parseDouble(total.group(1)));
                }
            }
            String metrics = client.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double used = 0;
            for (Matcher m = heap.matcher(metrics); m.find();) {
                used += Double.parseDouble(m.group(1));
            }
            peak = Math.max(peak, used);
            for (Matcher m = liveData.matcher(metrics); m.find();) {
                live = Math.max(live, Double.parseDouble(m.group(1)));
            }
            boolean done = true;
            for (String phone : phones) {
                JsonPath job = given().baseUri(url).header("X-User-API-Key", ws.getString("api_key"))
                        .queryParam("phone_number", phone).get("/open/waba/templates/sync").then().extract().jsonPath();
                if ("RUNNING".equals(job.getString("status"))) {
                    done = false;
                } else {
                    assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
                }
            }
            if (done) {
                break;
            }
            if (System.nanoTime() - started > Duration.ofMinutes(4).toNanos()) {
                throw new AssertionError("ten syncs did not finish in 4 minutes");
            }
        }
        return new double[] { (System.nanoTime() - started) / 1e9, peak / (1024 * 1024), live / (1024 * 1024),
                liveSet / (1024 * 1024) };
    }

    private static Channel channel(int templates, Duration delay) {
        String waba = "22" + IDS.incrementAndGet();
        String token = "EAAGbench" + waba;
        List<ObjectNode> list = new ArrayList<>(templates);
        for (int t = 0; t < templates; t++) {
            list.add(FakeMeta.realisticTemplate(IDS.incrementAndGet(), t, "APPROVED"));
        }
        meta.waba(waba, token).templates(list).delay(delay);
        String phone = "+1555" + (1_000_000 + IDS.incrementAndGet() % 8_000_000);
        String id = given().baseUri(service.url(0)).contentType(ContentType.JSON).header("X-User-API-Key", key)
                .body(Map.of("phone_number", phone, "waba_id", waba, "access_token", token))
                .post("/api/v3/workspaces/{ws}/channels", workspace).then().statusCode(201).extract().path("id");
        return new Channel(id, phone, waba, token);
    }

    /** Seconds from the job's start to its end, as recorded by the service. */
    private static double sync(Channel c) throws Exception {
        String jobId = given().baseUri(service.url(0)).header("X-User-API-Key", key).queryParam("phone_number", c.phone())
                .post("/open/waba/templates/sync").then().statusCode(200).extract().path("sync_id");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> !"RUNNING".equals(status(c).getString("status")));
        assertThat(status(c).getString("status")).isEqualTo("SUCCEEDED");
        return queryDouble(service, "SELECT extract(epoch FROM finished_at - started_at) FROM sync_job WHERE id = '"
                + jobId + "'::uuid");
    }

    private static JsonPath status(Channel c) {
        return given().baseUri(service.url(0)).header("X-User-API-Key", key).queryParam("phone_number", c.phone())
                .get("/open/waba/templates/sync").then().statusCode(200).extract().jsonPath();
    }

    /** Baseline (a): the same pages, the same fields, read with a plain HTTP client and thrown away. */
    private static double fetchAllPages(Channel c) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long t0 = System.nanoTime();
        String url = meta.baseUrl() + "/" + FakeMeta.VERSION + "/" + c.waba() + "/message_templates"
                + "?fields=id,name,language,status,category,components,rejected_reason,quality_score&limit=100";
        while (url != null) {
            String body = client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + c.token())
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode next = JSON.readTree(body).path("paging").path("next");
            url = next.isMissingNode() || next.isNull() ? null : next.asText();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Baseline (b): 6,000 rows into an empty table, one pipelined batch upsert, raw reactive client. */
    private static double batchUpsert(Channel c) throws Exception {
        try (Connection conn = service.database().getConnection(); Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS bench_template (LIKE template INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS "
                    + "INCLUDING INDEXES)");
            st.execute("TRUNCATE bench_template");
        }
        List<Tuple> rows = new ArrayList<>(TEMPLATES);
        UUID ws = UUID.fromString(workspace);
        UUID ch = UUID.fromString(c.id());
        for (ObjectNode t : meta.waba(c.waba()).templates()) {
            rows.add(Tuple.tuple().addUUID(UUID.randomUUID()).addUUID(ws).addUUID(ch).addString(t.get("id").asText())
                    .addString(t.get("name").asText()).addString(t.get("language").asText())
                    .addString(t.get("status").asText()).addString(t.get("category").asText())
                    .addString(t.get("components").toString()).addString("GREEN"));
        }
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setPort(dbPort()).setHost("localhost")
                .setDatabase("postgres").setUser("postgres").setPassword("postgres")).using(vertx).build();
        try {
            long t0 = System.nanoTime();
            pool.preparedQuery("""
                    INSERT INTO bench_template (id, workspace_id, channel_id, provider_id, name, language, status, category,
                                                components, quality_score, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10, now(), now())
                    ON CONFLICT (channel_id, provider_id) DO UPDATE SET status = EXCLUDED.status,
                        components = EXCLUDED.components, updated_at = now()
                    """).executeBatch(rows).toCompletionStage().toCompletableFuture().get();
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static int dbPort() throws Exception {
        return (int) queryLong("SELECT inet_server_port()");
    }

    private static void row(String... cells) {
        ROWS.add(cells);
        System.out.println("BENCH " + String.join(" | ", cells));
    }

    private static long queryLong(String sql) throws Exception {
        return queryLong(service, sql);
    }

    private static long queryLong(Replicas on, String sql) throws Exception {
        try (Connection c = on.database().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double queryDouble(Replicas on, String sql) throws Exception {
        try (Connection c = on.database().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
