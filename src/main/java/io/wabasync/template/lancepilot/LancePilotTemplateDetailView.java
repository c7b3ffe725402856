package io.wabasync.template.lancepilot;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wabasync.template.StatusHistoryEntry;
import io.wabasync.template.TemplateDetail;

/** One template in LancePilot's detail shape, with Meta's components as sent and every status it went through. */
@RegisterForReflection
@Schema(name = "TemplateDetailView")
public record LancePilotTemplateDetailView(@JsonUnwrapped LancePilotTemplateView template, JsonNode metaComponents,
        List<StatusChangeView> statusHistory) {

    static LancePilotTemplateDetailView of(TemplateDetail detail) {
        return new LancePilotTemplateDetailView(LancePilotTemplateView.of(detail.template(), detail.phoneNumber()),
                detail.template().components, detail.statusHistory().stream().map(StatusChangeView::of).toList());
    }

    @RegisterForReflection
    public record StatusChangeView(String from, String to, Instant at, String source) {

        static StatusChangeView of(StatusHistoryEntry change) {
            return new StatusChangeView(change.fromStatus, change.toStatus, change.changedAt, change.source);
        }
    }
}
