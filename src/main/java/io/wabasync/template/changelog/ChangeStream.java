package io.wabasync.template.changelog;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;
import io.wabasync.common.ApiException;
import io.wabasync.common.BackgroundRounds;
import io.wabasync.common.Timestamps;
import io.wabasync.common.WabasyncConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * The template changes of every replica, as they commit. Writers announce a change with NOTIFY in
 * the transaction that makes it (V2 migration); each replica LISTENs on one connection of its own
 * and hands every change to the event streams of its workspace. PostgreSQL delivers notifications
 * of committed transactions only, so a stream never shows a change that was rolled back.
 */
@ApplicationScoped
public class ChangeStream {

    static final String CHANNEL = "wabasync_template_changes";
    private static final Logger LOG = Logger.getLogger(ChangeStream.class);
    // Per stream: a client that reads slower than this many changes is cut off (it reconnects).
    private static final int STREAM_BUFFER = 4096;
    // Proxies and load balancers close connections that stay silent; streams send a comment this often.
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int REPLAY_PAGE = 500;
    private static final int PRUNE_BATCH = 10_000;

    private final BroadcastProcessor<ChangeEvent> changes = BroadcastProcessor.create();
    private final BroadcastProcessor<Long> keepAlive = BroadcastProcessor.create();
    private volatile long keepAliveTimer = -1;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final PgConnectOptions options;
    private volatile PgSubscriber subscriber;
    private final ChangeLog log;
    private final Duration retention;
    private final BackgroundRounds rounds;

    ChangeStream(Vertx vertx, ObjectMapper json, ChangeLog log, WabasyncConfig config, BackgroundRounds rounds,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.json = json;
        PgConnectOptions connect = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url);
        user.ifPresent(connect::setUser);
        password.ifPresent(connect::setPassword);
        this.options = connect;
        this.log = log;
        this.retention = config.changeLog().retention();
        this.rounds = rounds;
    }

    void listen(@Observes StartupEvent startup) {
        // The subscriber reconnects by itself once it was connected; the first connection is retried here.
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempts -> 1000L);
        subscriber.channel(CHANNEL)
                .subscribeHandler(() -> LOG.debug("Listening for template changes"))
                .handler(this::publish);
        subscriber.connect()
                .onFailure().invoke(e -> LOG.warnf("Cannot listen for template changes yet: %s", e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(ok -> { }, e -> LOG.error("Stopped listening for template changes", e));
        keepAliveTimer = vertx.setPeriodic(KEEP_ALIVE.toMillis(), keepAlive::onNext);
    }

    /**
     * Ends every stream as soon as this instance starts to shut down, so clients reconnect to
     * another replica at once and open streams do not hold the graceful shutdown up.
     */
    void closeStreams(@Observes ShutdownDelayInitiatedEvent shuttingDown) {
        end();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        end();
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    private synchronized void end() {
        if (keepAliveTimer >= 0) {
            vertx.cancelTimer(keepAliveTimer);
            keepAliveTimer = -1;
            keepAlive.onComplete();
            changes.onComplete();
        }
    }

    /** A tick every 15 s for as long as streams are served; ends with them. */
    public Multi<Long> keepAlive() {
        return keepAlive.onOverflow().drop();
    }

    /** Every workspace's changes, from now on, as they commit anywhere; dropped when not read fast enough. */
    public Multi<ChangeEvent> announced() {
        return changes.onOverflow().drop();
    }

    /** The changes of one workspace, from now on. */
    public Multi<ChangeEvent> of(UUID workspaceId) {
        return changes.filter(change -> workspaceId.equals(change.workspaceId()))
                .onOverflow().buffer(STREAM_BUFFER);
    }

    /**
     * Where a stream resumes: after {@code sequence}, unless retention has cut changes after it (410:
     * the client must re-read the lists).
     */
    public Uni<Long> resumable(UUID workspaceId, long sequence) {
        return log.prunedThrough(workspaceId).map(cut -> {
            if (sequence < cut) {
                throw new ApiException(410, "Changes after event " + sequence + " are no longer kept (the log keeps "
                        + retention.toDays() + " days): re-read the template lists, then connect without "
                        + "Last-Event-ID or since");
            }
            return sequence;
        });
    }

    /**
     * The workspace's changes numbered after {@code sequence}: those in the log, then live ones, with
     * neither a gap nor a repeat at the seam. Live changes are taken first and held while the log is
     * read, so a change committed meanwhile is in one or the other; one in both is dropped by number.
     * Numbers of a workspace become visible in order (V6 migration), so live ones arrive in order too.
     */
    public Multi<ChangeEvent> after(UUID workspaceId, long sequence) {
        UnicastProcessor<ChangeEvent> held = UnicastProcessor.create();
        Cancellable live = of(workspaceId).subscribe().with(held::onNext, held::onError, held::onComplete);
        AtomicLong last = new AtomicLong(sequence);
        Multi<ChangeEvent> logged = Multi.createBy().repeating()
                .uni(() -> log.after(workspaceId, last.get(), REPLAY_PAGE).invoke(page -> {
                    if (!page.isEmpty()) {
                        last.set(page.get(page.size() - 1).sequence());
                    }
                }))
                .until(List::isEmpty)
                .onItem().disjoint();
        Multi<ChangeEvent> following = held.filter(change -> {
            if (change.sequence() <= last.get()) {
                return false;
            }
            last.set(change.sequence());
            return true;
        });
        return Multi.createBy().concatenating().streams(logged, following).onTermination().invoke(live::cancel);
    }

    /** Retention: changes older than it leave the log, on any replica's tick. */
    @Scheduled(identity = "change-log-retention", every = "${wabasync.change-log.prune-every:10m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return rounds.run("Change log retention round", () -> pruneBefore(Timestamps.nowAtUtc().minus(retention)));
    }

    public Uni<Void> pruneBefore(OffsetDateTime before) {
        return log.prune(before, PRUNE_BATCH)
                .chain(removed -> removed == PRUNE_BATCH ? pruneBefore(before) : Uni.createFrom().voidItem());
    }

    private void publish(String payload) {
        ChangeEvent change;
        try {
            change = log.parse(payload);
        } catch (IllegalStateException e) {
            LOG.warnf("Ignoring a template change notification that does not parse: %s", e.getMessage());
            return;
        }
        changes.onNext(change);
    }
}
