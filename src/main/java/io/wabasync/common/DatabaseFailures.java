package io.wabasync.common;

import java.net.ConnectException;

/** Recognises "the database is not there" among the ways the reactive client reports it. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** PostgreSQL's data exceptions (SQLSTATE class 22): a value it will not take, such as a NUL byte. */
    public static boolean isRejectedValue(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && pg.getSqlState().startsWith("22")) {
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
