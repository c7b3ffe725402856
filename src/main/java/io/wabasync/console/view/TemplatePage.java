package io.wabasync.console.view;

import java.util.List;

import io.wabasync.template.StatusHistoryEntry;
import io.wabasync.template.Template;

/**
 * One template: its fields, the preview, why it cannot be sent and what to do (null when nothing
 * stands in the way), its status history oldest first, and whether the form can edit it.
 */
public record TemplatePage(Template template, String phoneNumber, Preview preview, Advice advice,
        List<StatusHistoryEntry> history, boolean formEditable, String components, String notice) {
}
