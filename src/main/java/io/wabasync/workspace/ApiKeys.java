package io.wabasync.workspace;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import io.wabasync.common.Secrets;

/**
 * Key material: generation and the one-way form we store.
 *
 * <p>The random source belongs to this bean, created when the service first makes a key, never to a
 * static field: Quarkus initialises classes while building a native image, and a {@link SecureRandom}
 * made then would be frozen into the binary with its seed (native-image refuses it outright).
 */
@ApplicationScoped
class ApiKeys {

    private static final String PREFIX = "wsk_";

    private final SecureRandom random = new SecureRandom();

    String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String key) {
        return Secrets.sha256Hex(key.getBytes(StandardCharsets.UTF_8));
    }

    static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), PREFIX.length() + 6));
    }
}
