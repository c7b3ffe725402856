package io.wabasync.console.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.wabasync.template.ListedTemplate;
import io.wabasync.template.TemplateFilter;

/** One page of the workspace's templates, the filters that chose it, and what a filter can choose from. */
public record TemplatesPage(List<ListedTemplate> templates, TemplateFilter filter, List<String> numbers,
        long total, int page, int lastPage, String notice) {

    public static final List<String> STATUSES = List.of("APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED",
            "IN_APPEAL", "UPDATING", "PENDING_DELETION", "LIMIT_EXCEEDED");

    public List<String> statuses() {
        return STATUSES;
    }

    public List<String> categories() {
        return TemplateForm.CATEGORIES;
    }

    /** The filter's value of a field, empty for "any". */
    public String chosen(String field) {
        String value = switch (field) {
            case "number" -> filter.phoneNumber();
            case "status" -> filter.status();
            case "category" -> filter.category();
            case "language" -> filter.language();
            case "name" -> filter.name();
            default -> null;
        };
        return value == null ? "" : value;
    }

    public boolean isChosen(String field, String option) {
        return option.equalsIgnoreCase(chosen(field));
    }

    public String previous() {
        return page > 1 ? link(page - 1) : null;
    }

    public String next() {
        return page < lastPage ? link(page + 1) : null;
    }

    private String link(int target) {
        List<String> query = new ArrayList<>();
        for (String field : List.of("number", "status", "category", "language", "name")) {
            if (!chosen(field).isEmpty()) {
                query.add(field + "=" + URLEncoder.encode(chosen(field), StandardCharsets.UTF_8));
            }
        }
        query.add("page=" + target);
        return "/console/templates?" + String.join("&", query);
    }
}
