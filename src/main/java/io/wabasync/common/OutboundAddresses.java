package io.wabasync.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Where the service may connect on a customer's behalf (media files to fetch, webhook endpoints to
 * call): never to a loopback, private, link-local or cloud-metadata address, unless the operator
 * names the host or the address in WABASYNC_OUTBOUND_ALLOWED_HOSTS. Callers connect to the address
 * returned here, not to the name again, so a name that resolves elsewhere a moment later (DNS
 * rebinding) cannot move the connection.
 */
@ApplicationScoped
public class OutboundAddresses {

    /** The host does not resolve. */
    public static class Unresolved extends RuntimeException {
        public Unresolved(String host) {
            super("names a host that does not resolve (in time): " + host, null, false, false);
        }
    }

    /** The host resolves to an address the service does not connect to. */
    public static class Refused extends RuntimeException {
        Refused(String host) {
            super("points to a loopback, private, link-local or metadata address (" + host + "); refused", null,
                    false, false);
        }
    }

    private final List<String> allowedHosts;

    public OutboundAddresses(WabasyncConfig config) {
        this.allowedHosts = config.outbound().allowedHosts().orElse(List.of()).stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    }

    /**
     * The address to connect to for {@code host}, resolved off the event loop (name resolution
     * blocks); fails with {@link Unresolved} or {@link Refused}.
     */
    public Uni<InetAddress> resolve(String host) {
        return Uni.createFrom().item(() -> allowed(host)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Every address the name resolves to must be public, or the host (or that address) allowed by
     * the operator; one inside bad company is refused whole.
     */
    InetAddress allowed(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Unresolved(host);
        }
        boolean hostAllowed = allowedHosts.contains(host.toLowerCase(Locale.ROOT));
        for (InetAddress address : addresses) {
            if (!hostAllowed && !allowedHosts.contains(address.getHostAddress()) && !isPublic(address)) {
                throw new Refused(host);
            }
        }
        return addresses[0];
    }

    /**
     * A request to {@code uri} over a connection to {@code address}, the one {@link #resolve} checked:
     * the URL's host goes in the Host header and the TLS server name only. Redirects are not followed
     * (a redirect would lead to an address nobody checked).
     */
    public static RequestOptions pinnedTo(InetAddress address, URI uri, HttpMethod method, long timeoutMillis) {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new RequestOptions().setMethod(method)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(uri.getHost()).setPort(port).setURI(path).setSsl(tls).setFollowRedirects(false)
                .setTimeout(timeoutMillis);
    }

    public static boolean isPublic(InetAddress address) {
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
}
