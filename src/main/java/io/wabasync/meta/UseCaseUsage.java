package io.wabasync.meta;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Meta's {@code X-Business-Use-Case-Usage} header: per business, per use case, percentages of
 * call count, CPU time and total time, and {@code estimated_time_to_regain_access} in minutes.
 */
record UseCaseUsage(int highestPercent, Duration regainAccessIn) {

    static final UseCaseUsage NONE = new UseCaseUsage(0, Duration.ZERO);
    private static final ObjectMapper JSON = new ObjectMapper();

    static UseCaseUsage parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        try {
            int highest = 0;
            long minutes = 0;
            for (JsonNode entries : JSON.readTree(header)) {
                for (JsonNode entry : entries) {
                    for (String field : new String[] { "call_count", "total_cputime", "total_time" }) {
                        highest = Math.max(highest, entry.path(field).asInt(0));
                    }
                    minutes = Math.max(minutes, entry.path("estimated_time_to_regain_access").asLong(0));
                }
            }
            return new UseCaseUsage(highest, Duration.ofMinutes(minutes));
        } catch (Exception unreadable) {
            // A header we cannot read must not fail a page that Meta did answer.
            return NONE;
        }
    }

    boolean nearLimit(int thresholdPercent) {
        return highestPercent >= thresholdPercent;
    }
}
