package io.wabasync.common;

/**
 * Query parameters arrive as strings and are parsed here: JAX-RS would answer a number that does not
 * parse with 404, where our callers expect a 400 that names the parameter.
 */
public final class QueryParams {

    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");

    private QueryParams() {
    }

    /** LancePilot's one-based {@code page}. */
    public static int onePage(String raw) {
        return intParam(raw, "page", 1, 1, 1_000_000);
    }

    /** LancePilot's {@code per_page}: 10 unless asked, as LancePilot (a Laravel paginator) does. */
    public static int perPage(String raw) {
        return intParam(raw, "per_page", 10, 1, 100);
    }

    /** An optional text filter; over-long values are rejected rather than silently cut. */
    public static String text(String raw, String name, int maxLength) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > maxLength) {
            throw ApiException.badRequest("'" + name + "' is longer than " + maxLength + " characters");
        }
        if (CONTROL.matcher(raw).find()) {
            throw ApiException.badRequest("'" + name + "' must not contain control characters");
        }
        return raw.strip();
    }

    public static int intParam(String raw, String name, int defaultValue, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw ApiException.badRequest("'" + name + "' must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a whole number");
        }
    }
}
