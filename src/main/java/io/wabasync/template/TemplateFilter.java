package io.wabasync.template;

/**
 * The list filters; null means "any". {@code name} matches any part, ignoring case. LancePilot's
 * list filters by the first four; the console also by category.
 */
public record TemplateFilter(String status, String phoneNumber, String name, String language, String category) {

    /** LancePilot's filters, which have no category. */
    public TemplateFilter(String status, String phoneNumber, String name, String language) {
        this(status, phoneNumber, name, language, null);
    }
}
