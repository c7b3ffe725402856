package io.wabasync.meta;

/**
 * Meta could not be read. Carries what is needed to decide what to do next (HTTP status, Graph
 * code) and a message that is safe to show to the workspace: it never contains the access token.
 */
public class MetaApiException extends RuntimeException {

    private final int httpStatus;
    private final Integer graphCode;
    private final Integer graphSubcode;

    public MetaApiException(int httpStatus, Integer graphCode, Integer graphSubcode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.graphCode = graphCode;
        this.graphSubcode = graphSubcode;
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
