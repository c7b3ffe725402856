package io.wabasync.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One template change of a delivery, whichever of Meta's shapes it came in. The kind is read from
 * the value, not only from {@code field}: Meta's own quality example is labelled
 * {@code message_template_status_update}.
 *
 * @param templateId Meta's template id (a number in webhooks; kept as the list API's string)
 * @param at when Meta says it happened (whole seconds), or null when the entry has no time
 */
record TemplateUpdate(Kind kind, String wabaId, String templateId, String name, String language, Instant at,
        String status, String reason, String category, String qualityScore, JsonNode otherInfo,
        JsonNode rejectionInfo, JsonNode disableInfo, ComponentsEdit edit) {

    enum Kind {
        STATUS, QUALITY, CATEGORY, COMPONENTS
    }

    static final String STATUS_FIELD = "message_template_status_update";
    static final String QUALITY_FIELD = "message_template_quality_update";
    static final String CATEGORY_FIELD = "template_category_update";
    static final String COMPONENTS_FIELD = "message_template_components_update";

    /** The language as the list API writes it: {@code en-US} in a webhook is {@code en_US} there. */
    String normalisedLanguage() {
        return normalise(language);
    }

    static String normalise(String language) {
        return language == null ? null : language.replace('-', '_');
    }

    /**
     * The template changes of a parsed delivery, in order. Changes of other kinds (messages, account
     * updates) and entries without a WABA id are left out: they are not ours to apply.
     */
    static List<TemplateUpdate> of(JsonNode delivery) {
        List<TemplateUpdate> changes = new ArrayList<>();
        for (JsonNode entry : array(delivery.get("entry"))) {
            String wabaId = text(entry.get("id"));
            JsonNode time = entry.get("time");
            Instant at = time != null && time.canConvertToLong() && time.asLong() > 0
                    ? Instant.ofEpochSecond(time.asLong()) : null;
            for (JsonNode change : array(entry.get("changes"))) {
                TemplateUpdate parsed = parse(wabaId, at, text(change.get("field")), change.path("value"));
                if (parsed != null) {
                    changes.add(parsed);
                }
            }
        }
        return changes;
    }

    /** How many changes the delivery holds, ours or not. */
    static int count(JsonNode delivery) {
        int count = 0;
        for (JsonNode entry : array(delivery.get("entry"))) {
            count += array(entry.get("changes")).size();
        }
        return count;
    }

    private static TemplateUpdate parse(String wabaId, Instant at, String field, JsonNode value) {
        if (wabaId == null || !value.isObject()) {
            return null;
        }
        String templateId = id(value.get("message_template_id"));
        String name = text(value.get("message_template_name"));
        String language = text(value.get("message_template_language"));
        if (templateId == null && (name == null || language == null)) {
            return null;
        }
        if (value.has("new_quality_score") || QUALITY_FIELD.equals(field)) {
            String score = text(value.get("new_quality_score"));
            return score == null ? null : new TemplateUpdate(Kind.QUALITY, wabaId, templateId, name, language, at, null,
                    null, null, score, null, null, null, null);
        }
        if (value.has("new_category") || CATEGORY_FIELD.equals(field)) {
            // Before a recategorisation ("impending", with correct_category) new_category is still
            // the current one; after it ("completed") it is the new one. Either way: the current one.
            String category = text(value.get("new_category"));
            return category == null ? null : new TemplateUpdate(Kind.CATEGORY, wabaId, templateId, name, language, at,
                    null, null, category, null, null, null, null, null);
        }
        if (COMPONENTS_FIELD.equals(field)) {
            ComponentsEdit edit = ComponentsEdit.of(value);
            return edit == null ? null : new TemplateUpdate(Kind.COMPONENTS, wabaId, templateId, name, language, at,
                    null, null, null, null, null, null, null, edit);
        }
        if (STATUS_FIELD.equals(field) && value.hasNonNull("event")) {
            // The event as Meta names it; what it does to the stored status is the applier's to say.
            return new TemplateUpdate(Kind.STATUS, wabaId, templateId, name, language, at, text(value.get("event")),
                    text(value.get("reason")), text(value.get("message_template_category")), null,
                    object(value.get("other_info")), object(value.get("rejection_info")),
                    object(value.get("disable_info")), null);
        }
        return null;
    }

    private static JsonNode object(JsonNode node) {
        return node != null && node.isObject() ? node : null;
    }

    /** The node if it is an array, else an empty one: iterating an object would walk its values. */
    private static JsonNode array(JsonNode node) {
        return node != null && node.isArray() ? node : MissingNode.getInstance();
    }

    private static String id(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        return node.isTextual() && !node.asText().isBlank() ? node.asText().strip() : null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
