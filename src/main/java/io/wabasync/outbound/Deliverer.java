package io.wabasync.outbound;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.TokenCipher;
import io.wabasync.common.BackgroundRounds;
import io.wabasync.common.InstanceName;
import io.wabasync.common.IsolatedContexts;
import io.wabasync.common.OutboundAddresses;
import io.wabasync.common.Timestamps;
import io.wabasync.common.WabasyncConfig;
import io.wabasync.template.changelog.ChangeStream;
import io.wabasync.template.changelog.ChangeLog;

/**
 * Works off the outbox on every replica: woken by each committed change (so a delivery leaves at
 * once) and by a tick (retries, and deliveries whose instance died while sending). Each delivery is
 * leased, sent, and its outcome recorded; no transaction is open while the endpoint is called.
 */
@ApplicationScoped
class Deliverer {

    private static final Logger LOG = Logger.getLogger(Deliverer.class);

    private final Outbox outbox;
    private final Sender sender;
    private final TokenCipher cipher;
    private final OutboundAddresses addresses;
    private final ChangeLog changeLog;
    private final ChangeStream changes;
    private final ObjectMapper json;
    private final OutboundConfig config;
    private final Duration keepFinished;
    private final IsolatedContexts contexts;
    private final BackgroundRounds rounds;
    private final InstanceName instance;
    private final OutboundMetrics metrics;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    Deliverer(Outbox outbox, Sender sender, TokenCipher cipher, OutboundAddresses addresses, ChangeLog changeLog,
            ChangeStream changes, ObjectMapper json, OutboundConfig config, WabasyncConfig service,
            IsolatedContexts contexts, BackgroundRounds rounds, InstanceName instance, OutboundMetrics metrics) {
        this.outbox = outbox;
        this.sender = sender;
        this.cipher = cipher;
        this.addresses = addresses;
        this.changeLog = changeLog;
        this.changes = changes;
        this.json = json;
        this.config = config;
        this.keepFinished = service.changeLog().retention();
        this.contexts = contexts;
        this.rounds = rounds;
        this.instance = instance;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent start) {
        changes.announced().subscribe().with(change -> wake(), failure -> { });
    }

    @Scheduled(identity = "outbound-webhooks", every = "${wabasync.outbound-webhooks.tick:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        wake();
    }

    @Scheduled(identity = "outbound-webhooks-backlog", every = "${wabasync.outbound-webhooks.backlog-every:15s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> backlog() {
        return rounds.run("Outbound webhook backlog round", () -> disableFailing()
                .chain(outbox::backlog).invoke(metrics::backlog)
                .chain(() -> outbox.purge(Timestamps.nowAtUtc().minus(keepFinished))).replaceWithVoid());
    }

    /**
     * Starts a round unless one runs; a round goes round again when woken meanwhile. A wake-up in the
     * instant a round ends waits for the next tick (a second at most).
     */
    void wake() {
        again.set(true);
        if (draining.compareAndSet(false, true)) {
            contexts.start(() -> rounds.run("Outbound webhook round", this::roundsWhileWoken)
                    .onTermination().invoke(() -> draining.set(false)),
                    failure -> rounds.report("Outbound webhook round failed (retried on the next tick)", failure));
        }
    }

    private Uni<Void> roundsWhileWoken() {
        again.set(false);
        return drain().chain(() -> again.get() ? roundsWhileWoken() : Uni.createFrom().voidItem());
    }

