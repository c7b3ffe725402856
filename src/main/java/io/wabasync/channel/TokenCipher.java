package io.wabasync.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.wabasync.common.WabasyncConfig;

/**
 * AES-256-GCM for Meta access tokens at rest. The key comes from configuration; a single node
 * without one gets a key generated once and kept beside its embedded data, with a warning, so that
 * a token is never stored in plain text.
 */
@Singleton
@Startup
public class TokenCipher {

    private static final Logger LOG = Logger.getLogger(TokenCipher.class);
    private static final byte VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    static final String KEY_FILE = "encryption.key";

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public TokenCipher(WabasyncConfig config) {
        this.key = new SecretKeySpec(loadKey(config), "AES");
    }

    public byte[] encrypt(String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(VERSION).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt an access token", e);
        }
    }

    public String decrypt(byte[] stored) {
        if (stored == null || stored.length < 1 + IV_BYTES + TAG_BITS / 8 || stored[0] != VERSION) {
            throw new IllegalStateException("Stored access token has an unknown format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, IV_BYTES));
            byte[] plain = cipher.doFinal(stored, 1 + IV_BYTES, stored.length - 1 - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Could not decrypt an access token: was the encryption key changed?", e);
        }
    }

    private static byte[] loadKey(WabasyncConfig config) {
        if (config.encryptionKey().filter(k -> !k.isBlank()).isPresent()) {
            return decodeKey(config.encryptionKey().get().strip(), "wabasync.encryption-key");
        }
        Path file = Path.of(config.dataDir(), KEY_FILE);
        try {
            if (Files.exists(file)) {
                return decodeKey(Files.readString(file).strip(), file.toString());
            }
            byte[] generated = new byte[32];
            new SecureRandom().nextBytes(generated);
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(generated) + "\n");
            restrictToOwner(file);
            LOG.warnf("No encryption key configured (WABASYNC_ENCRYPTION_KEY): generated one in %s. "
                    + "Back it up with the database; replicas must share one configured key.", file.toAbsolutePath());
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the encryption key file " + file, e);
        }
    }

    private static byte[] decodeKey(String base64, String origin) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The encryption key in " + origin + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("The encryption key in " + origin + " must be 32 bytes (base64 of 32 bytes)");
        }
        return bytes;
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debugf("Could not restrict permissions of %s: %s", file, e.getMessage());
        }
    }
}
