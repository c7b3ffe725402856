package io.wabasync.meta;

import java.time.Duration;
import java.util.Set;

/** Turns what Meta answered into the right {@link MetaApiException}, by Graph code first, then HTTP status. */
final class MetaFailures {

    private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 17, 32, 613, 80007, 80008);
    private static final Set<Integer> TRANSIENT_CODES = Set.of(1, 2);

    private MetaFailures() {
    }

    static MetaApiException fromAnswer(int status, GraphErrorEnvelope.GraphError error, UseCaseUsage usage) {
        if (error == null) {
            String message = "Meta answered HTTP " + status;
            if (status == 429) {
                return new MetaRateLimitException(status, null, null, message, retryAfter(usage));
            }
            return status >= 500
                    ? new MetaTransientException(status, null, null, message, null)
                    : new MetaApiException(MetaApiException.Kind.OTHER, status, null, null, message, null);
        }
        Integer code = error.code();
        String message = "Meta error " + code + (error.errorSubcode() == null ? "" : "/" + error.errorSubcode())
                + " (HTTP " + status + "): " + error.message();
        if (code != null && RATE_LIMIT_CODES.contains(code) || status == 429) {
            return new MetaRateLimitException(status, code, error.errorSubcode(), message, retryAfter(usage));
        }
        if (code != null && TRANSIENT_CODES.contains(code) || code == null && status >= 500) {
            return new MetaTransientException(status, code, error.errorSubcode(), message, null);
        }
        if (code != null && code == 190) {
            return new MetaApiException(MetaApiException.Kind.TOKEN_INVALID, status, code, error.errorSubcode(),
                    message + " — the channel needs a new access token", null);
        }
        if (code != null && code == 100) {
            return new MetaApiException(MetaApiException.Kind.WRONG_ID, status, code, error.errorSubcode(),
                    message + " — check the channel's waba_id: it must be the WhatsApp Business Account id", null);
        }
        if (code != null && (code == 10 || code >= 200 && code <= 299)) {
            return new MetaApiException(MetaApiException.Kind.PERMISSION, status, code, error.errorSubcode(),
                    message + " — the access token lacks a permission for this WABA", null);
        }
        if (status >= 500) {
            return new MetaTransientException(status, code, error.errorSubcode(), message, null);
        }
        return new MetaApiException(MetaApiException.Kind.OTHER, status, code, error.errorSubcode(), message, null);
    }

    /** Null when Meta did not say; the client then applies its configured default. */
    private static Duration retryAfter(UseCaseUsage usage) {
        return usage.regainAccessIn().isZero() ? null : usage.regainAccessIn();
    }
}
