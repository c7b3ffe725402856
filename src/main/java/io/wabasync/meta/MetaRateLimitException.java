package io.wabasync.meta;

import java.time.Duration;

/** Meta asked us to slow down for this WABA, for {@link #retryAfter()}. */
public class MetaRateLimitException extends MetaApiException {

    private final Duration retryAfter;

    public MetaRateLimitException(int httpStatus, Integer graphCode, Integer graphSubcode, String message,
            Duration retryAfter) {
        super(Kind.RATE_LIMITED, httpStatus, graphCode, graphSubcode, message, null);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
