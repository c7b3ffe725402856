package io.wabasync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A customer's webhook endpoint on loopback. It checks each request's Standard Webhooks signature
 * with its own HMAC code (not the library the service signs with), records what it received, and
 * answers as scripted: the queued status codes first, then 200.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Received(String id, String timestamp, String signature, String body, Instant at) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON: " + body, e);
            }
        }

        public String type() {
            return json().get("type").asText();
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private volatile java.util.function.Predicate<Received> refuse = r -> false;
    private volatile CountDownLatch hold;

    private WebhookReceiver(String address, int port) throws IOException {
        // The JDK's server leaves Nagle's algorithm on unless told (read once, when its first server is
        // made): its answer's headers and body then wait on the client's delayed ACK, tens of ms per
        // request, which no production endpoint (nginx, a load balancer) does.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public static WebhookReceiver start() {
        return startOn(0);
    }

    public static WebhookReceiver startOn(int port) {
        return startOn("127.0.0.1", port);
    }

    /** On another loopback address (127.0.0.2, ...): one the operator may allow while 127.0.0.1 is not. */
    public static WebhookReceiver startOn(String address, int port) {
        try {
            return new WebhookReceiver(address, port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port()
                + "/hooks/wabasync?source=test";
    }

    /** Requests that match are answered 500, every time; others as scripted. */
    public WebhookReceiver refuse(java.util.function.Predicate<Received> which) {
        refuse = which;
        return this;
    }

    /** The next requests are answered with these codes, in order; then 200 again. */
    public synchronized WebhookReceiver answer(Integer... statuses) {
        answers.addAll(List.of(statuses));
        return this;
    }

    /** Requests are recorded but not answered until {@link #release()}. */
    public WebhookReceiver holdAnswers() {
        hold = new CountDownLatch(1);
        return this;
    }

    public void release() {
        CountDownLatch latch = hold;
        hold = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders();
            Received request = new Received(headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                    headers.getFirst("webhook-signature"), body, Instant.now());
            received.add(request);
            CountDownLatch latch = hold;
            if (latch != null) {
                latch.await(60, TimeUnit.SECONDS);
            }
            int status;
            synchronized (this) {
                status = refuse.test(request) ? 500 : answers.isEmpty() ? 200 : answers.poll();
            }
            byte[] answer = (status == 200 ? "{\"ok\":true}" : "receiver says no (" + status + ")")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /**
     * Whether {@code request} carries a v1 signature made with {@code secret} ({@code whsec_} + base64
     * key) over {@code id.timestamp.body}, and its timestamp is within five minutes of now: the check
     * the specification asks of a receiver.
     */
    public static boolean signedWith(Received request, String secret) {
        if (request.id() == null || request.timestamp() == null || request.signature() == null) {
            return false;
        }
        long timestamp = Long.parseLong(request.timestamp());
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body())
                    .getBytes(StandardCharsets.UTF_8));
            for (String signature : request.signature().split(" ")) {
                if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                        Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
