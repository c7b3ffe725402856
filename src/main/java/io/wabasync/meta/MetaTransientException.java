package io.wabasync.meta;

/** A failure worth retrying: the only kind {@link MetaClient} retries and the circuit breaker counts. */
public class MetaTransientException extends MetaApiException {

    public MetaTransientException(int httpStatus, Integer graphCode, Integer graphSubcode, String message,
            Throwable cause) {
        super(Kind.TRANSIENT, httpStatus, graphCode, graphSubcode, message, cause);
    }
}
