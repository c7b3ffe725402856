package io.wabasync.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Server-Sent Events client of the template change stream: it collects each event's JSON data
 * as it arrives, on a thread of its own, until closed.
 */
public final class EventStream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int status;
    private volatile Stream<String> lines;
    private volatile boolean ended;

    private EventStream(String baseUri, String workspace, String apiKey, String lastEventId, String since) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + "/api/v3/workspaces/" + workspace
                + "/templates/events" + (since == null ? "" : "?since=" + since)))
                .header("Accept", "text/event-stream").header("X-User-API-Key", apiKey).GET();
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpRequest request = builder.build();
        response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(answer -> {
            status = answer.statusCode();
            lines = answer.body();
            Thread reader = new Thread(() -> read(answer.body()), "sse-" + workspace);
            reader.setDaemon(true);
            reader.start();
        });
    }

    /** Opens the stream and waits until the service says it is connected (changes from now on arrive). */
    public static EventStream open(String baseUri, String workspace, String apiKey) {
        return openAfter(baseUri, workspace, apiKey, null);
    }

    /** Opens the stream as a client reconnecting after the event {@code lastEventId} does. */
    public static EventStream openAfter(String baseUri, String workspace, String apiKey, String lastEventId) {
        return opened(new EventStream(baseUri, workspace, apiKey, lastEventId, null));
    }

    /** Opens the stream with {@code ?since=}: the changes numbered after it first. */
    public static EventStream openSince(String baseUri, String workspace, String apiKey, String since) {
        return opened(new EventStream(baseUri, workspace, apiKey, null, since));
    }

    private static EventStream opened(EventStream stream) {
        await().atMost(Duration.ofSeconds(15)).until(() -> stream.comments.contains("connected"));
        return stream;
    }

    private void read(Stream<String> body) {
        List<String> data = new ArrayList<>();
        try {
            body.forEach(line -> {
                if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else if (line.startsWith("id:")) {
                    ids.add(line.substring(3).strip());
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).strip());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    try {
                        events.add(JSON.readTree(String.join("\n", data)));
                    } catch (IOException e) {
                        throw new IllegalStateException("Event data is not JSON: " + data, e);
                    }
                    data.clear();
                }
            });
        } catch (RuntimeException closed) {
            // The stream was closed by close(), or cut.
            return;
        }
        ended = true;
    }

    /** Whether the server ended the stream (the response completed normally). */
    public boolean endedByServer() {
        return ended;
    }

    public int status() {
        return status;
    }

    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** The SSE ids of the events, in the order received. */
    public List<String> ids() {
        return List.copyOf(ids);
    }

    @Override
    public void close() {
        Stream<String> open = lines;
        if (open != null) {
            open.close();
        }
        response.cancel(true);
    }
}
