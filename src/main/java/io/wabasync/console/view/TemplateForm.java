package io.wabasync.console.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The console's create and edit form. Its fields are named as LancePilot's body names them
 * ({@code body.text}, {@code buttons.0.url}), so the API's rules check it unchanged and each error
 * they report lands next to its field. Example values are one per line.
 */
public record TemplateForm(Map<String, String> values, Map<String, List<String>> errors, String problem) {

    /** How many buttons the form offers (Meta's limit for the kinds it offers). */
    public static final int BUTTONS = 3;

    public static final List<String> CATEGORIES = List.of("MARKETING", "UTILITY", "AUTHENTICATION");

    public static final List<String> BUTTON_KINDS = List.of("QUICK_REPLY", "URL", "PHONE_NUMBER");

    private static final Set<String> BUTTON_KEYS = Set.of("type", "text", "url", "phone_number", "variables");

    public static TemplateForm empty() {
        return new TemplateForm(Map.of("language", "en_US", "category", "UTILITY"), Map.of(), null);
    }

    public static TemplateForm of(Map<String, String> values) {
        return new TemplateForm(values, Map.of(), null);
    }

    public TemplateForm withErrors(Map<String, List<String>> errors, String problem) {
        return new TemplateForm(values, errors, problem);
    }

    /** The field's value, empty when not given. */
    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public boolean selected(String field, String option) {
        return option.equalsIgnoreCase(value(field));
    }

    public List<String> errorsOf(String field) {
        return errors.getOrDefault(field, List.of());
    }

    public boolean hasError(String field) {
        return errors.containsKey(field);
    }

    /** Errors of fields the form does not show (the whole body, a button list), shown above it. */
    public List<String> otherErrors() {
        List<String> others = new ArrayList<>();
        errors.forEach((field, problems) -> {
            if (!isShown(field)) {
                problems.forEach(p -> others.add(field + ": " + p));
            }
        });
        return others;
    }

    public List<Integer> buttonIndexes() {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < BUTTONS; i++) {
            indexes.add(i);
        }
        return indexes;
    }

    private static boolean isShown(String field) {
        return Set.of("phone_number", "name", "language", "category", "header.text.content",
                "header.text.variables", "body.text", "body.variables", "footer").contains(field)
                || field.matches("buttons\\.[0-2]\\.(type|text|url|phone_number|variables)");
    }

    /** LancePilot's create/update body the form describes. */
    public ObjectNode body() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode body = json.objectNode();
        putIfGiven(body, "phone_number", value("phone_number"));
        body.put("name", value("name").strip());
        body.put("language", value("language").strip());
        body.put("category", value("category").strip());
        String header = value("header.text.content");
        if (!header.isBlank()) {
            ObjectNode text = body.putObject("header").put("type", "text").putObject("text");
            text.put("content", header);
            text.set("variables", lines(value("header.text.variables")));
        }
        ObjectNode content = body.putObject("body");
        content.put("text", value("body.text"));
        content.set("variables", lines(value("body.variables")));
        putIfGiven(body, "footer", value("footer"));
        ArrayNode buttons = body.putArray("buttons");
        for (int i = 0; i < BUTTONS; i++) {
            String type = value("buttons." + i + ".type");
            if (type.isBlank()) {
                continue;
            }
            ObjectNode button = buttons.addObject().put("type", type).put("text", value("buttons." + i + ".text"));
            if ("URL".equals(type)) {
                button.put("url", value("buttons." + i + ".url").strip());
                ArrayNode examples = lines(value("buttons." + i + ".variables"));
                if (!examples.isEmpty()) {
                    button.set("variables", examples);
                }
            } else if ("PHONE_NUMBER".equals(type)) {
                button.put("phone_number", value("buttons." + i + ".phone_number").strip());
            }
        }
        return body;
    }

    /**
     * The form of a stored template, from its components in LancePilot's form; null when it has parts
     * the form cannot show (a media or location header, components of other kinds, other buttons), so
     * that an edit through the form would lose them.
     */
    public static TemplateForm ofTemplate(String name, String language, String category, JsonNode lancePilot) {
        if (lancePilot.has("other_components") || lancePilot.has("component_order")) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("language", language);
        values.put("category", category);
        JsonNode header = lancePilot.path("header");
        if (!header.isNull() && !header.isMissingNode()) {
            if (!"text".equals(header.path("type").asText()) || fieldsBeyond(header, Set.of("type", "text"))
                    || fieldsBeyond(header.path("text"), Set.of("content", "variables"))) {
                return null;
            }
            values.put("header.text.content", header.path("text").path("content").asText(""));
            values.put("header.text.variables", joined(header.path("text").path("variables")));
        }
        JsonNode body = lancePilot.path("body");
        if (!body.isNull() && !body.isMissingNode()) {
            if (fieldsBeyond(body, Set.of("text", "variables"))) {
                return null;
            }
            values.put("body.text", body.path("text").asText(""));
            values.put("body.variables", joined(body.path("variables")));
        }
        JsonNode footer = lancePilot.path("footer");
        if (footer.isTextual()) {
            values.put("footer", footer.asText());
        } else if (!footer.isNull() && !footer.isMissingNode()) {
            return null;
        }
        JsonNode buttons = lancePilot.path("buttons");
        if (buttons.size() > BUTTONS) {
            return null;
        }
        for (int i = 0; i < buttons.size(); i++) {
            JsonNode button = buttons.get(i);
            String type = button.path("type").asText();
            if (!BUTTON_KINDS.contains(type) || fieldsBeyond(button, BUTTON_KEYS)) {
                return null;
            }
            values.put("buttons." + i + ".type", type);
            values.put("buttons." + i + ".text", button.path("text").asText(""));
            values.put("buttons." + i + ".url", button.path("url").asText(""));
            values.put("buttons." + i + ".phone_number", button.path("phone_number").asText(""));
            values.put("buttons." + i + ".variables", joined(button.path("variables")));
        }
        return of(values);
    }

    private static boolean fieldsBeyond(JsonNode node, Set<String> known) {
        if (!node.isObject()) {
            return true;
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name) && !node.get(name).isNull()) {
                return true;
            }
        }
        return false;
    }

    private static String joined(JsonNode values) {
        List<String> lines = new ArrayList<>();
        values.forEach(v -> lines.add(v.asText()));
        return String.join("\n", lines);
    }

    private static ArrayNode lines(String text) {
        ArrayNode values = JsonNodeFactory.instance.arrayNode();
        Arrays.stream(text.split("\\R")).map(String::strip).filter(line -> !line.isEmpty()).forEach(values::add);
        return values;
    }

    private static void putIfGiven(ObjectNode body, String field, String value) {
        if (!value.isBlank()) {
            body.put(field, value);
        }
    }
}
