package io.wabasync.template.lancepilot;

import static io.wabasync.template.lancepilot.LancePilotComponents.BODY;
import static io.wabasync.template.lancepilot.LancePilotComponents.BODY_KEYS;
import static io.wabasync.template.lancepilot.LancePilotComponents.BUTTONS;
import static io.wabasync.template.lancepilot.LancePilotComponents.CODE_EXPIRATION_MINUTES;
import static io.wabasync.template.lancepilot.LancePilotComponents.COMPONENT_ORDER;
import static io.wabasync.template.lancepilot.LancePilotComponents.EXAMPLE;
import static io.wabasync.template.lancepilot.LancePilotComponents.FOOTER;
import static io.wabasync.template.lancepilot.LancePilotComponents.HEADER;
import static io.wabasync.template.lancepilot.LancePilotComponents.HEADER_KEYS;
import static io.wabasync.template.lancepilot.LancePilotComponents.JSON;
import static io.wabasync.template.lancepilot.LancePilotComponents.OTHER_COMPONENTS;
import static io.wabasync.template.lancepilot.LancePilotComponents.VARIABLES;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Meta's components array read into LancePilot's form ({@link LancePilotComponents}): a component
 * takes its slot only when the slot's form gives it back exactly ({@link ComponentsToMeta}), else it
 * is kept verbatim in {@code other_components}; {@code component_order} rebuilds Meta's order.
 */
final class ComponentsFromMeta {

    private ComponentsFromMeta() {
    }

    /**
     * Meta's components array (or {@code null}, missing, JSON null) as LancePilot's object.
     *
     * @throws IllegalArgumentException when {@code metaComponents} is something other than an array
     */
    static ObjectNode fromMeta(JsonNode metaComponents) {
        ObjectNode lp = JSON.objectNode();
        lp.putNull("header");
        lp.putNull("body");
        lp.putNull("footer");
        lp.putArray("buttons");
        if (metaComponents == null || metaComponents.isMissingNode() || metaComponents.isNull()) {
            return lp;
        }
        if (!metaComponents.isArray()) {
            throw new IllegalArgumentException("Meta's template components are an array, not " + metaComponents.getNodeType());
        }
        ArrayNode others = JSON.arrayNode();
        // Only the first component of a type may take its slot: then, among components of one type,
        // the slot's comes first in Meta's order, which is what lets component_order rebuild it.
        Set<String> seen = new HashSet<>();
        for (JsonNode component : metaComponents) {
            String type = component.path("type").isTextual() ? component.get("type").textValue() : null;
            boolean placed = component.isObject() && type != null && seen.add(type) && place(lp, type, component);
            if (!placed) {
                others.add(component.deepCopy());
            }
        }
        if (!others.isEmpty()) {
            lp.set(OTHER_COMPONENTS, others);
        }
        if (!ComponentsToMeta.inOrder(lp, ComponentsToMeta.CreateAliases.NONE).equals(metaComponents)) {
            ArrayNode order = lp.putArray(COMPONENT_ORDER);
            metaComponents.forEach(component -> order.add(ComponentsToMeta.typeKey(component)));
        }
        return lp;
    }

    /** Puts a Meta component in its slot when the slot's form gives it back exactly. */
    private static boolean place(ObjectNode lp, String type, JsonNode component) {
        switch (type) {
            case HEADER: {
                ObjectNode header = headerFromMeta(component);
                if (header != null && component.equals(ComponentsToMeta.headerToMeta(header))) {
                    lp.set("header", header);
                    return true;
                }
                return false;
            }
            case BODY: {
                ObjectNode body = bodyFromMeta(component);
                if (body != null && component.equals(ComponentsToMeta.bodyToMeta(body, null))) {
                    lp.set("body", body);
                    return true;
                }
                return false;
            }
            case FOOTER: {
                JsonNode text = component.get("text");
                JsonNode minutes = component.get(CODE_EXPIRATION_MINUTES);
                if (text != null && !text.isTextual()) {
                    return false;
                }
                if (component.equals(ComponentsToMeta.footerToMeta(text, minutes))) {
                    lp.set("footer", text == null ? NullNode.instance : text.deepCopy());
                    if (minutes != null) {
                        lp.set(CODE_EXPIRATION_MINUTES, minutes.deepCopy());
                    }
                    return true;
                }
                return false;
            }
            case BUTTONS: {
                ArrayNode buttons = buttonsFromMeta(component);
                if (buttons != null && component.equals(ComponentsToMeta.buttonsToMeta(buttons))) {
                    lp.set("buttons", buttons);
                    return true;
                }
                return false;
            }
            default:
                return false;
        }
    }

