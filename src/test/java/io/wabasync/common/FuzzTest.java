package io.wabasync.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.wabasync.sync.TwoChatSyncTest;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.MetaWebhooks;

/**
 * Throws 10,000 generated requests (seeded, so a failure can be replayed) at every endpoint: odd
 * methods, keys, ids, phone numbers, paging values, content types and bodies. No answer may be a
 * 5xx, every error is the JSON error shape without a stack trace, and the data changes only as the
 * accepted requests say.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class FuzzTest {

    private static final int REQUESTS = 10_000;
    private static final long SEED = Long.getLong("fuzz.seed", 20261121L);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] METHODS = { "GET", "POST", "PATCH", "DELETE", "PUT" };
    private static final String[] PATHS = {
            "/admin/workspaces",
            "/api/v3/workspaces/{ws}/channels",
            "/api/v3/workspaces/{ws}/channels/{id}",
            "/api/v3/workspaces/{ws}/templates",
            "/api/v3/workspaces/{ws}/templates/{id}",
            "/api/v3/workspaces/{ws}/templates/sync",
            "/api/v3/workspaces/{ws}/sync-jobs",
            "/api/v3/workspaces/{ws}/sync-jobs/{id}",
            "/open/waba/templates",
            "/open/waba/templates/sync",
            "/api/v3/workspaces/{ws}/webhooks",
            "/api/v3/workspaces/{ws}/webhooks/{id}",
            "/api/v3/workspaces/{ws}/webhooks/{id}/deliveries",
            // Meta's side: mostly unsigned or wrongly signed, half of the bodies signed right (below).
            "/webhooks/meta" };

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void tenThousandGeneratedRequestsNeverBreakTheService() throws Exception {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(TwoChatSyncTest.templates("fz", 12, "APPROVED"));
        TwoChatSyncTest.startSync(c).statusCode(200);
        String jobId = TwoChatSyncTest.awaitFinished(c).getString("sync_id");
        String templateId = TwoChatSyncTest.listAll(c).get(0).get("uuid").toString();
        Fixtures.Workspace other = Fixtures.workspace();

        Random random = new Random(SEED);
        Generator gen = new Generator(random, c, other, jobId, templateId);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Long> before = counts();
        int accepted = 0;
        int createdWorkspaces = 0;
        int createdChannels = 0;
        int deletedChannels = 0;
        List<String> problems = new ArrayList<>();

        for (int i = 0; i < REQUESTS && problems.size() < 10; i++) {
            String method = random.nextInt(10) < 8 ? gen.likelyMethod() : METHODS[random.nextInt(METHODS.length)];
            String path = gen.path();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(10));
            gen.auth(request);
            String body = gen.body();
            String contentType = gen.contentType();
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (path.startsWith("/webhooks/") && body != null && random.nextBoolean()) {
                request.header("X-Hub-Signature-256", MetaWebhooks.signature(body, MetaWebhooks.APP_SECRET));
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            String where = "#" + i + " " + method + " " + path + " -> " + status + ": "
                    + response.body().substring(0, Math.min(200, response.body().length()));

            if (status >= 500) {
                problems.add("5xx " + where);
            }
            if (status >= 400 && !isErrorShape(response.body())) {
                problems.add("not the JSON error shape " + where);
            }
            if (response.body().contains("Exception") || response.body().contains("\tat ")) {
                problems.add("stack trace " + where);
            }
            if (status < 300) {
                accepted++;
                if (status == 201 && path.startsWith("/admin/")) {
                    createdWorkspaces++;
                } else if (status == 201) {
                    createdChannels++;
                } else if (status == 204) {
                    deletedChannels++;
                }
            }
        }

        assertThat(problems).as("seed " + SEED).isEmpty();
        Map<String, Long> after = counts();
        assertThat(after.get("workspaces") - before.get("workspaces")).isEqualTo(createdWorkspaces);
        assertThat(after.get("channels") - before.get("channels")).isEqualTo(createdChannels - deletedChannels);
        if (deletedChannels == 0) {
            assertThat(after.get("templates")).as("no accepted request can add or remove templates here")
                    .isEqualTo(before.get("templates"));
        } else {
            assertThat(after.get("templates")).as("only an accepted DELETE removes templates")
                    .isLessThanOrEqualTo(before.get("templates"));
        }
        System.out.printf("Fuzz: %d requests (seed %d), %d accepted, %d rejected; workspaces +%d, channels +%d -%d%n",
                REQUESTS, SEED, accepted, REQUESTS - accepted, createdWorkspaces, createdChannels, deletedChannels);
    }

    private static boolean isErrorShape(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.path("success").isBoolean() && !node.path("success").asBoolean()
                    && node.path("message").isTextual() && !node.path("message").asText().isBlank();
        } catch (Exception e) {
            return false;
        }
    }

    private Map<String, Long> counts() {
        return pool.query("SELECT (SELECT count(*) FROM workspace) AS w, (SELECT count(*) FROM channel) AS c, "
                + "(SELECT count(*) FROM template) AS t").execute()
                .map(rows -> {
                    var row = rows.iterator().next();
                    return Map.of("workspaces", row.getLong("w"), "channels", row.getLong("c"),
                            "templates", row.getLong("t"));
                }).await().atMost(Duration.ofSeconds(5));
    }

    /** Mostly plausible requests with one thing wrong, some entirely wrong. */
    private static final class Generator {
        private final Random random;
        private final Connected c;
        private final Fixtures.Workspace other;
        private final String jobId;
        private final String templateId;
        private String currentPath = "";

        Generator(Random random, Connected c, Fixtures.Workspace other, String jobId, String templateId) {
            this.random = random;
            this.c = c;
            this.other = other;
            this.jobId = jobId;
            this.templateId = templateId;
        }

        String path() {
            String template = PATHS[random.nextInt(PATHS.length)];
            currentPath = template;
            String path = template.replace("{ws}", pick(c.workspace().id(), other.id(), UUID.randomUUID().toString(),
                    segment(junk()))).replace("{id}", pick(c.channelId(), jobId, templateId, UUID.randomUUID().toString(),
                    segment(junk())));
            return path + query();
        }

        String likelyMethod() {
            if (currentPath.endsWith("/sync")) {
                return pick("POST", "GET");
            }
            if (currentPath.endsWith("/channels") || currentPath.endsWith("/webhooks") || currentPath.startsWith("/admin")) {
                return pick("POST", "GET");
            }
            if (currentPath.endsWith("{id}") && (currentPath.contains("channels") || currentPath.contains("webhooks"))) {
                return pick("PATCH", "DELETE");
            }
            return "GET";
        }

        private String query() {
            StringBuilder q = new StringBuilder();
            int params = random.nextInt(4);
            for (int i = 0; i < params; i++) {
                q.append(i == 0 ? "?" : "&");
                String name = pick("phone_number", "page", "per_page", "status", "name", "language", junkName());
                q.append(encode(name)).append('=').append(value(name));
            }
            return q.toString();
        }

        private String value(String name) {
            return switch (name) {
                case "phone_number" -> pick("+" + c.phoneNumber().substring(1), "%2B" + c.phoneNumber().substring(1),
                        encode(Fixtures.newPhoneNumber()), c.phoneNumber().substring(1), "%2B12", encode("+1 555 0100"),
                        encode("+" + "9".repeat(40)), "", encode(junk()));
                case "page", "per_page" -> pick("0", "1", "-1", "2", "100", "101", "99999999999", "abc", "1.5", "",
                        encode(junk()));
                default -> pick(encode(pick("PENDING", "approved", "en_US", "%", "_", "'; drop table template; --",
                        "x".repeat(random.nextInt(800)), junk())), "%00", "a%00b", "%C3%28", "%FF%FE");
            };
        }

        void auth(HttpRequest.Builder request) {
            switch (random.nextInt(8)) {
                case 0 -> { }
                case 1 -> request.header("X-User-API-Key", other.apiKey());
                case 2 -> request.header("Authorization", "Bearer " + junk().replaceAll("[^\\x21-\\x7e]", "?"));
                case 3 -> request.header("Authorization", "Bearer " + pick(Fixtures.ADMIN_TOKEN.substring(1),
                        Fixtures.ADMIN_TOKEN));
                case 4 -> request.header("X-User-API-Key", "x".repeat(random.nextInt(500)));
                case 5 -> request.header("Authorization", pick("Basic abc", "Bearer", "Bearer  ", "bearer " + c.workspace().apiKey()));
                default -> request.header(random.nextBoolean() ? "X-User-API-Key" : "Authorization",
                        random.nextBoolean() ? c.workspace().apiKey() : "Bearer " + c.workspace().apiKey());
            }
        }

        String contentType() {
            return pick("application/json", "application/json", "application/json; charset=utf-8", "text/plain",
                    "application/xml", "multipart/form-data", null);
        }

        String body() {
            return switch (random.nextInt(12)) {
                case 0 -> null;
                case 1 -> "";
                case 2 -> "{";
                case 3 -> "[1,2,3]";
                case 4 -> "null";
                case 5 -> "{\"name\": " + pick("null", "1", "[]", "{}", "\"\"", "\"" + "n".repeat(300) + "\"") + "}";
                case 6 -> "{\"phone_number\": \"" + pick("+1555" + (1_000_000 + random.nextInt(8_999_999)), "5551234",
                        "+1 555", "") + "\", \"waba_id\": " + pick("\"12345678\"", "12345678", "\"abc\"", "null")
                        + ", \"access_token\": " + pick("\"EAAGfuzz\"", "\"\"", "42", "null", "\"" + "t".repeat(5000) + "\"") + "}";
                case 7 -> "{\"access_token\": " + pick("\"EAAGfuzz\"", "\"has space\"", "[]", "null") + ", \"waba_id\": "
                        + pick("\"98765\"", "\"x\"", "1e99", "null") + "}";
                case 8 -> "{\"" + junkName() + "\": " + random.nextLong() + "}";
                case 9 -> new String(randomBytes(random.nextInt(200)), StandardCharsets.ISO_8859_1);
                case 10 -> "{\"name\": \"" + pick("\\u0000", "\\ud800", "a\\u0000b", "\\t\\n") + junk() + "\"}";
                default -> "{\"phone_number\": {\"nested\": [1, {\"deep\": true}]}}";
            };
        }

        private byte[] randomBytes(int n) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            return bytes;
        }

        private String junk() {
            return pick("", " ", "..", "%00", "null", "' OR '1'='1", "<script>", "😀", "é", "a".repeat(random.nextInt(3000)),
                    Long.toString(random.nextLong()), UUID.randomUUID().toString().toUpperCase());
        }

        private String junkName() {
            return pick("foo", "PAGE", "phone_number[]", "page%00", "x".repeat(50));
        }

        @SafeVarargs
        private <T> T pick(T... options) {
            return options[random.nextInt(options.length)];
        }

        private static String segment(String s) {
            return encode(s).replace("+", "%20");
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
