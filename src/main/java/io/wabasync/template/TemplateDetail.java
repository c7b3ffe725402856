package io.wabasync.template;

import java.util.List;

/** One template of a workspace, its number, and every status it went through. */
public record TemplateDetail(Template template, String phoneNumber, List<StatusHistoryEntry> statusHistory) {
}
