package io.wabasync.meta;

/**
 * Meta could not be read. Carries what is needed to decide what to do next (HTTP status, Graph
 * code, kind) and a message that is safe to show to the workspace: it never contains the token.
 */
public class MetaApiException extends RuntimeException {

    /** What the failure means for the caller. */
    public enum Kind {
        /** Network trouble, timeouts, 5xx, Graph codes 1 and 2: worth retrying soon. */
        TRANSIENT,
        /** Graph codes 4, 80007, 80008 or HTTP 429: wait for the time Meta asks. */
        RATE_LIMITED,
        /** Graph code 190: the channel needs a new access token. */
        TOKEN_INVALID,
        /** Graph code 100: a wrong id or parameter, typically not a WABA id. */
        WRONG_ID,
        /** Graph codes 10 and 200-299: the token lacks a permission. */
        PERMISSION,
        /** Meta answered 200 with a body we cannot read. */
        MALFORMED,
        /** Any other refusal. */
        OTHER
    }

    private final Kind kind;
    private final int httpStatus;
    private final Integer graphCode;
    private final Integer graphSubcode;

    public MetaApiException(Kind kind, int httpStatus, Integer graphCode, Integer graphSubcode, String message,
            Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.graphCode = graphCode;
        this.graphSubcode = graphSubcode;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status of Meta's answer, or 0 when there was none (network error, timeout). */
    public int httpStatus() {
        return httpStatus;
    }

    public Integer graphCode() {
        return graphCode;
    }

    public Integer graphSubcode() {
        return graphSubcode;
    }
}
