package io.wabasync.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Meta's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the raw body. */
final class WebhookSignature {

    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    static boolean matches(String header, byte[] body, String appSecret) {
        if (header == null || !header.strip().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(header.strip().substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Constant time: how much of a forged signature matched must not show in the answer's timing.
        return MessageDigest.isEqual(sign(body, appSecret), claimed);
    }

    static byte[] sign(byte[] body, String appSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
