package io.wabasync.common;

import java.net.ConnectException;
import java.util.function.Predicate;

/** Recognises "the database is not there" among the ways the reactive client reports it. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** PostgreSQL's data exceptions (SQLSTATE class 22): a value it will not take, such as a NUL byte. */
    public static boolean isRejectedValue(Throwable failure) {
        return hasSqlState(failure, state -> state.startsWith("22"));
    }

    /** A unique constraint said no (SQLSTATE 23505). */
    public static boolean isUniqueViolation(Throwable failure) {
        return hasSqlState(failure, "23505"::equals);
    }

    private static boolean hasSqlState(Throwable failure, Predicate<String> state) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && state.test(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof io.vertx.sqlclient.ClosedConnectionException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("Connection refused") || message.contains("Connection reset")
                    || message.contains("Failed to create connection") || message.contains("Pool closed")
                    || message.contains("the database system is shutting down")
                    || message.contains("terminating connection due to administrator command"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
