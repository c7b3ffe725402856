package io.wabasync.template;

/** LancePilot's list filters; null means "any". {@code name} matches any part, ignoring case. */
public record TemplateFilter(String status, String phoneNumber, String name, String language) {
}
