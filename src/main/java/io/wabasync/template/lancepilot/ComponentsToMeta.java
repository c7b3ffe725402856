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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * LancePilot's form ({@link LancePilotComponents}) written as Meta's components array: from a create
 * or update body, whose top-level shortcuts ({@link CreateAliases}) fill fields of its components, or
 * from the form alone, to check that a form read from Meta gives Meta's array back.
 */
final class ComponentsToMeta {

    /**
     * A create or update body's top-level shortcuts for fields of its components; {@link #NONE} when
     * the form alone is written.
     */
    record CreateAliases(JsonNode addSecurityRecommendation, JsonNode codeExpirationMinutes, JsonNode copyCodeButton) {

        static final CreateAliases NONE = new CreateAliases(null, null, null);

        static CreateAliases of(JsonNode body) {
            return new CreateAliases(body.get("addSecurityRecommendation"), body.get("codeExpirationMinutes"),
                    body.get("copyCodeButton"));
        }
    }

    private ComponentsToMeta() {
    }

    /**
     * LancePilot's object (or a whole create/update body) as the components array Meta's create and
     * edit APIs take; {@code null}, missing or JSON null give an empty array.
     *
     * @throws IllegalArgumentException when the object is not in the form described on this class
     */
    static ArrayNode toMeta(JsonNode lancePilotComponents) {
        if (lancePilotComponents == null || lancePilotComponents.isMissingNode() || lancePilotComponents.isNull()) {
            return JSON.arrayNode();
        }
        if (!lancePilotComponents.isObject()) {
            throw new IllegalArgumentException("LancePilot's components are an object, not " + lancePilotComponents.getNodeType());
        }
        return inOrder(withOptOut(lancePilotComponents), CreateAliases.of(lancePilotComponents));
    }

    /** Meta's marketing opt-out is a quick reply it recognises by its text; LancePilot's flag asks for it. */
    private static JsonNode withOptOut(JsonNode lp) {
        if (!lp.path("unsubscribeButton").asBoolean(false)) {
            return lp;
        }
        ObjectNode copy = ((ObjectNode) lp).deepCopy();
        ArrayNode buttons = copy.path("buttons").isArray() ? (ArrayNode) copy.get("buttons") : copy.putArray("buttons");
        buttons.addObject().put("type", "QUICK_REPLY").put("text", "Stop promotions");
        return copy;
    }

    /**
     * The Meta array of a LancePilot object: HEADER, BODY, FOOTER, BUTTONS, then other_components,
     * rearranged by component_order when there is one.
     */
    static ArrayNode inOrder(JsonNode lp, CreateAliases aliases) {
        List<JsonNode> pool = new ArrayList<>();
        JsonNode header = headerToMeta(lp.get("header"));
        if (header != null) {
            pool.add(header);
        }
        JsonNode body = bodyToMeta(lp.get("body"), aliases.addSecurityRecommendation());
        if (body != null) {
            pool.add(body);
        }
        JsonNode footerText = lp.get("footer");
        if (footerText != null && !footerText.isNull() && !footerText.isTextual()) {
            throw new IllegalArgumentException("footer is a string or null, not " + footerText.getNodeType());
        }
        JsonNode footer = footerToMeta(footerText, minutes(lp, aliases.codeExpirationMinutes()));
        if (footer != null) {
            pool.add(footer);
        }
        JsonNode buttons = buttonsToMeta(buttons(lp, aliases.copyCodeButton()));
        if (buttons != null) {
            pool.add(buttons);
        }
        JsonNode others = lp.get(OTHER_COMPONENTS);
        if (others != null && !others.isNull()) {
            if (!others.isArray()) {
                throw new IllegalArgumentException(OTHER_COMPONENTS + " is an array of Meta components");
            }
            others.forEach(component -> pool.add(component.deepCopy()));
        }
        ArrayNode meta = JSON.arrayNode();
        JsonNode order = lp.get(COMPONENT_ORDER);
        if (order == null || order.isNull()) {
            pool.forEach(meta::add);
            return meta;
        }
        if (!order.isArray() || order.size() != pool.size()) {
            throw new IllegalArgumentException(COMPONENT_ORDER + " must name each of the " + pool.size() + " components once");
        }
        for (JsonNode type : order) {
            int next = 0;
            while (next < pool.size() && !typeKey(pool.get(next)).equals(type)) {
                next++;
            }
            if (next == pool.size()) {
                throw new IllegalArgumentException(COMPONENT_ORDER + " names a component that is not there: " + type);
            }
            meta.add(pool.remove(next));
        }
        return meta;
    }

    static JsonNode typeKey(JsonNode component) {
        JsonNode type = component.path("type");
        return type.isTextual() ? type.deepCopy() : NullNode.instance;
    }

