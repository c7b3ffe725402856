package io.wabasync.common;

import java.net.ConnectException;

/** Recognises "the database is not there" among the ways the reactive client reports it. */
public final class DatabaseFailures {

    private DatabaseFailures() {
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
