package io.wabasync.common;

/**
 * Query parameters arrive as strings and are parsed here: JAX-RS would answer a number that does not
 * parse with 404, where our callers expect a 400 that names the parameter.
 */
public final class QueryParams {

    private QueryParams() {
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