    private static ObjectNode headerFromMeta(JsonNode component) {
        JsonNode format = component.get("format");
        if (format == null || !format.isTextual() || unusableExample(component)) {
            return null;
        }
        ObjectNode rest = exampleRest(component);
        ObjectNode header = JSON.objectNode();
        Set<String> mapped = new HashSet<>(Set.of("type", "format", EXAMPLE));
        switch (format.textValue()) {
            case "TEXT": {
                JsonNode text = component.get("text");
                if (text == null || !text.isTextual()) {
                    return null;
                }
                mapped.add("text");
                header.put("type", "text");
                ObjectNode content = header.putObject("text");
                content.put("content", text.textValue());
                content.set(VARIABLES, takeStrings(rest, "header_text"));
                break;
            }
            case "IMAGE":
            case "VIDEO":
            case "DOCUMENT": {
                header.put("type", "media");
                ObjectNode media = header.putObject("media");
                media.put("type", format.textValue().toLowerCase(Locale.ROOT));
                JsonNode handles = rest == null ? null : rest.get("header_handle");
                // Only a single handle fits "handle"; several stay in header.example, as Meta sent them.
                if (isStrings(handles) && handles.size() == 1) {
                    media.set("handle", handles.get(0).deepCopy());
                    rest.remove("header_handle");
                } else {
                    media.putNull("handle");
                }
                break;
            }
            case "LOCATION":
                header.put("type", "location");
                break;
            default:
                return null;
        }
        return keepUnmapped(component, mapped, HEADER_KEYS, rest, header);
    }

    private static ObjectNode bodyFromMeta(JsonNode component) {
        JsonNode text = component.get("text");
        if ((text != null && !text.isTextual()) || unusableExample(component)) {
            return null;
        }
        ObjectNode rest = exampleRest(component);
        ObjectNode body = JSON.objectNode();
        body.set("text", text == null ? NullNode.instance : text.deepCopy());
        JsonNode rows = rest == null ? null : rest.get("body_text");
        // Positional examples are one row; anything else stays in body.example as Meta sent it.
        if (rows != null && rows.isArray() && rows.size() == 1 && isStrings(rows.get(0))) {
            body.set(VARIABLES, rows.get(0).deepCopy());
            rest.remove("body_text");
        } else {
            body.putArray(VARIABLES);
        }
        return keepUnmapped(component, Set.of("type", "text", EXAMPLE), BODY_KEYS, rest, body);
    }

    private static ArrayNode buttonsFromMeta(JsonNode component) {
        JsonNode buttons = component.get("buttons");
        if (buttons == null || !buttons.isArray() || buttons.isEmpty()) {
            return null;
        }
        ArrayNode lp = JSON.arrayNode();
        for (JsonNode button : buttons) {
            // A button without a string type, or a URL button that already has "variables", would be
            // read differently on the way back: the whole BUTTONS component is then kept verbatim.
            if (!button.isObject() || !button.path("type").isTextual()) {
                return null;
            }
            boolean url = "URL".equals(button.get("type").textValue());
            if (url && button.has(VARIABLES)) {
                return null;
            }
            ObjectNode copy = button.deepCopy();
            if (url) {
                ArrayNode variables = takeStrings(copy, EXAMPLE);
                if (!variables.isEmpty()) {
                    copy.set(VARIABLES, variables);
                }
            }
            lp.add(copy);
        }
        return lp;
    }

    /** Meta sent an example this form cannot take apart: the component is then kept verbatim. */
    private static boolean unusableExample(JsonNode component) {
        return component.has(EXAMPLE) && !component.get(EXAMPLE).isObject();
    }

    /** A copy of the component's {@code example} to take the mapped entries out of; {@code null} when there is none. */
    private static ObjectNode exampleRest(JsonNode component) {
        JsonNode example = component.get(EXAMPLE);
        return example == null ? null : ((ObjectNode) example).deepCopy();
    }

    /** Takes {@code key} out of {@code from} when it is a non-empty array of strings; else an empty array. */
    private static ArrayNode takeStrings(ObjectNode from, String key) {
        JsonNode value = from == null ? null : from.get(key);
        if (!isStrings(value)) {
            return JSON.arrayNode();
        }
        from.remove(key);
        return (ArrayNode) value;
    }

    /** A non-empty array of strings: the only example shape that maps onto {@code variables}. */
    private static boolean isStrings(JsonNode value) {
        if (value == null || !value.isArray() || value.isEmpty()) {
            return false;
        }
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies the component's unmapped fields onto the form and the rest of its example into
     * {@code example}; {@code null} when one would land on a key the form uses itself.
     */
    private static ObjectNode keepUnmapped(JsonNode component, Set<String> mapped, Set<String> formKeys, ObjectNode rest,
            ObjectNode form) {
        for (Map.Entry<String, JsonNode> field : component.properties()) {
            if (mapped.contains(field.getKey())) {
                continue;
            }
            if (formKeys.contains(field.getKey())) {
                return null;
            }
            form.set(field.getKey(), field.getValue().deepCopy());
        }
        // An example Meta sent empty stays, so that it comes back; one emptied by the mapping does not.
        if (rest != null && (!rest.isEmpty() || component.get(EXAMPLE).isEmpty())) {
            form.set(EXAMPLE, rest);
        }
        return form;
    }
}
