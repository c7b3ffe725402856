package io.wabasync.common;

import java.time.Duration;
import java.util.concurrent.Executor;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Waits that resume on the caller's Vert.x context, where Hibernate Reactive expects to continue. */
public final class ContextDelays {

    private ContextDelays() {
    }

    /**
     * Runs tasks on the current Vert.x context (or at once, outside one): for a retried {@link Uni}, whose
     * new attempts Mutiny would otherwise subscribe on its timer's thread.
     */
    public static Executor currentContext() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    /** Completes after {@code wait} (at once for none) on the current context; Mutiny's own timer would not. */
    public static Uni<Void> after(Duration wait) {
        if (wait == null || wait.isZero() || wait.isNegative()) {
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        Uni<Void> delayed = Uni.createFrom().voidItem().onItem().delayIt().by(wait);
        return context == null ? delayed : delayed.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