    static ObjectNode headerToMeta(JsonNode header) {
        if (header == null || header.isNull()) {
            return null;
        }
        if (!header.isObject()) {
            throw new IllegalArgumentException("header is an object or null");
        }
        ObjectNode component = JSON.objectNode();
        component.put("type", HEADER);
        ObjectNode example = JSON.objectNode();
        String type = header.path("type").asText("");
        switch (type) {
            case "text": {
                JsonNode text = header.get("text");
                if (text == null || !text.isObject() || !text.path("content").isTextual()) {
                    throw new IllegalArgumentException("a text header needs text.content");
                }
                onlyKeys(text, "header.text", "content", VARIABLES);
                component.put("format", "TEXT");
                component.put("text", text.get("content").textValue());
                ArrayNode variables = strings(text.get(VARIABLES), "header.text.variables");
                if (!variables.isEmpty()) {
                    example.set("header_text", variables);
                }
                break;
            }
            case "media": {
                JsonNode media = header.get("media");
                if (media == null || !media.isObject()) {
                    throw new IllegalArgumentException("a media header needs media.type and media.handle");
                }
                if (media.has("file")) {
                    throw new IllegalArgumentException("header.media.file must be uploaded first: Meta takes a handle");
                }
                onlyKeys(media, "header.media", "type", "handle");
                String mediaType = media.path("type").asText("");
                if (!Set.of("image", "video", "document").contains(mediaType)) {
                    throw new IllegalArgumentException("header.media.type is image, video or document, not " + media.get("type"));
                }
                component.put("format", mediaType.toUpperCase(Locale.ROOT));
                JsonNode handle = media.get("handle");
                if (handle != null && !handle.isNull()) {
                    if (!handle.isTextual()) {
                        throw new IllegalArgumentException("header.media.handle is a string");
                    }
                    example.putArray("header_handle").add(handle.textValue());
                }
                break;
            }
            case "location":
                component.put("format", "LOCATION");
                break;
            default:
                throw new IllegalArgumentException("header.type is text, media or location, not " + header.get("type"));
        }
        return withUnmapped(header, HEADER_KEYS, example, "header", component);
    }

    /** The BODY of a LancePilot body, with the create body's {@code addSecurityRecommendation} (or null). */
    static ObjectNode bodyToMeta(JsonNode body, JsonNode recommendation) {
        boolean hasRecommendation = recommendation != null && !recommendation.isNull();
        if ((body == null || body.isNull()) && !hasRecommendation) {
            return null;
        }
        if (body != null && !body.isNull() && !body.isObject()) {
            throw new IllegalArgumentException("body is an object or null");
        }
        JsonNode lp = body == null || body.isNull() ? JSON.objectNode() : body;
        ObjectNode component = JSON.objectNode();
        component.put("type", BODY);
        JsonNode text = lp.get("text");
        if (text != null && !text.isNull()) {
            if (!text.isTextual()) {
                throw new IllegalArgumentException("body.text is a string");
            }
            component.put("text", text.textValue());
        }
        ObjectNode example = JSON.objectNode();
        ArrayNode variables = strings(lp.get(VARIABLES), "body.variables");
        JsonNode otpCode = lp.get("otp_code");
        if (otpCode != null && !otpCode.isNull()) {
            if (!otpCode.isTextual()) {
                throw new IllegalArgumentException("body.otp_code is a string");
            }
            if (!variables.isEmpty()) {
                throw new IllegalArgumentException("body.otp_code and body.variables are both the body's example: give one");
            }
            variables.add(otpCode.textValue());
        }
        if (!variables.isEmpty()) {
            example.putArray("body_text").add(variables);
        }
        ObjectNode result = withUnmapped(lp, BODY_KEYS, example, "body", component);
        if (hasRecommendation) {
            if (!recommendation.isBoolean()) {
                throw new IllegalArgumentException("addSecurityRecommendation is a boolean");
            }
            agree(result, "add_security_recommendation", recommendation, "addSecurityRecommendation");
        }
        return result;
    }

    static ObjectNode footerToMeta(JsonNode text, JsonNode minutes) {
        boolean hasText = text != null && !text.isNull();
        boolean hasMinutes = minutes != null && !minutes.isNull();
        if (!hasText && !hasMinutes) {
            return null;
        }
        ObjectNode component = JSON.objectNode();
        component.put("type", FOOTER);
        if (hasText) {
            component.set("text", text.deepCopy());
        }
        if (hasMinutes) {
            component.set(CODE_EXPIRATION_MINUTES, minutes.deepCopy());
        }
        return component;
    }

