package io.wabasync.common;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs work on a fresh, safe, duplicated Vert.x context. Hibernate Reactive keeps one session per
 * context, so work that outlives its request, or runs beside other work (one channel among several
 * reconciled at once), needs a context of its own; otherwise it fails with HR000069 or shares a
 * session with work running at the same time.
 */
@ApplicationScoped
public class IsolatedContexts {

    private final Vertx vertx;

    public IsolatedContexts(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Runs {@code work} on its own context; the result is delivered back on the caller's context. */
    public <T> Uni<T> call(Supplier<Uni<T>> work) {
        Context caller = Vertx.currentContext();
        Context own = newContext();
        return Uni.createFrom().emitter(emitter -> own.runOnContext(ignored -> work.get().subscribe().with(
                item -> deliver(caller, () -> emitter.complete(item)),
                failure -> deliver(caller, () -> emitter.fail(failure)))));
    }

    /** Starts {@code work} on its own context and returns at once. */
    public <T> void start(Supplier<Uni<T>> work, java.util.function.Consumer<Throwable> onFailure) {
        newContext().runOnContext(ignored -> work.get().subscribe().with(item -> {
        }, onFailure));
    }

    private Context newContext() {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return context;
    }

    private static void deliver(Context caller, Runnable action) {
        if (caller == null || caller == Vertx.currentContext()) {
            action.run();
        } else {
            caller.runOnContext(ignored -> action.run());
        }
    }
}
