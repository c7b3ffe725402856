package io.wabasync.workspace;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import io.wabasync.common.Secrets;

/** Key material: generation and the one-way form we store. */
final class ApiKeys {

    private static final String PREFIX = "wsk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String key) {
        return Secrets.sha256Hex(key.getBytes(StandardCharsets.UTF_8));
    }

    static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), PREFIX.length() + 6));
    }
}
