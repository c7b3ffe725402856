package io.wabasync.common;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import sun.misc.Signal;

/**
 * Ctrl+C (SIGINT) and SIGTERM stop the service in order: Quarkus first, the embedded database last.
 *
 * <p>By default the JVM answers both signals by running every shutdown hook at once, and the embedded
 * PostgreSQL library registers a hook of its own that stops the database ({@code pg_ctl stop -m fast})
 * while Quarkus is still ending jobs, draining requests and closing its pools: their connections were
 * cut with {@code FATAL 57P01}. Here the signal asks Quarkus to exit instead; its shutdown ends the
 * jobs, the listener and the pools, and only then does the embedded extension's own shutdown task stop
 * PostgreSQL, so the library's hook finds it stopped. Without the embedded database (cluster build)
 * the order is the same, with nothing after the pools. The exit status stays what the JVM gives for
 * the signal (130 for SIGINT, 143 for SIGTERM).
 *
 * <p>Only in a normal launch: tests and dev mode keep the handlers of their own launchers.
 */
@ApplicationScoped
class OrderlyStop {

    private static final Logger LOG = Logger.getLogger(OrderlyStop.class);
    private static final int SIGNAL_EXIT_BASE = 128;

    void install(@Observes StartupEvent startup) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> {
                LOG.infof("SIG%s received: stopping", signal.getName());
                Quarkus.asyncExit(SIGNAL_EXIT_BASE + signal.getNumber());
            });
        }
    }
}
