package io.wabasync.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.wabasync.common.ApiException;
import io.wabasync.common.ApiMessage;
import io.wabasync.common.Secrets;

/**
 * Meta's side of the webhook: the subscription handshake, and deliveries, which are proven to come
 * from Meta, checked to be JSON, and stored before they are answered. Applying them comes after.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);
    private static final int MAX_CHALLENGE = 1024;

    private final WebhookConfig config;
    private final WebhookInbox inbox;
    private final WebhookProcessor processor;
    private final WebhookMetrics metrics;
    private final ObjectReader strictJson;

    WebhookIntake(WebhookConfig config, WebhookInbox inbox, WebhookProcessor processor, WebhookMetrics metrics,
            ObjectMapper json) {
        this.config = config;
        this.inbox = inbox;
        this.processor = processor;
        this.metrics = metrics;
        // A body with anything after its JSON document is malformed, not half-read.
        this.strictJson = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The challenge to echo when Meta's subscription request carries our verify token. */
    public String handshake(String mode, String verifyToken, String challenge) {
        Optional<String> expected = config.verifyToken().filter(token -> !token.isBlank());
        if (expected.isEmpty()) {
            LOG.warn("Refused a webhook handshake: WABASYNC_WEBHOOK_VERIFY_TOKEN is not set");
        }
        boolean ok = "subscribe".equals(mode) && Secrets.matches(expected.orElse(null), verifyToken)
                && challenge != null && !challenge.isEmpty() && challenge.length() <= MAX_CHALLENGE;
        if (!ok) {
            throw new ApiException(403, "Webhook verification failed");
        }
        return challenge;
    }

    /** Verifies, stores and acknowledges one delivery; it is applied right after, or retried later. */
    public Uni<ApiMessage> receive(String signature, byte[] body) {
        Optional<String> secret = config.appSecret().filter(s -> !s.isBlank());
        if (secret.isEmpty()) {
            metrics.delivery("not_configured");
            LOG.warn("Refused a webhook delivery: WABASYNC_WEBHOOK_APP_SECRET is not set");
            throw new ApiException(403, "Webhook deliveries are not accepted: no app secret is configured");
        }
        if (signature == null || signature.isBlank()) {
            metrics.delivery("missing_signature");
            throw new ApiException(401, "Missing X-Hub-Signature-256");
        }
        if (!WebhookSignature.matches(signature, body, secret.get())) {
            metrics.delivery("bad_signature");
            throw new ApiException(403, "X-Hub-Signature-256 does not match the body");
        }
        JsonNode delivery = parse(body);
        int changes = TemplateUpdate.count(delivery);
        return inbox.store(Secrets.sha256Hex(body), new String(body, StandardCharsets.UTF_8), changes)
                .map(id -> {
                    if (id == null) {
                        metrics.delivery("duplicate");
                        return new ApiMessage(true, "Already received");
                    }
                    metrics.delivery("accepted");
                    processor.applySoon(id);
                    return new ApiMessage(true, "Received " + changes + " change(s)");
                });
    }

    private JsonNode parse(byte[] body) {
        JsonNode delivery;
        try {
            delivery = strictJson.readTree(body);
        } catch (IOException e) {
            metrics.delivery("malformed");
            String reason = e instanceof JsonProcessingException parsing && parsing.getOriginalMessage() != null
                    ? parsing.getOriginalMessage() : "not JSON";
            throw new ApiException(400, "Malformed JSON: " + firstLine(reason));
        }
        if (delivery == null || !delivery.isObject()
                || (delivery.has("entry") && !delivery.get("entry").isArray())) {
            metrics.delivery("malformed");
            throw new ApiException(400, "A webhook delivery is a JSON object with an \"entry\" array");
        }
        return delivery;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
