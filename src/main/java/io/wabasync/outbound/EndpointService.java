package io.wabasync.outbound;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.standardwebhooks.Webhook;

import io.smallrye.mutiny.Uni;
import io.wabasync.channel.TokenCipher;
import io.wabasync.common.ApiException;
import io.wabasync.common.Ids;
import io.wabasync.common.OutboundAddresses;
import io.wabasync.common.Paged;
import io.wabasync.common.Timestamps;

/**
 * A workspace's webhook endpoints: checked URLs, secrets made here in the specification's form
 * ({@code whsec_} + base64 of 32 random bytes), shown once, stored encrypted like Meta tokens.
 */
@ApplicationScoped
public class EndpointService {

    private static final int MAX_URL = 2048;
    private static final int MAX_DESCRIPTION = 500;

    private final EndpointStore store;
    private final TokenCipher cipher;
    private final OutboundAddresses addresses;
    private final OutboundConfig config;
    private final Outbox outbox;
    private final Deliverer deliverer;
    // Per instance, made at run time: never in a static field, never frozen into a native image.
    private final SecureRandom random = new SecureRandom();

    EndpointService(EndpointStore store, TokenCipher cipher, OutboundAddresses addresses, OutboundConfig config,
            Outbox outbox, Deliverer deliverer) {
        this.outbox = outbox;
        this.deliverer = deliverer;
        this.store = store;
        this.cipher = cipher;
        this.addresses = addresses;
        this.config = config;
    }

    public Uni<EndpointView> create(UUID workspaceId, EndpointRequest request) {
        if (request == null || request.url() == null) {
            throw ApiException.badRequest("'url' is required");
        }
        String url = checkedUrl(request.url());
        List<String> types = eventTypes(request.eventTypes());
        String description = description(request.description());
        String secret = newSecret();
        return reachable(url).chain(() -> store.insert(workspaceId, url, description, types,
                request.enabled() == null || request.enabled(), cipher.encrypt(secret)))
                .map(endpoint -> EndpointView.of(endpoint, secret));
    }

    public Uni<List<EndpointView>> list(UUID workspaceId) {
        return store.list(workspaceId).map(all -> all.stream().map(e -> EndpointView.of(e, null)).toList());
    }

    public Uni<EndpointView> get(UUID workspaceId, String id) {
        return endpoint(workspaceId, id).map(e -> EndpointView.of(e, null));
    }

    public Uni<EndpointView> update(UUID workspaceId, String id, EndpointRequest request) {
        UUID endpointId = endpointId(id);
        if (request == null) {
            throw ApiException.badRequest("A JSON body is required");
        }
        String url = request.url() == null ? null : checkedUrl(request.url());
        List<String> types = request.eventTypes() == null ? null : eventTypes(request.eventTypes());
        String description = request.description() == null ? null : description(request.description());
        return (url == null ? Uni.createFrom().voidItem() : reachable(url))
                .chain(() -> found(store.update(workspaceId, endpointId, url, types, description, request.enabled())))
                .map(e -> EndpointView.of(e, null));
    }

    /** A new secret, shown in this answer only; the previous one signs too for the configured overlap. */
    public Uni<EndpointView> rotateSecret(UUID workspaceId, String id) {
        String secret = newSecret();
        return found(store.rotate(workspaceId, endpointId(id), cipher.encrypt(secret),
                Timestamps.nowAtUtc().plus(config.secretOverlap())))
                .map(e -> EndpointView.of(e, secret));
    }

