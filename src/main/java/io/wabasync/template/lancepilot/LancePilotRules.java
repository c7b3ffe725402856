package io.wabasync.template.lancepilot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Meta and LancePilot document as the rules of a template, checked on LancePilot's create body
 * before Meta is called: every failing field is named, with each of its problems, so a client fixes
 * them all at once. Meta would refuse the same template later, one problem at a time and after a
 * round trip; some (a gap in the placeholders) it only refuses at review.
 */
final class LancePilotRules {

    static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,512}");
    /** Meta's language codes: {@code en}, {@code en_US}, {@code pt_BR}, {@code zh_CN}, {@code es_MX}... */
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
    private static final Pattern PHONE = Pattern.compile("\\+?[1-9][0-9]{6,19}");
    /** Emoji and pictographs (Java 17 has no Character.isEmoji). */
    private static final Pattern EMOJI = Pattern.compile(
            "[\\x{1F000}-\\x{1FAFF}\\x{2600}-\\x{27BF}\\x{2B00}-\\x{2BFF}\\x{FE0F}\\x{1F1E6}-\\x{1F1FF}]");
    private static final Set<String> MEDIA = Set.of("image", "video", "document");
    private static final Set<String> BUTTONS = Set.of("URL", "PHONE_NUMBER", "QUICK_REPLY");
    private static final int HEADER_TEXT_MAX = 60;
    private static final int BODY_MAX = 1024;
    private static final int FOOTER_MAX = 60;
    private static final int BUTTON_TEXT_MAX = 25;
    private static final int URL_MAX = 2000;
    private static final int MAX_BUTTONS = 3;

    private final Map<String, List<String>> errors = new LinkedHashMap<>();
    /** The media file came with the request (multipart) rather than as a handle or URL in the body. */
    private final boolean fileAttached;

    private LancePilotRules(boolean fileAttached) {
        this.fileAttached = fileAttached;
    }

    /** Field → its problems, in the body's terms ({@code body.text}, {@code buttons.1.url}); empty when valid. */
    static Map<String, List<String>> check(JsonNode body) {
        return check(body, false);
    }

    static Map<String, List<String>> check(JsonNode body, boolean fileAttached) {
        LancePilotRules rules = new LancePilotRules(fileAttached);
        rules.checkAll(body);
        if (fileAttached && body != null && body.isObject() && !"media".equals(text(body.path("header"), "type"))) {
            rules.fail("file", "is only for a media header (header.type media)");
        }
        return rules.errors;
    }

    private void checkAll(JsonNode body) {
        if (body == null || !body.isObject()) {
            fail("body", "must be a JSON object");
            return;
        }
        String name = text(body, "name");
        if (name == null) {
            fail("name", "is required");
        } else if (!NAME.matcher(name).matches()) {
            fail("name", "may hold only lowercase letters, digits and underscores, at most 512");
        }
        String language = text(body, "language");
        if (language == null) {
            fail("language", "is required");
        } else if (!LANGUAGE.matcher(language).matches()) {
            fail("language", "must be a language code such as en, en_US or pt_BR");
        }
        String category = text(body, "category");
        if (category == null) {
            fail("category", "is required");
        } else if (!CATEGORIES.contains(category.toUpperCase(Locale.ROOT))) {
            fail("category", "must be MARKETING, UTILITY or AUTHENTICATION");
        }
        boolean authentication = "AUTHENTICATION".equalsIgnoreCase(category);
        boolean marketing = "MARKETING".equalsIgnoreCase(category);
        header(body.get("header"));
        body(body.get("body"), authentication);
        footer(body.get("footer"));
        buttons(body.get("buttons"));
        onlyFor(body, "unsubscribeButton", marketing, "MARKETING");
        onlyFor(body, "blockButton", marketing, "MARKETING");
        if (isTrue(body.get("blockButton"))) {
            fail("blockButton", "is not part of Meta's template API: WhatsApp shows its own block option");
        }
        onlyFor(body, "addSecurityRecommendation", authentication, "AUTHENTICATION");
        onlyFor(body, "copyCodeButton", authentication, "AUTHENTICATION");
        onlyFor(body, "codeExpirationMinutes", authentication, "AUTHENTICATION");
        JsonNode minutes = body.get("codeExpirationMinutes");
        if (minutes != null && !minutes.isNull() && (!minutes.canConvertToInt() || !minutes.isIntegralNumber()
                || minutes.asInt() < 1 || minutes.asInt() > 1440)) {
            fail("codeExpirationMinutes", "must be a whole number of minutes from 1 to 1440");
        }
        JsonNode phone = body.get("phone_number");
        if (phone != null && !phone.isNull() && !phone.isTextual()) {
            fail("phone_number", "must be a string");
        }
    }

    private void header(JsonNode header) {
        if (header == null || header.isNull()) {
            return;
        }
        if (!header.isObject()) {
            fail("header", "must be null or an object");
            return;
        }
        String type = text(header, "type");
        if ("text".equals(type)) {
            JsonNode text = header.get("text");
            String content = text == null ? null : text(text, "content");
            if (content == null) {
                fail("header.text.content", "is required for a text header");
                return;
            }
            length("header.text.content", content, HEADER_TEXT_MAX);
            placeholders("header.text.content", "header.text.variables", content, text.get("variables"), 1);
        } else if ("media".equals(type)) {
            JsonNode media = header.get("media");
            String kind = media == null ? null : text(media, "type");
            if (kind == null || !MEDIA.contains(kind)) {
                fail("header.media.type", "must be image, video or document");
            }
            boolean handle = media != null && text(media, "handle") != null;
            JsonNode file = media == null ? null : media.get("file");
            boolean fileGiven = file != null && !file.isNull();
            if (fileAttached) {
                if (handle || fileGiven) {
                    fail("header.media", "the file came with the request: give no handle or file URL beside it");
                }
            } else if (handle == fileGiven) {
                fail("header.media", "give either a handle (from Meta's upload API) or a file (a URL, or the file itself "
                        + "in a multipart request)");
            } else if (fileGiven && !(file.isTextual() && file.asText().matches("https?://\\S{1,2000}"))) {
                fail("header.media.file", "must be an http or https URL, or send the file itself in a multipart request");
            }
        } else {
            fail("header.type", "must be text or media");
        }
    }

    private void body(JsonNode body, boolean authentication) {
        if (body == null || body.isNull()) {
            if (!authentication) {
                fail("body.text", "is required");
            }
            return;
        }
        if (!body.isObject()) {
            fail("body", "must be an object with text and variables");
            return;
        }
        String text = text(body, "text");
        if (text == null && !authentication) {
            fail("body.text", "is required");
        }
        if (text != null) {
            length("body.text", text, BODY_MAX);
            placeholders("body.text", "body.variables", text, body.get("variables"), Integer.MAX_VALUE);
        }
        JsonNode otp = body.get("otp_code");
        if (otp != null && !otp.isNull()) {
            if (!authentication) {
                fail("body.otp_code", "is only for AUTHENTICATION templates");
            } else if (!otp.isTextual() || otp.asText().length() > 15) {
                fail("body.otp_code", "must be text of at most 15 characters");
            }
        }
    }

    private void footer(JsonNode footer) {
        if (footer == null || footer.isNull()) {
            return;
        }
        if (!footer.isTextual()) {
            fail("footer", "must be text");
            return;
        }
        length("footer", footer.asText(), FOOTER_MAX);
        if (EMOJI.matcher(footer.asText()).find()) {
            fail("footer", "may not contain emoji");
        }
        if (PLACEHOLDER.matcher(footer.asText()).find()) {
            fail("footer", "may not contain placeholders");
        }
    }

    private void buttons(JsonNode buttons) {
        if (buttons == null || buttons.isNull()) {
            return;
        }
        if (!buttons.isArray()) {
            fail("buttons", "must be a list");
            return;
        }
        if (buttons.size() > MAX_BUTTONS) {
            fail("buttons", "at most " + MAX_BUTTONS + " buttons");
        }
        for (int i = 0; i < buttons.size(); i++) {
            JsonNode button = buttons.get(i);
            String field = "buttons." + i;
            String type = button.isObject() ? text(button, "type") : null;
            if (type == null || !BUTTONS.contains(type)) {
                fail(field + ".type", "must be URL, PHONE_NUMBER or QUICK_REPLY");
                continue;
            }
            String label = text(button, "text");
            if (label == null) {
                fail(field + ".text", "is required");
            } else {
                length(field + ".text", label, BUTTON_TEXT_MAX);
            }
            if ("URL".equals(type)) {
                String url = text(button, "url");
                if (url == null || !url.matches("https?://\\S+")) {
                    fail(field + ".url", "must be an http or https address");
                } else {
                    length(field + ".url", url, URL_MAX);
                    placeholders(field + ".url", field + ".variables", url, button.get("variables"), 1);
                }
            } else if ("PHONE_NUMBER".equals(type)) {
                String phone = text(button, "phone_number");
                if (phone == null || !PHONE.matcher(phone).matches()) {
                    fail(field + ".phone_number", "must be a phone number with its country code");
                }
            }
        }
    }

    /**
     * Placeholders are {@code {{1}}}, {@code {{2}}}... numbered from 1 without gaps (each may repeat),
     * at most {@code max} of them, and each has an example value in {@code variables}.
     */
    private void placeholders(String textField, String variablesField, String text, JsonNode variables, int max) {
        Matcher m = PLACEHOLDER.matcher(text);
        TreeSet<Integer> numbers = new TreeSet<>();
        while (m.find()) {
            String inside = m.group(1);
            if (!inside.matches("[1-9][0-9]{0,2}")) {
                fail(textField, "placeholders are numbered: {{1}}, {{2}}..., not {{" + inside + "}}");
                return;
            }
            numbers.add(Integer.parseInt(inside));
        }
        if (!numbers.isEmpty() && (numbers.first() != 1 || numbers.last() != numbers.size())) {
            fail(textField, "placeholders must be numbered from {{1}} without gaps");
            return;
        }
        if (numbers.size() > max) {
            fail(textField, "at most " + max + " placeholder" + (max == 1 ? "" : "s"));
        }
        List<String> examples = new ArrayList<>();
        if (variables != null && variables.isArray()) {
            variables.forEach(v -> examples.add(v.isValueNode() ? v.asText() : ""));
        } else if (variables != null && !variables.isNull()) {
            fail(variablesField, "must be a list of example values");
            return;
        }
        if (examples.size() != numbers.size()) {
            fail(variablesField, "needs one example value per placeholder: " + numbers.size()
                    + (numbers.size() == 1 ? " value" : " values") + ", got " + examples.size());
        } else if (examples.stream().anyMatch(String::isBlank)) {
            fail(variablesField, "example values may not be empty");
        }
    }

    private void onlyFor(JsonNode body, String field, boolean allowed, String category) {
        JsonNode value = body.get(field);
        if (!allowed && value != null && !value.isNull() && !(value.isBoolean() && !value.asBoolean())) {
            fail(field, "is only for " + category + " templates");
        }
    }

    private void length(String field, String value, int max) {
        if (value.length() > max) {
            fail(field, "at most " + max + " characters (" + value.length() + " given)");
        }
    }

    private void fail(String field, String problem) {
        errors.computeIfAbsent(field, f -> new ArrayList<>()).add(problem);
    }

    private static boolean isTrue(JsonNode node) {
        return node != null && node.isBoolean() && node.asBoolean();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