    /**
     * Claims and sends until nothing is due, keeping {@code concurrency} deliveries in flight: a batch
     * is claimed when the one before is all handed out, not when it has all been answered.
     */
    private Uni<Void> drain() {
        return Multi.createBy().repeating()
                .uni(() -> {
                    OffsetDateTime now = Timestamps.nowAtUtc();
                    // Long enough for the attempt to end; if this instance dies, another takes it over after it.
                    OffsetDateTime lease = now.plus(config.totalTimeout().multipliedBy(2)).plusSeconds(5);
                    return outbox.claim(now, config.concurrency(), lease, instance.value()).chain(this::withBodies);
                })
                .whilst(claimed -> !claimed.isEmpty())
                .onItem().<Outbox.Claimed>disjoint()
                .onItem().transformToUni(delivery -> contexts.call(() -> send(delivery)))
                .merge(config.concurrency())
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> send(Outbox.Claimed delivery) {
        String body = delivery.body();
        return Uni.createFrom().deferred(() -> {
            if (body == null) {
                return record(delivery, new Outbox.Attempt(Timestamps.nowAtUtc(), null, 0, null,
                        "the change is no longer in the log (retention)"), true);
            }
            String host = URI.create(delivery.url()).getHost();
            return addresses.resolve(host)
                    // Name resolution counts against the attempt's time too: a lease must outlast it.
                    .ifNoItem().after(config.connectTimeout()).failWith(() -> new OutboundAddresses.Unresolved(host))
                    .chain(address -> sender.post(delivery.url(), address, headers(delivery, body), body))
                    .map(answer -> new Outbox.Attempt(Timestamps.nowAtUtc(), answer.statusCode(),
                            answer.latencyMs(), answer.excerpt(), answer.error()))
                    .onFailure(e -> e instanceof OutboundAddresses.Refused || e instanceof OutboundAddresses.Unresolved)
                    .recoverWithItem(refused -> {
                        metrics.attempt("refused_address");
                        return new Outbox.Attempt(Timestamps.nowAtUtc(), null, 0, null, "not sent: the URL "
                                + refused.getMessage());
                    })
                    .chain(attempt -> record(delivery, attempt, false));
        }).onFailure().recoverWithUni(failure -> {
            rounds.report("Outbound webhook delivery " + delivery.id() + " not recorded (retried after its lease)",
                    failure);
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * The body every attempt sends, made at the first one from the logged change and its template
     * then: for a claimed batch, one read of the changes and one write of the bodies. A delivery whose
     * change retention removed keeps no body (it is given up).
     */
    private Uni<List<Outbox.Claimed>> withBodies(List<Outbox.Claimed> claimed) {
        List<Long> missing = claimed.stream().filter(d -> d.body() == null).map(Outbox.Claimed::sequence).toList();
        if (missing.isEmpty()) {
            return Uni.createFrom().item(claimed);
        }
        return changeLog.logged(missing).chain(logged -> {
            Map<UUID, String> bodies = new HashMap<>();
            for (Outbox.Claimed delivery : claimed) {
                ChangeLog.Logged change = logged.get(delivery.sequence());
                if (delivery.body() == null && change != null) {
                    bodies.put(delivery.id(), render(delivery, change));
                }
            }
            return bodies.isEmpty() ? Uni.createFrom().item(Map.<UUID, String>of()) : outbox.fixBodies(bodies);
        }).map(fixed -> claimed.stream().map(d -> d.body() != null ? d : d.withBody(fixed.get(d.id()))).toList());
    }

    private String render(Outbox.Claimed delivery, ChangeLog.Logged logged) {
        try {
            ObjectNode event = json.createObjectNode();
            event.put("type", delivery.eventType());
            ObjectNode change = (ObjectNode) json.readTree(logged.change());
            event.set("timestamp", change.get("changed_at"));
            ObjectNode data = event.putObject("data");
            data.put("sequence", delivery.sequence());
            data.set("change", change);
            data.set("template", json.valueToTree(logged.template()));
            return json.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException("Could not write webhook body: " + e.getMessage(), e);
        }
    }

    /**
     * Standard Webhooks headers: the signature covers id, timestamp and body; during a rotation the
     * previous secret signs too, so receivers may switch secrets at their own pace.
     */
    private Map<String, String> headers(Outbox.Claimed delivery, String body) {
        String id = Outbox.MESSAGE_ID_PREFIX + delivery.id();
        long timestamp = Timestamps.now().getEpochSecond();
        String signature = sign(delivery.secret(), id, timestamp, body);
        if (delivery.previousSecret() != null && delivery.previousSecretUntil() != null
                && delivery.previousSecretUntil().isAfter(Timestamps.nowAtUtc())) {
            signature += " " + sign(delivery.previousSecret(), id, timestamp, body);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", "wabasync-webhooks/1.0");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signature);
        return headers;
    }

    private String sign(byte[] encryptedSecret, String id, long timestamp, String body) {
        try {
            return new Webhook(cipher.decrypt(encryptedSecret)).sign(id, timestamp, body);
        } catch (Exception e) {
            throw new IllegalStateException("Could not sign a webhook delivery: " + e.getClass().getSimpleName(), e);
        }
    }

    private Uni<Void> record(Outbox.Claimed delivery, Outbox.Attempt attempt, boolean giveUpNow) {
        if (attempt.statusCode() != null && attempt.statusCode() >= 200 && attempt.statusCode() < 300) {
            metrics.attempt("delivered");
            return outbox.delivered(delivery, attempt, instance.value());
        }
        OffsetDateTime now = attempt.at();
        LOG.debugf("Webhook delivery %s to endpoint %s failed (attempt %d): %s", delivery.id(), delivery.endpointId(),
                delivery.attempts() + 1, attempt.statusCode() != null ? "HTTP " + attempt.statusCode() : attempt.error());
        return outbox.failed(delivery, attempt, instance.value(), now.plus(backoff(delivery.attempts())))
                .chain(failingSince -> {
                    if (failingSince.plus(config.retryFor()).isBefore(now)) {
                        metrics.attempt("failed");
                        return disableFailing();
                    }
                    // Given up alone only when the endpoint answered other deliveries meanwhile (it has not
                    // been failing since this one's first attempts): an endpoint that is down is disabled
                    // instead, and keeps its events.
                    boolean giveUp = giveUpNow || delivery.createdAt().plus(config.retryFor()).isBefore(now)
                            && failingSince.isAfter(delivery.createdAt().plus(config.maxRetryDelay()));
                    metrics.attempt(giveUp ? "gave_up" : "failed");
                    return giveUp ? outbox.giveUp(delivery.id()) : Uni.createFrom().voidItem();
                });
    }

    /**
     * An endpoint that has failed every attempt for the retry period is disabled, with the reason: at
     * the failure that passes the mark, and on every replica's backlog round (an endpoint may stop
     * getting attempts, its deliveries given up, before it passes it).
     */
    private Uni<Void> disableFailing() {
        OffsetDateTime now = Timestamps.nowAtUtc();
        return outbox.disableFailing(now, now.minus(config.retryFor())).invoke(disabled -> disabled.forEach(e ->
                LOG.warnf("Webhook endpoint %s disabled: every delivery to it failed since %s", e.endpointId(),
                        e.failingSince())))
                .replaceWithVoid();
    }

    /** Doubling from the first delay up to the longest, with ±25 % jitter so that endpoints are not hit in step. */
    private Duration backoff(int attemptsBefore) {
        double delay = config.firstRetryDelay().toMillis() * Math.pow(2, Math.min(attemptsBefore, 30));
        double capped = Math.min(delay, config.maxRetryDelay().toMillis());
        return Duration.ofMillis((long) (capped * (0.75 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }
}
