package io.wabasync.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.wabasync.sync.TwoChatSyncTest;

/** Creates workspaces and channels through the public API, each with fresh numbers and ids. */
public final class Fixtures {

    public static final String ADMIN_TOKEN = "test-admin-token";
    private static final AtomicLong SEQUENCE = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000, 8_000_000));

    private Fixtures() {
    }

    public record Workspace(String id, String apiKey) {
    }

    public record Connected(Workspace workspace, String channelId, String phoneNumber, String wabaId, String token) {
    }

    public static Workspace workspace() {
        var body = given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .body(Map.of("name", "Acme " + SEQUENCE.incrementAndGet()))
                .post("/admin/workspaces")
                .then().statusCode(201).extract().jsonPath();
        return new Workspace(body.getString("id"), body.getString("api_key"));
    }

    public static String newPhoneNumber() {
        return "+52155" + SEQUENCE.incrementAndGet();
    }

    public static String newWabaId() {
        return "1022901" + SEQUENCE.incrementAndGet();
    }

    public static ValidatableResponse connect(Workspace ws, String phone, String wabaId, String token) {
        return given().contentType(ContentType.JSON)
                .header("X-User-API-Key", ws.apiKey())
                .body(Map.of("phone_number", phone, "waba_id", wabaId, "access_token", token))
                .post("/api/v3/workspaces/{ws}/channels", ws.id())
                .then();
    }

    /** A connected number whose WABA has these templates at the fake Meta, fully synced. */
    public static Connected syncedChannel(FakeMeta meta, List<ObjectNode> templates) {
        Connected c = connectedChannel(meta);
        meta.waba(c.wabaId()).templates(templates);
        TwoChatSyncTest.startSync(c).statusCode(200);
        String status = TwoChatSyncTest.awaitFinished(c).getString("status");
        if (!"SUCCEEDED".equals(status)) {
            throw new AssertionError("The full sync of the fixture ended " + status);
        }
        return c;
    }

    /** A workspace with one connected number whose WABA exists at the fake Meta. */
    public static Connected connectedChannel(FakeMeta meta) {
        Workspace ws = workspace();
        String phone = newPhoneNumber();
        String waba = newWabaId();
        String token = "EAAG" + SEQUENCE.incrementAndGet() + "secret";
        meta.waba(waba, token);
        String channelId = connect(ws, phone, waba, token).statusCode(201).extract().path("id");
        return new Connected(ws, channelId, phone, waba, token);
    }
}
