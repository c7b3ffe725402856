package io.wabasync.testing;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.response.ValidatableResponse;

/**
 * Meta's webhook deliveries, in the shapes of the samples Meta documents (and the ones seen in the
 * wild): built here, signed like Meta signs them, and posted to the service.
 */
public final class MetaWebhooks {

    /** The app secret of the test profile (and of the replicas the ITs start). */
    public static final String APP_SECRET = "test-app-secret";
    public static final String VERIFY_TOKEN = "test-verify-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetaWebhooks() {
    }

    /** {@code message_template_status_update}, as in Meta's APPROVED example; the id is a number. */
    public static ObjectNode statusChange(String templateId, String name, String language, String event,
            String reason) {
        ObjectNode value = JSON.createObjectNode().put("event", event);
        value.setAll(about(templateId, name, language));
        if (reason == null) {
            value.putNull("reason");
        } else {
            value.put("reason", reason);
        }
        return change("message_template_status_update", value);
    }

    /** Meta's quality example, labelled (wrongly, as Meta's own sample is) a status update. */
    public static ObjectNode qualityChange(String templateId, String name, String language, String previous,
            String next) {
        ObjectNode value = JSON.createObjectNode().put("previous_quality_score", previous).put("new_quality_score", next);
        value.setAll(about(templateId, name, language));
        return change("message_template_status_update", value);
    }

    /** {@code template_category_update} once done: previous and new category. */
    public static ObjectNode categoryChanged(String templateId, String name, String language, String previous,
            String next) {
        ObjectNode value = about(templateId, name, language);
        value.put("previous_category", previous);
        value.put("new_category", next);
        return change("template_category_update", value);
    }

    /** {@code template_category_update} announcing a change in 24 h: new_category is still the current one. */
    public static ObjectNode categoryImpending(String templateId, String name, String language, String current,
            String correct, long at) {
        ObjectNode value = about(templateId, name, language);
        value.put("new_category", current);
        value.put("correct_category", correct);
        value.put("category_update_timestamp", at);
        return change("template_category_update", value);
    }

    /**
     * {@code message_template_components_update}, as Meta documents it: the edited body
     * ({@code message_template_element}), and a header title, footer and buttons when given.
     */
    public static ObjectNode componentsChange(String templateId, String name, String language, String body,
            String title, String footer, String urlButtonText, String url) {
        ObjectNode value = about(templateId, name, language);
        value.put("message_template_element", body);
        if (title != null) {
            value.put("message_template_title", title);
        }
        if (footer != null) {
            value.put("message_template_footer", footer);
        }
        if (urlButtonText != null) {
            value.putArray("message_template_buttons").addObject().put("message_template_button_type", "URL")
                    .put("message_template_button_text", urlButtonText).put("message_template_button_url", url);
        }
        return change("message_template_components_update", value);
    }

    /** The template a change is about: Meta's id as a number, its name and language. */
    private static ObjectNode about(String templateId, String name, String language) {
        return JSON.createObjectNode().put("message_template_id", Long.parseLong(templateId))
                .put("message_template_name", name).put("message_template_language", language);
    }

    private static ObjectNode change(String field, ObjectNode value) {
        ObjectNode change = JSON.createObjectNode();
        change.set("value", value);
        change.put("field", field);
        return change;
    }

    /** One entry (one WABA, one time) holding the changes, in a delivery. */
    public static String delivery(String wabaId, Instant time, List<ObjectNode> changes) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode entry = root.putArray("entry").addObject();
        entry.put("id", wabaId);
        entry.put("time", time.getEpochSecond());
        changes.forEach(entry.withArray("changes")::add);
        root.put("object", "whatsapp_business_account");
        return root.toString();
    }

    public static String delivery(String wabaId, Instant time, ObjectNode change) {
        return delivery(wabaId, time, List.of(change));
    }

    public static String signature(String body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts the body signed with the test app secret, to the app under test or {@code baseUri}. */
    public static ValidatableResponse post(String body) {
        return given().contentType("application/json").header("X-Hub-Signature-256", signature(body, APP_SECRET))
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/webhooks/meta").then();
    }

    public static ValidatableResponse post(String baseUri, String body) {
        return given().baseUri(baseUri).contentType("application/json")
                .header("X-Hub-Signature-256", signature(body, APP_SECRET))
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/webhooks/meta").then();
    }
}