    private static JsonNode minutes(JsonNode lp, JsonNode alias) {
        JsonNode minutes = lp.get(CODE_EXPIRATION_MINUTES);
        if (alias == null || alias.isNull()) {
            return minutes;
        }
        if (!alias.isNumber() || !alias.canConvertToExactIntegral() || !alias.canConvertToInt()) {
            throw new IllegalArgumentException("codeExpirationMinutes is a whole number of minutes");
        }
        // 10.0 and 10 are one value to a client but different nodes: Meta gets an integer.
        JsonNode whole = JSON.numberNode(alias.intValue());
        if (minutes != null && !minutes.isNull() && !minutes.equals(whole)) {
            throw new IllegalArgumentException("codeExpirationMinutes and code_expiration_minutes disagree");
        }
        return whole;
    }

    static ObjectNode buttonsToMeta(JsonNode buttons) {
        if (buttons == null || buttons.isNull() || buttons.isEmpty()) {
            return null;
        }
        if (!buttons.isArray()) {
            throw new IllegalArgumentException("buttons is an array");
        }
        ObjectNode component = JSON.objectNode();
        component.put("type", BUTTONS);
        ArrayNode meta = component.putArray("buttons");
        for (JsonNode button : buttons) {
            if (!button.isObject() || !button.path("type").isTextual()) {
                throw new IllegalArgumentException("each button is an object with a type");
            }
            ObjectNode copy = button.deepCopy();
            if ("URL".equals(button.get("type").textValue()) && button.has(VARIABLES)) {
                ArrayNode variables = strings(copy.remove(VARIABLES), "a URL button's variables");
                if (!variables.isEmpty()) {
                    if (copy.has(EXAMPLE)) {
                        throw new IllegalArgumentException("a URL button's variables and example are the same thing: give one");
                    }
                    copy.set(EXAMPLE, variables);
                }
            }
            meta.add(copy);
        }
        return component;
    }

    private static JsonNode buttons(JsonNode lp, JsonNode copyCode) {
        JsonNode buttons = lp.get("buttons");
        if (copyCode == null || copyCode.isNull() || (copyCode.isBoolean() && !copyCode.booleanValue())) {
            return buttons;
        }
        ObjectNode otp = JSON.objectNode();
        otp.put("type", "OTP");
        otp.put("otp_type", "COPY_CODE");
        if (copyCode.isTextual()) {
            otp.put("text", copyCode.textValue());
        } else if (!copyCode.isBoolean()) {
            throw new IllegalArgumentException("copyCodeButton is true or the button's text");
        }
        ArrayNode all = JSON.arrayNode();
        if (buttons != null && !buttons.isNull()) {
            if (!buttons.isArray()) {
                throw new IllegalArgumentException("buttons is an array");
            }
            all.addAll((ArrayNode) buttons.deepCopy());
        }
        return all.add(otp);
    }

    /** The reverse of {@link #keepUnmapped}: the form's extra keys onto the component, its example merged. */
    private static ObjectNode withUnmapped(JsonNode form, Set<String> formKeys, ObjectNode mappedExample, String where,
            ObjectNode component) {
        for (Map.Entry<String, JsonNode> field : form.properties()) {
            if (!formKeys.contains(field.getKey())) {
                if (component.has(field.getKey())) {
                    throw new IllegalArgumentException(where + "." + field.getKey() + " is set by the form itself");
                }
                component.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        JsonNode rest = form.get(EXAMPLE);
        if (rest != null && !rest.isNull()) {
            if (!rest.isObject()) {
                throw new IllegalArgumentException(where + ".example is an object");
            }
            for (Map.Entry<String, JsonNode> entry : rest.properties()) {
                if (mappedExample.has(entry.getKey())) {
                    throw new IllegalArgumentException(where + ".example." + entry.getKey() + " is also given as variables");
                }
                mappedExample.set(entry.getKey(), entry.getValue().deepCopy());
            }
        }
        if (!mappedExample.isEmpty() || (rest != null && !rest.isNull())) {
            component.set(EXAMPLE, mappedExample);
        }
        return component;
    }

    private static void agree(ObjectNode component, String field, JsonNode value, String alias) {
        JsonNode existing = component.get(field);
        if (existing != null && !existing.equals(value)) {
            throw new IllegalArgumentException(alias + " and " + field + " disagree");
        }
        component.set(field, value.deepCopy());
    }

    private static ArrayNode strings(JsonNode values, String where) {
        ArrayNode result = JSON.arrayNode();
        if (values == null || values.isNull()) {
            return result;
        }
        if (!values.isArray()) {
            throw new IllegalArgumentException(where + " is an array of strings");
        }
        for (JsonNode value : values) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException(where + " is an array of strings, not " + value.getNodeType() + " " + value);
            }
            result.add(value.textValue());
        }
        return result;
    }

    private static void onlyKeys(JsonNode object, String where, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!allowed.contains(field.getKey())) {
                throw new IllegalArgumentException(where + " has no field " + field.getKey());
            }
        }
    }
}
