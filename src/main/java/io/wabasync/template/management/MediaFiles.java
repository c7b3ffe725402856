package io.wabasync.template.management;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.wabasync.common.OutboundAddresses;
import io.wabasync.common.ValidationFailure;

/**
 * A template's media file: fetched from a URL the customer gives (never from a loopback, private,
 * link-local or cloud-metadata address, unless the operator allows the host; the address checked is
 * the one connected to, so a name that resolves elsewhere later cannot redirect the fetch), at most
 * 16 MB, and of the kind the header says, judged by its content rather than its name or headers.
 */
@ApplicationScoped
public class MediaFiles {

    public static final int MAX_BYTES = 16 * 1024 * 1024;
    private static final String FIELD = "header.media.file";
    /** The content types Meta's media headers take, by the header's media type. */
    private static final Map<String, Set<String>> ACCEPTED = Map.of(
            "image", Set.of("image/jpeg", "image/png"),
            "video", Set.of("video/mp4", "video/3gpp"),
            "document", Set.of("application/pdf"));

    /** A file as received: its bytes and the type its content shows. */
    record Media(byte[] bytes, String mimeType) {
    }

    private final HttpClient client;
    private final OutboundAddresses addresses;

    MediaFiles(Vertx vertx, OutboundAddresses addresses) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(30)
                .setTrustAll(false).setVerifyHost(true));
        this.addresses = addresses;
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
    }

    /** The file at {@code url}, checked; a 400 naming the field when it cannot be used. */
    Uni<Media> fetch(String url, String mediaType) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new ValidationFailure(FIELD, "is not a URL"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!scheme.equals("http") && !scheme.equals("https") || host == null) {
            return Uni.createFrom().failure(new ValidationFailure(FIELD, "must be an http or https URL"));
        }
        // The caller's context, to come back to: its Hibernate session lives there.
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        return addresses.resolve(host)
                .onFailure(e -> e instanceof OutboundAddresses.Unresolved || e instanceof OutboundAddresses.Refused)
                .transform(e -> new ValidationFailure(FIELD, e.getMessage()))
                .chain(address -> client.request(OutboundAddresses.pinnedTo(address, uri, HttpMethod.GET, 30_000)))
                .chain(request -> request.send())
                .onFailure(e -> !(e instanceof ValidationFailure))
                .transform(e -> new ValidationFailure(FIELD, "could not be fetched: " + e.getMessage()))
                .chain(response -> {
                    if (response.statusCode() != 200) {
                        return Uni.createFrom().failure(new ValidationFailure(FIELD, "answered HTTP " + response.statusCode()
                                + (response.statusCode() / 100 == 3 ? " (redirects are not followed)" : "")));
                    }
                    String length = response.getHeader("Content-Length");
                    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BYTES) {
                        return Uni.createFrom().failure(tooLarge());
                    }
                    AtomicLong received = new AtomicLong();
                    Buffer all = Buffer.buffer();
                    return response.toMulti().invoke(chunk -> {
                        if (received.addAndGet(chunk.length()) > MAX_BYTES) {
                            throw tooLarge();
                        }
                        all.appendBuffer(chunk);
                    }).collect().last().map(ignored -> all.getBytes());
                })
                .map(bytes -> checked(bytes, mediaType))
                .emitOn(task -> {
                    if (caller == null) {
                        task.run();
                    } else {
                        caller.runOnContext(ignored -> task.run());
                    }
                });
    }

    /** A file uploaded with the request (multipart), checked the same way. */
    static Media checked(byte[] bytes, String mediaType) {
        if (bytes.length == 0) {
            throw new ValidationFailure(FIELD, "is empty");
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        String type = sniff(bytes);
        Set<String> accepted = ACCEPTED.getOrDefault(mediaType, Set.of());
        if (type == null || !accepted.contains(type)) {
            throw new ValidationFailure(FIELD, "is " + (type == null ? "of no type Meta takes" : type) + ", not "
                    + (accepted.isEmpty() ? "a media file" : "one of " + String.join(", ", accepted.stream().sorted().toList()))
                    + " for a " + mediaType + " header");
        }
        return new Media(bytes, type);
    }

    /** The type the content shows, by its leading bytes; null when it is none Meta's headers take. */
    public static String sniff(byte[] b) {
        if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (starts(b, 0, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        }
        if (starts(b, 4, 'f', 't', 'y', 'p')) {
            String brand = b.length >= 12 ? new String(Arrays.copyOfRange(b, 8, 12), java.nio.charset.StandardCharsets.US_ASCII) : "";
            return brand.startsWith("3g") ? "video/3gpp" : "video/mp4";
        }
        return null;
    }

    private static boolean starts(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static ValidationFailure tooLarge() {
        return new ValidationFailure(FIELD, "is larger than 16 MB");
    }
}
