package io.wabasync.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.testing.ConsoleSession;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/** The console through HTTP as a browser speaks it: sign-in, the session cookie, forms, headers, escaping. */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class ConsoleTest {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @Test
    void everyConsolePageAndAssetCarriesAStrictPolicy() {
        Connected c = Fixtures.syncedChannel(meta, List.of(FakeMeta.template("7001", "welcome", "en_US", "APPROVED", "UTILITY")));
        ConsoleSession session = ConsoleSession.signIn(c.workspace().apiKey());
        String templateId = templateIdOf(session, "welcome");
        for (String path : List.of("/console", "/console/templates", "/console/templates/" + templateId,
                "/console/templates/new", "/console/numbers", "/console/assets/console.js", "/console/assets/console.css",
                "/console/templates/" + UUID.randomUUID())) {
            session.request().get(path).then()
                    .header("Content-Security-Policy", equalTo(CSP))
                    .header("X-Frame-Options", equalTo("DENY"))
                    .header("X-Content-Type-Options", equalTo("nosniff"))
                    .header("Referrer-Policy", equalTo("same-origin"));
        }
        // No inline script anywhere: the one script is a file, so the policy above can forbid the rest.
        String page = session.request().get("/console/templates/" + templateId).asString();
        assertThat(page).contains("<script src=\"/console/assets/console.js\" defer></script>")
                .doesNotContainPattern("<script>|<script [^s]|\\son[a-z]+=");
    }

    @Test
    void signInOpensASessionInAnHttpOnlyStrictCookie() {
        Connected c = Fixtures.connectedChannel(meta);
        given().get("/console").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("type=\"password\""), containsString("<label for=\"api_key\">"));
        Response signedIn = given().redirects().follow(false).formParam("api_key", c.workspace().apiKey())
                .post("/console/sign-in");
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.header("Location")).endsWith("/console/templates");
        String setCookie = signedIn.header("Set-Cookie");
        assertThat(setCookie).startsWith(ConsoleSession.COOKIE + "=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .contains("Path=/console").contains("Max-Age=43200")
                .doesNotContain(c.workspace().apiKey())
                // Served over plain HTTP here: Secure would make the browser drop it; over TLS it is set.
                .doesNotContain("Secure");
        String cookie = signedIn.getCookie(ConsoleSession.COOKIE);
        // Signed in: the sign-in page sends you on.
        given().redirects().follow(false).cookie(ConsoleSession.COOKIE, cookie).get("/console").then().statusCode(303)
                .header("Location", containsString("/console/templates"));
    }

    @Test
    void pagesWithoutALiveSessionSendYouToSignIn() {
        for (String path : List.of("/console/templates", "/console/numbers", "/console/templates/new")) {
            given().redirects().follow(false).get(path).then().statusCode(303).header("Location", containsString("/console"));
            given().redirects().follow(false).cookie(ConsoleSession.COOKIE, "not-a-session").get(path).then()
                    .statusCode(303).header("Location", containsString("/console"));
        }
        given().get("/console/events").then().statusCode(401);
        // The console's cookie is not an API credential.
        Connected c = Fixtures.connectedChannel(meta);
        ConsoleSession session = ConsoleSession.signIn(c.workspace().apiKey());
        given().cookie(ConsoleSession.COOKIE, session.cookie()).get("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(401);
    }

    @Test
    void aWrongKeyShowsTheFormAgainAndTheAddressIsLimited() {
        Connected c = Fixtures.connectedChannel(meta);
        try {
            given().formParam("api_key", "wsk_wrong").post("/console/sign-in").then().statusCode(401)
                    .contentType(containsString("text/html"))
                    .body(containsString("not the API key of any workspace"), containsString("type=\"password\""))
                    .header("Set-Cookie", nullValue());
            for (int i = 1; i < 10; i++) {
                given().formParam("api_key", "wsk_wrong" + i).post("/console/sign-in").then().statusCode(401);
            }
            // Ten failures from this address: even the right key waits for the window to pass.
            given().redirects().follow(false).formParam("api_key", c.workspace().apiKey()).post("/console/sign-in")
                    .then().statusCode(429).body(containsString("Too many failed sign-ins"))
                    .header("Set-Cookie", nullValue());
        } finally {
            pool.query("DELETE FROM console_sign_in_failure").execute().await().indefinitely();
        }
        ConsoleSession.signIn(c.workspace().apiKey());
    }

    @Test
    void signingOutEndsTheSession() {
        Connected c = Fixtures.connectedChannel(meta);
        ConsoleSession session = ConsoleSession.signIn(c.workspace().apiKey());
        session.request().formParam("csrf", "forged").post("/console/sign-out").then().statusCode(403);
        session.request().get("/console/templates").then().statusCode(200);
        session.request().formParam("csrf", session.csrf()).post("/console/sign-out").then().statusCode(303)
                .header("Set-Cookie", containsString("Max-Age=0"));
        session.request().get("/console/templates").then().statusCode(303);
        assertThat(pool.preparedQuery("SELECT count(*) FROM console_session WHERE workspace_id = $1")
                .execute(Tuple.of(UUID.fromString(c.workspace().id()))).await().indefinitely()
                .iterator().next().getLong(0)).isZero();
    }

    @Test
    void formsNeedTheSessionsTokenAndComeFromTheConsoleItself() {
        Connected c = Fixtures.connectedChannel(meta);
        ConsoleSession session = ConsoleSession.signIn(c.workspace().apiKey());
        session.request().formParam("phone_number", c.phoneNumber()).formParam("name", "no_token")
                .formParam("language", "en_US").formParam("category", "UTILITY").formParam("body.text", "Hello")
                .post("/console/templates").then().statusCode(403).body(containsString("Form refused"));
        session.request().header("Origin", "https://elsewhere.example").formParam("csrf", session.csrf())
                .formParam("phone_number", c.phoneNumber()).formParam("name", "other_site")
                .formParam("language", "en_US").formParam("category", "UTILITY").formParam("body.text", "Hello")
                .post("/console/templates").then().statusCode(403);
        given().header("Sec-Fetch-Site", "cross-site").formParam("api_key", c.workspace().apiKey())
                .post("/console/sign-in").then().statusCode(403);
        assertThat(meta.waba(c.wabaId()).createRequests()).isZero();
    }

    @Test
    void theFormKeepsTheApisRulesAndSendsNothingUntilTheyPass() {
        Connected c = Fixtures.connectedChannel(meta);
        ConsoleSession session = ConsoleSession.signIn(c.workspace().apiKey());
        String page = session.request().formParam("csrf", session.csrf()).formParam("phone_number", c.phoneNumber())
                .formParam("name", "Order Ready").formParam("language", "en_US").formParam("category", "UTILITY")
                .formParam("body.text", "Hi {{1}}, your order is ready.").formParam("buttons.0.type", "URL")
                .formParam("buttons.0.text", "Open").formParam("buttons.0.url", "ftp://nope")
                .post("/console/templates").then().statusCode(400).extract().asString();
        assertThat(page).contains("id=\"name-errors\"", "may hold only lowercase letters",
                "id=\"body.variables-errors\"", "needs one example value per placeholder",
                "id=\"buttons.0.url-errors\"", "must be an http or https address")
                // What was typed stays in the form.
                .contains("value=\"Order Ready\"", "Hi {{1}}, your order is ready.");
        assertThat(meta.waba(c.wabaId()).createRequests()).isZero();

        Response created = session.request().formParam("csrf", session.csrf()).formParam("phone_number", c.phoneNumber())
                .formParam("name", "order_ready").formParam("language", "en_US").formParam("category", "UTILITY")
                .formParam("body.text", "Hi {{1}}, your order is ready.").formParam("body.variables", "Maria")
                .formParam("buttons.0.type", "URL").formParam("buttons.0.text", "Open")
                .formParam("buttons.0.url", "https://example.com/orders")
                .post("/console/templates");
        assertThat(created.statusCode()).isEqualTo(303);
        assertThat(meta.waba(c.wabaId()).createRequests()).isEqualTo(1);
        ObjectNode sent = meta.waba(c.wabaId()).createdBodies().get(0);
        assertThat(sent.path("name").asText()).isEqualTo("order_ready");
        assertThat(sent.toString()).contains("Hi {{1}}, your order is ready.", "\"Maria\"", "https://example.com/orders");
        session.request().get(created.header("Location")).then().statusCode(200)
                .body(containsString("order_ready"), containsString("Template sent to Meta for review"),
                        containsString("Hi Maria, your order is ready."));
    }

    @Test
    void whatMetaOrAUserWroteIsShownAsTextNeverRun() {
        ObjectNode hostile = FakeMeta.template("7301", "hostile", "en_US", "REJECTED", "MARKETING");
        ((ObjectNode) hostile.withArray("components").get(1)).put("text",
                "<script>alert(1)</script> and <img src=x onerror=alert(2)> {{1}}");
        ((ObjectNode) hostile.withArray("components").get(1)).putObject("example").putArray("body_text").addArray()
                .add("\"><svg onload=alert(3)>");
        hostile.put("rejected_reason", "<b>INVALID_FORMAT</b>");
        Connected c = Fixtures.syncedChannel(meta, List.of(hostile));
        ConsoleSession session = ConsoleSession.signIn(c.workspace().apiKey());
        String templateId = templateIdOf(session, "hostile");
        String page = session.request().get("/console/templates/" + templateId).then().statusCode(200).extract().asString();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;",
                        "&quot;&gt;&lt;svg onload=alert(3)&gt;")
                .doesNotContain("<script>alert", "<img src=x", "<svg", "<b>INVALID_FORMAT");
        session.request().get("/console/templates?name=<script>").then().statusCode(200)
                .body(containsString("value=\"&lt;script&gt;\""), not(containsString("value=\"<script>")));
    }

    @Test
    void theListFiltersByNumberStatusCategoryLanguageAndName() {
        Connected c = Fixtures.syncedChannel(meta, List.of(
                FakeMeta.template("7401", "alpha_offer", "en_US", "APPROVED", "MARKETING"),
                FakeMeta.template("7402", "beta_receipt", "en_US", "REJECTED", "UTILITY"),
                FakeMeta.template("7403", "gamma_code", "pt_BR", "APPROVED", "AUTHENTICATION")));
        ConsoleSession session = ConsoleSession.signIn(c.workspace().apiKey());
        assertThat(names(session, "")).containsExactlyInAnyOrder("alpha_offer", "beta_receipt", "gamma_code");
        assertThat(names(session, "status=APPROVED")).containsExactlyInAnyOrder("alpha_offer", "gamma_code");
        assertThat(names(session, "category=utility")).containsExactly("beta_receipt");
        assertThat(names(session, "language=pt_BR")).containsExactly("gamma_code");
        assertThat(names(session, "name=OFF")).containsExactly("alpha_offer");
        assertThat(names(session, "number=" + c.phoneNumber().replace("+", "%2B") + "&status=APPROVED&category=MARKETING"))
                .containsExactly("alpha_offer");
        session.request().get("/console/templates?number=12").then().statusCode(400)
                .contentType(containsString("text/html")).body(containsString("E.164"));
    }

    static List<String> names(ConsoleSession session, String query) {
        String page = session.request().urlEncodingEnabled(false).get("/console/templates" + (query.isEmpty() ? "" : "?" + query))
                .then().statusCode(200).extract().asString();
        return Pattern.compile("<a href=\"/console/templates/[0-9a-f-]{36}\">([^<]+)</a>").matcher(page)
                .results().map(m -> m.group(1)).toList();
    }

    static String templateIdOf(ConsoleSession session, String name) {
        String page = session.request().get("/console/templates?name=" + name).then().statusCode(200).extract().asString();
        var m = Pattern.compile("<a href=\"/console/templates/([0-9a-f-]{36})\">" + name + "</a>").matcher(page);
        assertThat(m.find()).as("template " + name + " listed").isTrue();
        return m.group(1);
    }

    @Test
    void editAndDeleteGoToMetaAsTheApisDo() {
        Connected c = Fixtures.syncedChannel(meta, List.of(FakeMeta.template("7501", "to_change", "en_US", "REJECTED", "UTILITY")));
        ConsoleSession session = ConsoleSession.signIn(c.workspace().apiKey());
        String id = templateIdOf(session, "to_change");
        String form = session.request().get("/console/templates/" + id + "/edit").then().statusCode(200).extract().asString();
        assertThat(form).contains("value=\"to_change\" aria-describedby=\"name-hint name-errors\" readonly",
                "Hi {{1}}, this is to_change.", ">Maria</textarea>");
        session.request().formParam("csrf", session.csrf()).formParam("name", "renamed_by_form")
                .formParam("language", "pt_BR").formParam("category", "UTILITY")
                .formParam("body.text", "Hello {{1}}, this is the new text.").formParam("body.variables", "Maria")
                .post("/console/templates/" + id + "/edit").then().statusCode(303)
                .header("Location", containsString("/console/templates/" + id + "?notice=edited"));
        assertThat(meta.waba(c.wabaId()).editRequests()).isEqualTo(1);
        session.request().get("/console/templates/" + id).then().statusCode(200)
                .body(containsString("UPDATING"), containsString("Hello Maria, this is the new text."),
                        containsString(">to_change <span class=\"language\">en_US</span>"));

        session.request().get("/console/templates/" + id + "/delete").then().statusCode(200)
                .body(containsString("Delete to_change (en_US)?"));
        assertThat(meta.waba(c.wabaId()).deleteRequests()).isZero();
        session.request().formParam("csrf", session.csrf()).post("/console/templates/" + id + "/delete").then()
                .statusCode(303).header("Location", containsString("notice=deleted"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meta.waba(c.wabaId()).deleteRequests() == 1);
    }

    @Test
    void aNumberWhoseTokenMetaRefusedSaysSo() {
        Connected c = Fixtures.connectedChannel(meta);
        pool.preparedQuery("UPDATE channel SET status = 'NEEDS_REAUTH', status_reason = 'Meta: invalid OAuth access token' "
                + "WHERE id = $1").execute(Tuple.of(UUID.fromString(c.channelId()))).await().indefinitely();
        ConsoleSession session = ConsoleSession.signIn(c.workspace().apiKey());
        session.request().get("/console/numbers").then().statusCode(200)
                .body(containsString(c.phoneNumber()), containsString("connect it again with a new token"),
                        containsString("Meta: invalid OAuth access token"), containsString("Never synced"));
    }
}
