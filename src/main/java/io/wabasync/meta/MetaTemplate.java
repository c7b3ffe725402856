package io.wabasync.meta;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One template as Meta's list API returns it. Status and category stay strings: Meta adds values
 * over time and we store what it sends. {@code quality_score} is an object at Meta
 * ({@code {"score": "GREEN", ...}}); older answers carry a plain string.
 */
@RegisterForReflection
public record MetaTemplate(String id, String name, String language, String status, String category,
        JsonNode components, String rejectedReason, JsonNode qualityScore, String previousCategory,
        String correctCategory, String subCategory, String parameterFormat, Integer messageSendTtlSeconds) {

    /** Meta's list always has these; an entry without them is skipped and counted as an error. */
    public boolean isComplete() {
        return notBlank(id) && notBlank(name) && notBlank(language) && notBlank(status);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    public String qualityScoreText() {
        if (qualityScore == null || qualityScore.isNull()) {
            return null;
        }
        if (qualityScore.isTextual()) {
            return qualityScore.asText();
        }
        JsonNode score = qualityScore.get("score");
        return score == null || score.isNull() ? null : score.asText();
    }
}
