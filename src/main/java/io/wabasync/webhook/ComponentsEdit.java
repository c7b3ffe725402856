package io.wabasync.webhook;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The texts of an edited template, from a {@code message_template_components_update} webhook:
 * {@code message_template_element} (the body), and when present {@code _title} (a text header),
 * {@code _footer} and {@code _buttons}. Applied onto the stored components (Meta's array): the parts
 * the webhook names are replaced, everything else (examples, media headers) stays until the next
 * full sync brings Meta's whole template.
 */
record ComponentsEdit(String body, String header, String footer, ArrayNode buttons) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> ORDER = List.of("HEADER", "BODY", "FOOTER", "BUTTONS");

    static ComponentsEdit of(JsonNode value) {
        String body = text(value.get("message_template_element"));
        if (body == null) {
            return null;
        }
        ArrayNode buttons = null;
        JsonNode given = value.get("message_template_buttons");
        if (given != null && given.isArray()) {
            buttons = NODES.arrayNode();
            for (JsonNode button : given) {
                ObjectNode converted = buttons.addObject();
                converted.put("type", text(button.get("message_template_button_type")));
                converted.put("text", text(button.get("message_template_button_text")));
                putIfPresent(converted, "url", text(button.get("message_template_button_url")));
                putIfPresent(converted, "phone_number", text(button.get("message_template_button_phone_number")));
            }
        }
        return new ComponentsEdit(body, text(value.get("message_template_title")),
                text(value.get("message_template_footer")), buttons);
    }

    /** A new array: the stored one with this edit's texts in place, in Meta's component order. */
    JsonNode applyTo(JsonNode stored) {
        List<ObjectNode> components = new ArrayList<>();
        if (stored != null && stored.isArray()) {
            stored.forEach(c -> components.add(c.isObject() ? ((ObjectNode) c).deepCopy() : NODES.objectNode()));
        }
        component(components, "BODY").put("text", body);
        if (header != null) {
            ObjectNode h = component(components, "HEADER");
            if (!h.has("format")) {
                h.put("format", "TEXT");
            }
            h.put("text", header);
        }
        if (footer != null) {
            component(components, "FOOTER").put("text", footer);
        }
        if (buttons != null) {
            component(components, "BUTTONS").set("buttons", buttons.deepCopy());
        }
        components.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        ArrayNode result = NODES.arrayNode();
        components.forEach(result::add);
        return result;
    }

    private static ObjectNode component(List<ObjectNode> components, String type) {
        for (ObjectNode c : components) {
            if (type.equalsIgnoreCase(c.path("type").asText())) {
                return c;
            }
        }
        ObjectNode added = NODES.objectNode().put("type", type);
        components.add(added);
        return added;
    }

    private static int rank(JsonNode component) {
        int i = ORDER.indexOf(component.path("type").asText().toUpperCase(java.util.Locale.ROOT));
        return i < 0 ? ORDER.size() : i;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
