package io.wabasync.template;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One template with every status it went through. */
@RegisterForReflection
public record TemplateDetailView(@JsonUnwrapped TemplateView template, JsonNode metaComponents,
        List<StatusChangeView> statusHistory) {

    @RegisterForReflection
    public record StatusChangeView(String from, String to, Instant at, String source) {

        static StatusChangeView of(TemplateStatusChange change) {
            return new StatusChangeView(change.fromStatus, change.toStatus, change.changedAt, change.source);
        }
    }
}
