package io.wabasync.template.lancepilot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Template components both ways between Meta's form (the array the Graph API returns and the create
 * API takes, which the service stores as it came) and LancePilot's form (an object
 * {@code {header, body, footer, buttons}}).
 *
 * <h2>LancePilot's documented form</h2>
 * <ul>
 * <li>{@code header}: {@code null}; {@code {"type": "text", "text": {"content", "variables"}}} for a
 * TEXT header ({@code variables} from {@code example.header_text}); or
 * {@code {"type": "media", "media": {"type": "image"|"video"|"document", "handle"}}} for a media
 * header ({@code handle} from the single entry of {@code example.header_handle}, {@code null} when
 * Meta sent none).</li>
 * <li>{@code body}: {@code {"text", "variables"}}, {@code variables} from the single row of
 * {@code example.body_text}; {@code text} is {@code null} when Meta sent none (authentication
 * templates as created).</li>
 * <li>{@code footer}: the FOOTER's text, or {@code null}.</li>
 * <li>{@code buttons}: Meta's buttons as they are, except that a URL button's {@code example} (the
 * example values of the {@code {{1}}} in its url), when it is a list of strings, is called
 * {@code variables}.</li>
 * </ul>
 * {@link #fromMeta} always writes {@code header}, {@code body}, {@code footer} and {@code buttons},
 * and {@code variables} on a text header and a body, even when empty.
 *
 * <h2>Extension keys</h2>
 * LancePilot's form cannot say everything Meta can, and nothing Meta sent may be lost (the form is
 * shown to clients who send it back on update), so {@link #fromMeta} adds snake_case keys, named
 * after Meta's own fields wherever there is one:
 * <ul>
 * <li>{@code header.type = "location"}: a LOCATION header (no documented LancePilot value).</li>
 * <li>{@code header.<field>}, {@code body.<field>}: any field of Meta's HEADER or BODY this form does
 * not map, under Meta's name; for instance {@code body.add_security_recommendation} of an
 * authentication template.</li>
 * <li>{@code header.example}, {@code body.example}: what is left of Meta's {@code example} once the
 * mapped entries are taken out, under Meta's names; for instance
 * {@code body.example.body_text_named_params} and {@code header.example.header_text_named_params}
 * of a template with named parameters, or an {@code example.body_text} that is not one row of
 * strings.</li>
 * <li>{@code code_expiration_minutes} (top level): the FOOTER's {@code code_expiration_minutes} of
 * an authentication template; top level because {@code footer} is documented as a string.</li>
 * <li>buttons other than the documented URL, PHONE_NUMBER and QUICK_REPLY (OTP with its
 * {@code otp_type}, {@code autofill_text}, {@code package_name}, {@code signature_hash},
 * {@code supported_apps}, ...; COPY_CODE, CATALOG, MPM, FLOW, anything newer) are kept with all
 * their Meta fields and their Meta {@code type}.</li>
 * <li>{@code other_components} (top level): Meta components kept verbatim because this form has no
 * place for them: other types (CAROUSEL, LIMITED_TIME_OFFER, a type spelt in lowercase, ...),
 * entries that are not objects with a string {@code type}, a second component of a type already
 * placed, and any HEADER, BODY, FOOTER or BUTTONS that the mapping above would not give back exactly
 * (say a FOOTER with a field other than {@code text} and {@code code_expiration_minutes}, or an
 * empty {@code buttons} list). Each one is tried by converting it back, so this holds by
 * construction rather than by a list of cases.</li>
 * <li>{@code component_order} (top level): the {@code type} of each Meta component in Meta's order
 * ({@code null} for a component without a string type), written only when that order is not
 * HEADER, BODY, FOOTER, BUTTONS followed by {@code other_components}.</li>
 * </ul>
 * So {@code toMeta(fromMeta(c))} equals {@code c} for every array {@code c}, and {@link #fromMeta}
 * refuses nothing inside the array.
 *
 * <h2>LancePilot's create fields</h2>
 * {@link #toMeta} also takes the shapes of LancePilot's create and update body, so that body can be
 * handed over whole (keys that are not components, like {@code name}, are ignored):
 * <ul>
 * <li>{@code header.media.file} is refused: Meta needs a handle, so the file has to be uploaded
 * first.</li>
 * <li>{@code body.otp_code}: the example value of an authentication body's code, sent as
 * {@code example.body_text} (it comes back from {@link #fromMeta} as {@code body.variables}).</li>
 * <li>{@code addSecurityRecommendation} (boolean): BODY's {@code add_security_recommendation}.</li>
 * <li>{@code codeExpirationMinutes} (integer): FOOTER's {@code code_expiration_minutes}.</li>
 * <li>{@code copyCodeButton}: {@code true} or the button's text; adds an OTP button with
 * {@code otp_type} COPY_CODE.</li>
 * <li>{@code unsubscribeButton} set to {@code true} adds the quick reply "Stop promotions", Meta's
 * marketing opt-out (which categories may have it is the rules' work); {@code blockButton} has no Meta
 * form and is ignored.</li>
 * </ul>
 * A camelCase field and its snake_case counterpart may both be given only when they agree. Nothing
 * else is validated here (lengths, ranges, which category allows what): that is the endpoint's work.
 * Malformed input raises {@link IllegalArgumentException}.
 */
public final class LancePilotComponents {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static final String HEADER = "HEADER";
    private static final String BODY = "BODY";
    private static final String FOOTER = "FOOTER";
    private static final String BUTTONS = "BUTTONS";

    private static final String CODE_EXPIRATION_MINUTES = "code_expiration_minutes";
    private static final String OTHER_COMPONENTS = "other_components";
    private static final String COMPONENT_ORDER = "component_order";
    private static final String EXAMPLE = "example";
    private static final String VARIABLES = "variables";

    /** Keys of the form's header and body with a meaning of their own: Meta fields of the same names cannot be kept there. */
    private static final Set<String> HEADER_KEYS = Set.of("type", "text", "media", EXAMPLE);
    private static final Set<String> BODY_KEYS = Set.of("text", VARIABLES, EXAMPLE, "otp_code");

    private LancePilotComponents() {
    }

    /**
     * Meta's components array (or {@code null}, missing, JSON null) as LancePilot's object.
     *
     * @throws IllegalArgumentException when {@code metaComponents} is something other than an array
     */
    public static ObjectNode fromMeta(JsonNode metaComponents) {
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
        if (!inOrder(lp, false).equals(metaComponents)) {
            ArrayNode order = lp.putArray(COMPONENT_ORDER);
            metaComponents.forEach(component -> order.add(typeKey(component)));
        }
        return lp;
    }

    /**
     * LancePilot's object (or a whole create/update body) as the components array Meta's create and
     * edit APIs take; {@code null}, missing or JSON null give an empty array.
     *
     * @throws IllegalArgumentException when the object is not in the form described on this class
     */
    public static ArrayNode toMeta(JsonNode lancePilotComponents) {
        if (lancePilotComponents == null || lancePilotComponents.isMissingNode() || lancePilotComponents.isNull()) {
            return JSON.arrayNode();
        }
        if (!lancePilotComponents.isObject()) {
            throw new IllegalArgumentException("LancePilot's components are an object, not " + lancePilotComponents.getNodeType());
        }
        return inOrder(withOptOut(lancePilotComponents), true);
    }

    /** Puts a Meta component in its slot when the slot's form gives it back exactly. */
    private static boolean place(ObjectNode lp, String type, JsonNode component) {
        switch (type) {
            case HEADER: {
                ObjectNode header = headerFromMeta(component);
                if (header != null && component.equals(headerToMeta(header))) {
                    lp.set("header", header);
                    return true;
                }
                return false;
            }
            case BODY: {
                ObjectNode body = bodyFromMeta(component);
                if (body != null && component.equals(bodyToMeta(body, null))) {
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
                if (component.equals(footerToMeta(text, minutes))) {
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
                if (buttons != null && component.equals(buttonsToMeta(buttons))) {
                    lp.set("buttons", buttons);
                    return true;
                }
                return false;
            }
            default:
                return false;
        }
    }

    /**
     * The Meta array of a LancePilot object: HEADER, BODY, FOOTER, BUTTONS, then other_components,
     * rearranged by component_order when there is one.
     */
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

    private static ArrayNode inOrder(JsonNode lp, boolean withCreateFields) {
        List<JsonNode> pool = new ArrayList<>();
        JsonNode header = headerToMeta(lp.get("header"));
        if (header != null) {
            pool.add(header);
        }
        JsonNode body = bodyToMeta(lp.get("body"), withCreateFields ? lp : null);
        if (body != null) {
            pool.add(body);
        }
        JsonNode footerText = lp.get("footer");
        if (footerText != null && !footerText.isNull() && !footerText.isTextual()) {
            throw new IllegalArgumentException("footer is a string or null, not " + footerText.getNodeType());
        }
        JsonNode footer = footerToMeta(footerText, minutes(lp, withCreateFields));
        if (footer != null) {
            pool.add(footer);
        }
        JsonNode buttons = buttonsToMeta(buttons(lp, withCreateFields));
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

    private static JsonNode typeKey(JsonNode component) {
        JsonNode type = component.path("type");
        return type.isTextual() ? type.deepCopy() : NullNode.instance;
    }

    // ---- HEADER ----

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

    private static ObjectNode headerToMeta(JsonNode header) {
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

    // ---- BODY ----

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

    /** The BODY of a LancePilot body; {@code createFields} (or null) adds the top-level create aliases. */
    private static ObjectNode bodyToMeta(JsonNode body, JsonNode createFields) {
        JsonNode recommendation = createFields == null ? null : createFields.get("addSecurityRecommendation");
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

    // ---- FOOTER ----

    private static ObjectNode footerToMeta(JsonNode text, JsonNode minutes) {
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

    private static JsonNode minutes(JsonNode lp, boolean withCreateFields) {
        JsonNode minutes = lp.get(CODE_EXPIRATION_MINUTES);
        JsonNode alias = withCreateFields ? lp.get("codeExpirationMinutes") : null;
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

    // ---- BUTTONS ----

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

    private static ObjectNode buttonsToMeta(JsonNode buttons) {
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

    private static JsonNode buttons(JsonNode lp, boolean withCreateFields) {
        JsonNode buttons = lp.get("buttons");
        JsonNode copyCode = withCreateFields ? lp.get("copyCodeButton") : null;
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

    // ---- shared ----

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
