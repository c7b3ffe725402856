package io.wabasync.template;

import static io.restassured.RestAssured.given;
import static io.wabasync.template.TemplateCreateTest.orderUpdate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.wabasync.template.management.MediaFiles;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.InjectFakeMeta;

/**
 * Media headers from a file: fetched from a URL (never from a loopback, private, link-local or
 * metadata address the operator did not allow; here 127.0.0.1 is allowed for the test's file server)
 * or sent in a multipart request, checked by content, at most 16 MB, and uploaded through Meta's
 * Resumable Upload API for the handle the template takes.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class TemplateMediaTest {

    static final byte[] PNG = png();
    private static HttpServer files;
    private static final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

    @InjectFakeMeta
    FakeMeta meta;

    @BeforeAll
    static void serveFiles() throws IOException {
        files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve("/logo.png", PNG);
        serve("/not-a-picture.png", "just text, named like a picture".getBytes());
        byte[] big = new byte[MediaFiles.MAX_BYTES + 1];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        serve("/huge.png", big);
        files.start();
    }

    @AfterAll
    static void stopFiles() {
        files.stop(0);
    }

    @Test
    void aFileByUrlIsUploadedToMetaAndItsHandleUsed() {
        Connected c = Fixtures.connectedChannel(meta);
        String handle = create(c, withFile("from_url", url("/logo.png"))).statusCode(201)
                .body("data.components.header.type", equalTo("media"))
                .body("data.components.header.media.type", equalTo("image"))
                .extract().path("data.components.header.media.handle");
        assertThat(handle).startsWith("4::");
        assertThat(meta.uploaded(handle)).as("the bytes Meta received").isEqualTo(PNG);
        ObjectNode sent = meta.waba(c.wabaId()).createdBodies().get(0);
        assertThat(sent.at("/components/0/format").asText()).isEqualTo("IMAGE");
        assertThat(sent.at("/components/0/example/header_handle/0").asText()).isEqualTo(handle);
        assertThat(served.get("/logo.png").get()).isPositive();
    }

    @Test
    void aFileInAMultipartRequestIsUploadedToo() {
        Connected c = Fixtures.connectedChannel(meta);
        ObjectNode template = orderUpdate("multipart");
        template.putObject("header").put("type", "media").putObject("media").put("type", "image");
        String handle = given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .multiPart("template", template.toString(), "application/json")
                .multiPart("file", "logo.png", PNG, "image/png")
                .post("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(201).body("data.name", equalTo("multipart"))
                .extract().path("data.components.header.media.handle");
        assertThat(meta.uploaded(handle)).isEqualTo(PNG);
        // A PDF is no picture, whatever its name says.
        ObjectNode another = orderUpdate("multipart_pdf");
        another.putObject("header").put("type", "media").putObject("media").put("type", "image");
        given().header("Authorization", "Bearer " + c.workspace().apiKey())
                .multiPart("template", another.toString(), "application/json")
                .multiPart("file", "logo.png", "%PDF-1.7 not a picture".getBytes(), "image/png")
                .post("/api/v3/workspaces/{ws}/templates", c.workspace().id())
                .then().statusCode(400).body("errors.'header.media.file'[0]", containsString("application/pdf"));
        assertThat(meta.waba(c.wabaId()).createRequests()).isEqualTo(1);
    }

    @Test
    void addressesInsideTheNetworkAreNeverFetched() {
        Connected c = Fixtures.connectedChannel(meta);
        int port = files.getAddress().getPort();
        int fetchedBefore = served.computeIfAbsent("/logo.png", p -> new AtomicInteger()).get();
        // Loopback not allowed by the operator (only 127.0.0.1 is, for this test's files), a private
        // address, the cloud metadata address: refused before any connection is made.
        for (String url : new String[] { "http://127.0.0.2:" + port + "/logo.png", "http://10.255.255.1/logo.png",
                "http://169.254.169.254/latest/meta-data/", "http://[::1]:" + port + "/logo.png",
                "http://[fd00::1]/logo.png" }) {
            create(c, withFile("ssrf", url)).statusCode(400)
                    .body("errors.'header.media.file'[0]", containsString("loopback, private, link-local or metadata"));
        }
        assertThat(served.get("/logo.png").get()).as("nothing fetched").isEqualTo(fetchedBefore);
        assertThat(meta.waba(c.wabaId()).createRequests()).isZero();
    }

    @Test
    void contentAndSizeAreChecked() {
        Connected c = Fixtures.connectedChannel(meta);
        create(c, withFile("renamed_text", url("/not-a-picture.png"))).statusCode(400)
                .body("errors.'header.media.file'[0]", containsString("no type Meta takes"));
        create(c, withFile("huge", url("/huge.png"))).statusCode(400)
                .body("errors.'header.media.file'[0]", containsString("larger than 16 MB"));
        create(c, withFile("missing", url("/nothing-here.png"))).statusCode(400)
                .body("errors.'header.media.file'[0]", containsString("HTTP 404"));
        assertThat(meta.waba(c.wabaId()).createRequests()).isZero();
    }

    @Test
    void fileSniffing() {
        assertThat(MediaFiles.sniff(PNG)).isEqualTo("image/png");
        assertThat(MediaFiles.sniff(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0 })).isEqualTo("image/jpeg");
        assertThat(MediaFiles.sniff("%PDF-1.4".getBytes())).isEqualTo("application/pdf");
        assertThat(MediaFiles.sniff(new byte[] { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm' })).isEqualTo("video/mp4");
        assertThat(MediaFiles.sniff(new byte[] { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', '3', 'g', 'p', '4' })).isEqualTo("video/3gpp");
        assertThat(MediaFiles.sniff("GIF89a".getBytes())).isNull();
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static ObjectNode withFile(String name, String url) {
        ObjectNode body = orderUpdate(name);
        body.putObject("header").put("type", "media").putObject("media").put("type", "image").put("file", url);
        return body;
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + files.getAddress().getPort() + path;
    }

    private static ValidatableResponse create(Connected c, ObjectNode body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + c.workspace().apiKey())
                .body(body.toString()).post("/api/v3/workspaces/{ws}/templates", c.workspace().id()).then();
    }

    private static void serve(String path, byte[] bytes) {
        files.createContext(path, exchange -> {
            served.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    /** A PNG's signature and header chunk, enough for any reader to call it a PNG. */
    private static byte[] png() {
        byte[] bytes = Arrays.copyOf(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A,
                0, 0, 0, 0x0D, 'I', 'H', 'D', 'R' }, 64);
        bytes[40] = 42;
        return bytes;
    }
}
