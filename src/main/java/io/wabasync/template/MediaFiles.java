package io.wabasync.template;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.wabasync.common.ValidationFailure;
import io.wabasync.common.WabasyncConfig;

/**
 * A template's media file: fetched from a URL the customer gives (never from a loopback, private,
 * link-local or cloud-metadata address, unless the operator allows the host; the address checked is
 * the one connected to, so a name that resolves elsewhere later cannot redirect the fetch), at most
 * 16 MB, and of the kind the header says, judged by its content rather than its name or headers.
 */
@ApplicationScoped
class MediaFiles {

    static final int MAX_BYTES = 16 * 1024 * 1024;
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
    private final List<String> allowedHosts;

    MediaFiles(Vertx vertx, WabasyncConfig config) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(30)
                .setTrustAll(false).setVerifyHost(true));
        this.allowedHosts = config.outbound().allowedHosts().orElse(List.of()).stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
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
        boolean tls = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        // The caller's context, to come back to: its Hibernate session lives there.
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        // Name resolution blocks: off the event loop.
        return Uni.createFrom().item(() -> resolve(host)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(addresses -> allowedAddress(host, addresses))
                .chain(address -> client.request(new RequestOptions().setMethod(HttpMethod.GET)
                        .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                        .setHost(host).setPort(port).setURI(path).setSsl(tls).setFollowRedirects(false)
                        .setTimeout(30_000)))
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
    static String sniff(byte[] b) {
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

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ValidationFailure(FIELD, "names a host that does not resolve: " + host);
        }
    }

    /**
     * The address to connect to: every address the name resolves to must be public, or the host (or
     * that address) allowed by the operator; one inside bad company is refused whole.
     */
    private InetAddress allowedAddress(String host, InetAddress[] addresses) {
        boolean hostAllowed = allowedHosts.contains(host.toLowerCase(Locale.ROOT));
        for (InetAddress address : addresses) {
            if (!hostAllowed && !allowedHosts.contains(address.getHostAddress()) && !isPublic(address)) {
                throw new ValidationFailure(FIELD, "points to a loopback, private, link-local or metadata address; "
                        + "it is not fetched");
            }
        }
        return addresses[0];
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return !(first == 0 || first == 100 && second >= 64 && second <= 127 // carrier-grade NAT
                    || first == 192 && second == 0 && (b[2] & 0xFF) == 0 || first >= 240);
        }
        if (address instanceof Inet6Address) {
            // fc00::/7 unique local; an IPv4-mapped address is judged as the IPv4 one.
            if ((b[0] & 0xFE) == 0xFC) {
                return false;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
                try {
                    return isPublic(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ValidationFailure tooLarge() {
        return new ValidationFailure(FIELD, "is larger than 16 MB");
    }
}