    public Uni<Void> delete(UUID workspaceId, String id) {
        return store.delete(workspaceId, endpointId(id)).invoke(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("Webhook endpoint not found");
            }
        }).replaceWithVoid();
    }

    /** A page of the endpoint's deliveries, newest event first, each with its attempts. */
    public Uni<Paged<DeliveryView>> deliveries(UUID workspaceId, String id, String status, int page, int perPage) {
        String wanted = status == null ? null : status.strip().toUpperCase(Locale.ROOT);
        if (wanted != null && !List.of("PENDING", "DELIVERED", "FAILED").contains(wanted)) {
            throw ApiException.badRequest("'status' must be PENDING, DELIVERED or FAILED");
        }
        return endpoint(workspaceId, id)
                .chain(endpoint -> outbox.page(endpoint.id(), wanted, page, perPage))
                .map(found -> Paged.of(found.deliveries(), page, perPage, found.total()));
    }

    public Uni<DeliveryView> delivery(UUID workspaceId, String id, String deliveryId) {
        UUID delivery = deliveryId(deliveryId);
        return endpoint(workspaceId, id).chain(endpoint -> delivery(endpoint, delivery));
    }

    /**
     * Sends a delivery again, now, with the same {@code webhook-id} and body (the receiver may drop it
     * as a duplicate); 409 while an attempt at it is in flight.
     */
    public Uni<DeliveryView> redeliver(UUID workspaceId, String id, String deliveryId) {
        UUID delivery = deliveryId(deliveryId);
        return endpoint(workspaceId, id).chain(endpoint -> delivery(endpoint, delivery)
                .chain(() -> outbox.redeliver(endpoint.id(), delivery, Timestamps.nowAtUtc()))
                .invoke(made -> {
                    if (!made) {
                        throw ApiException.conflict("An attempt at this delivery is in flight; try again when it ended");
                    }
                })
                // The answer shows the delivery as scheduled; woken first, the deliverer could send it
                // before this read, and the answer would depend on which came first.
                .chain(() -> delivery(endpoint, delivery))
                .invoke(deliverer::wake));
    }

    private Uni<DeliveryView> delivery(EndpointStore.Endpoint endpoint, UUID delivery) {
        return outbox.one(endpoint.id(), delivery)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Delivery not found"));
    }

    /** Delivery ids are shown as their {@code webhook-id} ({@code msg_<uuid>}); the bare uuid is taken too. */
    private static UUID deliveryId(String id) {
        String raw = id == null ? "" : id;
        return Ids.orNotFound(raw.startsWith(Outbox.MESSAGE_ID_PREFIX) ? raw.substring(Outbox.MESSAGE_ID_PREFIX.length())
                : raw, "Delivery");
    }

    /** The endpoint's id; another workspace's endpoint answers exactly as one that does not exist (404). */
    private static UUID endpointId(String id) {
        return Ids.orNotFound(id, "Webhook endpoint");
    }

    private Uni<EndpointStore.Endpoint> endpoint(UUID workspaceId, String id) {
        return found(store.find(workspaceId, endpointId(id)));
    }

    private Uni<EndpointStore.Endpoint> found(Uni<EndpointStore.Endpoint> endpoint) {
        return endpoint.onItem().ifNull().failWith(() -> ApiException.notFound("Webhook endpoint not found"));
    }

    private String newSecret() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Webhook.SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    private static String checkedUrl(String raw) {
        String url = raw.strip();
        if (url.isEmpty() || url.length() > MAX_URL) {
            throw ApiException.badRequest("'url' must be an http or https URL of at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'url' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw ApiException.badRequest("'url' must be an http or https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.badRequest("'url' must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw ApiException.badRequest("'url' must not have a fragment");
        }
        return url;
    }

    /** Refused now if the host is, or resolves to, an address the service does not call. */
    private Uni<Void> reachable(String url) {
        String host = URI.create(url).getHost();
        return addresses.resolve(host)
                .onFailure(e -> e instanceof OutboundAddresses.Unresolved || e instanceof OutboundAddresses.Refused)
                .transform(e -> ApiException.badRequest("'url' " + e.getMessage()))
                .replaceWithVoid();
    }

    private static List<String> eventTypes(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        LinkedHashSet<String> types = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String type : requested) {
            if (type == null || !EventTypes.ALL.contains(type)) {
                unknown.add(String.valueOf(type));
            } else {
                types.add(type);
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("'event_types' has unknown types " + unknown + "; known: " + EventTypes.ALL);
        }
        return List.copyOf(types);
    }

    private static String description(String description) {
        if (description == null) {
            return null;
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw ApiException.badRequest("'description' is longer than " + MAX_DESCRIPTION + " characters");
        }
        return description.strip();
    }
}
