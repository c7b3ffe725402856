package io.wabasync.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import io.wabasync.common.OutboundAddresses;

/**
 * One POST to a customer's endpoint, to an address already checked (the connection goes to that
 * address, with the URL's host as Host and TLS server name). Redirects are not followed; the
 * connection and the whole attempt have time limits; at most {@link #ANSWER_CAP} bytes of the answer
 * are read, then the connection is dropped.
 */
@ApplicationScoped
class Sender {

    static final int ANSWER_CAP = 4096;
    static final int EXCERPT_CHARS = 512;

    /** What came back: a status code and the first bytes of the answer, or why there was none. */
    record Answer(Integer statusCode, String excerpt, String error, long latencyMs) {
        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final HttpClient client;
    private final OutboundConfig config;

    Sender(Vertx vertx, OutboundConfig config) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                // Longer than an attempt's limit: at the same instant, the idle close of the connection raced
                // the attempt's own timeout, and a slow receiver's attempt was logged "connection closed".
                .setIdleTimeout((int) config.totalTimeout().toSeconds() + 2)
                .setTrustAll(false).setVerifyHost(true).setMaxPoolSize(config.concurrency()));
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
    }

    Uni<Answer> post(String url, InetAddress address, Map<String, String> headers, String body) {
        RequestOptions options = OutboundAddresses.pinnedTo(address, URI.create(url), HttpMethod.POST,
                config.totalTimeout().toMillis());
        headers.forEach(options::putHeader);
        long started = System.nanoTime();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        return client.request(options)
                .invoke(sent::set)
                .chain(request -> request.send(Buffer.buffer(body)))
                .chain(response -> capped(response).map(bytes -> new Answer(response.statusCode(),
                        excerpt(bytes), redirectNote(response.statusCode()), millisSince(started))))
                .ifNoItem().after(config.totalTimeout()).failWith(TimeoutException::new)
                .onFailure().recoverWithItem(failure -> {
                    HttpClientRequest request = sent.get();
                    if (request != null) {
                        request.reset();
                    }
                    return new Answer(null, null, describe(failure), millisSince(started));
                });
    }

    /** The answer's first bytes; past the cap the connection is reset rather than read on. */
    private static Uni<byte[]> capped(HttpClientResponse response) {
        Buffer got = Buffer.buffer();
        return Uni.createFrom().emitter(emitter -> {
            response.handler(chunk -> {
                if (got.length() < ANSWER_CAP) {
                    got.appendBuffer(chunk.slice(0, Math.min(chunk.length(), ANSWER_CAP - got.length())));
                }
                if (got.length() >= ANSWER_CAP) {
                    emitter.complete(got.getBytes());
                    response.request().reset();
                }
            });
            response.exceptionHandler(failure -> emitter.complete(got.getBytes()));
            response.endHandler(() -> emitter.complete(got.getBytes()));
        });
    }

    private static String excerpt(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS);
    }

    private static String redirectNote(int status) {
        return status / 100 == 3 ? "HTTP " + status + ": redirects are not followed" : null;
    }

    private static String describe(Throwable failure) {
        if (failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) {
            return "timed out";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
