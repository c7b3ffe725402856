package io.wabasync.console.view;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Why a template cannot be sent, in Meta's words where Meta gave some, and what to do about it: for
 * a rejection (by Meta's reason), a pause, a disabled template, or a quality that puts it at risk.
 * Null when nothing stands in the way.
 */
public record Advice(String title, String reason, String metaSays, String whatToDo) {

    public static Advice of(String status, String rejectedReason, JsonNode rejectionInfo, JsonNode disableInfo,
            String qualityScore) {
        String state = status == null ? "" : status.toUpperCase(Locale.ROOT);
        String metaSays = text(rejectionInfo, "recommendation");
        return switch (state) {
            case "REJECTED" -> rejected(rejectedReason, metaSays);
            case "PAUSED" -> new Advice("Paused by Meta", "Recipients blocked or reported it: its quality fell.",
                    metaSays, "It cannot be sent while paused. Meta lifts the first pause after 3 hours and the second "
                            + "after 6; a third disables it. Before sending again, make the content more relevant "
                            + "and send it only to people who asked for it; an edit (APPROVED, REJECTED or PAUSED "
                            + "templates) goes back to Meta for review.");
            case "DISABLED" -> new Advice("Disabled by Meta", "Paused too often for low quality.", metaSays,
                    "A disabled template can no longer be sent or edited. Create a new template with different "
                            + "content.");
            case "FLAGGED" -> new Advice("Flagged by Meta", "Its quality fell to low.", metaSays,
                    "Meta will disable it" + disableDate(disableInfo) + " unless its quality improves: pause your "
                            + "campaigns that use it and review the content.");
            default -> "RED".equalsIgnoreCase(qualityScore) || "LOW".equalsIgnoreCase(qualityScore)
                    ? new Advice("Low quality", "Recipients are blocking or reporting it.", metaSays,
                            "Meta may pause it. Review the content and send it only to people who asked for it.")
                    : null;
        };
    }

    private static Advice rejected(String reason, String metaSays) {
        String code = reason == null ? "NONE" : reason.toUpperCase(Locale.ROOT);
        return switch (code) {
            case "ABUSIVE_CONTENT" -> new Advice("Rejected: abusive content",
                    "Meta found content that breaks WhatsApp's Business or Commerce Policy.", metaSays,
                    "Remove the content the policies forbid, then edit the template to submit it again.");
            case "INVALID_FORMAT" -> new Advice("Rejected: invalid format",
                    "The template's format breaks Meta's rules.", metaSays,
                    "Number the placeholders {{1}}, {{2}}... without gaps, put words between them, do not begin "
                            + "or end the body with one, give an example for each, and keep within the length "
                            + "limits; then edit and submit again.");
            case "PROMOTIONAL" -> new Advice("Rejected: promotional content",
                    "Promotional wording in a UTILITY or AUTHENTICATION template.", metaSays,
                    "Choose the MARKETING category, or remove the promotional wording, and submit again.");
            case "TAG_CONTENT_MISMATCH", "INCORRECT_CATEGORY" -> new Advice("Rejected: wrong category",
                    "The category does not match the content.", metaSays,
                    "Choose the category the content belongs to (MARKETING, UTILITY or AUTHENTICATION) and "
                            + "submit again.");
            case "SCAM" -> new Advice("Rejected: judged misleading",
                    "Meta judged the content deceptive or a scam.", metaSays,
                    "Say plainly who is sending and why, remove anything that could mislead, and submit again; "
                            + "if you believe Meta is wrong, request a review in WhatsApp Manager.");
            default -> new Advice("Rejected", "Meta gave no reason (" + code + ").", metaSays,
                    "Check the template against Meta's template guidelines, edit it and submit again, or request "
                            + "a review in WhatsApp Manager.");
        };
    }

    private static String disableDate(JsonNode disableInfo) {
        String date = text(disableInfo, "disable_date");
        return date == null ? "" : " on " + date;
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.hasNonNull(field)) {
            return null;
        }
        String value = node.get(field).asText();
        return value.isBlank() ? null : value;
    }
}
