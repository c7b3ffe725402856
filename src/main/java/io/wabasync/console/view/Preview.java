package io.wabasync.console.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A template as WhatsApp shows it, from Meta's components: the header (its text, or which kind of
 * media), the body and header with their example values in place of the placeholders, the footer and
 * the buttons. Plain text only: the page escapes every part of it.
 */
public record Preview(String headerText, String headerMedia, String body, String footer, List<Button> buttons) {

    /** A button as the chat shows it, and where it leads (a URL, a phone number, or nothing for a reply). */
    public record Button(String kind, String text, String target) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    public static Preview of(JsonNode components) {
        String headerText = null;
        String headerMedia = null;
        String body = null;
        String footer = null;
        List<Button> buttons = new ArrayList<>();
        if (components != null && components.isArray()) {
            for (JsonNode component : components) {
                String type = component.path("type").asText("").toUpperCase(Locale.ROOT);
                switch (type) {
                    case "HEADER" -> {
                        String format = component.path("format").asText("TEXT").toUpperCase(Locale.ROOT);
                        if ("TEXT".equals(format)) {
                            headerText = filled(component.path("text").asText(""), component.path("example"),
                                    "header_text", "header_text_named_params");
                        } else {
                            headerMedia = format.charAt(0) + format.substring(1).toLowerCase(Locale.ROOT);
                        }
                    }
                    case "BODY" -> body = filled(component.path("text").asText(""), component.path("example"),
                            "body_text", "body_text_named_params");
                    case "FOOTER" -> footer = component.path("text").asText(null);
                    case "BUTTONS" -> component.path("buttons").forEach(button -> buttons.add(button(button)));
                    default -> {
                        // Carousels and other kinds are not drawn; the page shows Meta's components below.
                    }
                }
            }
        }
        return new Preview(headerText, headerMedia, body, footer, buttons);
    }

    private static Button button(JsonNode button) {
        String type = button.path("type").asText("").toUpperCase(Locale.ROOT);
        String target = switch (type) {
            case "URL" -> filled(button.path("url").asText(""), button.path("example"), null, null);
            case "PHONE_NUMBER" -> button.path("phone_number").asText(null);
            default -> null;
        };
        String text = button.path("text").asText("");
        if (text.isEmpty() && "OTP".equals(type)) {
            text = "Copy code";
        }
        return new Button(type, text, target);
    }

    /**
     * The text with each placeholder replaced by its example: positional ({{1}} takes the first
     * example) or named ({{first_name}} takes the example of that name). A placeholder without an
     * example stays as written.
     */
    static String filled(String text, JsonNode example, String positionalKey, String namedKey) {
        List<String> positional = new ArrayList<>();
        JsonNode values = positionalKey == null ? example : example.path(positionalKey);
        if (values.isArray()) {
            // body_text is a list holding one list; header_text and a URL button's example are flat lists.
            JsonNode flat = values.size() > 0 && values.get(0).isArray() ? values.get(0) : values;
            flat.forEach(v -> positional.add(v.asText()));
        }
        JsonNode named = namedKey == null ? null : example.path(namedKey);
        Function<String, String> lookup = key -> {
            if (key.matches("[0-9]+")) {
                int index = Integer.parseInt(key) - 1;
                return index >= 0 && index < positional.size() ? positional.get(index) : null;
            }
            if (named != null && named.isArray()) {
                for (JsonNode param : named) {
                    if (key.equals(param.path("param_name").asText())) {
                        return param.path("example").asText(null);
                    }
                }
            }
            return null;
        };
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = lookup.apply(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
