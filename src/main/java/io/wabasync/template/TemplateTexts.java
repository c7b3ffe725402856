package io.wabasync.template;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A template's texts as one string, as 2Chat's {@code template_content} shows them: the header's text
 * on its own line, then the body with its {@code {{1}}} placeholders and blank lines kept, then the
 * footer. Media headers and buttons have no text to show there.
 */
public final class TemplateTexts {

    private TemplateTexts() {
    }

    public static String content(JsonNode components) {
        List<String> parts = new ArrayList<>();
        for (String type : List.of("HEADER", "BODY", "FOOTER")) {
            String text = textOf(components, type);
            if (text != null && !text.isEmpty()) {
                parts.add(text);
            }
        }
        return String.join("\n", parts);
    }

    /** The body's text (with its placeholders), or null when there is none. */
    public static String body(JsonNode components) {
        return textOf(components, "BODY");
    }

    private static String textOf(JsonNode components, String type) {
        if (components == null || !components.isArray()) {
            return null;
        }
        for (JsonNode component : components) {
            if (type.equalsIgnoreCase(component.path("type").asText()) && component.path("text").isTextual()) {
                return component.path("text").asText();
            }
        }
        return null;
    }
}
