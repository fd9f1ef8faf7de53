package dev.kindling.salesforce;

import dev.kindling.platform.security.Hmac;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the connector's secrets (client secret, JWT signing key) for storage: AES-256-GCM, a random 12-byte nonce
 * per value, stored as {@code nonce ‖ ciphertext+tag}. The key is never in the database: it is derived from
 * {@code kindling.secret} when set, otherwise it is 32 random bytes in a file of the data directory readable by its
 * owner only, so a copy of the database alone does not reveal the secrets.
 */
final class SecretBox {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] key;

    SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a 256-bit key is needed");
        }
        this.key = key.clone();
    }

    /** The key derived from the configured secret, or the data directory's key file (created when missing). */
    static SecretBox of(String configuredSecret, Path dataDir) {
        if (configuredSecret != null && !configuredSecret.isBlank()) {
            return new SecretBox(Hmac.sha256(
                    configuredSecret.getBytes(StandardCharsets.UTF_8),
                    "kindling salesforce secrets".getBytes(StandardCharsets.US_ASCII)));
        }
        Path file = dataDir.resolve("salesforce.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Path temp = Files.createTempFile(dataDir, "salesforce", ".key");
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the directory's own permissions protect it
                }
                Files.write(temp, fresh);
                try {
                    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.deleteIfExists(temp); // another instance wrote it first
                }
            }
            return new SecretBox(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file.getFileName(), e);
        }
    }

    byte[] seal(String plain) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plain text; {@link IllegalStateException} when the value was sealed under another key or altered. */
    String open(byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(128, Arrays.copyOfRange(sealed, 0, 12)));
            return new String(cipher.doFinal(sealed, 12, sealed.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored Salesforce secret cannot be decrypted with this key"
                    + " (was kindling.secret or the data directory's salesforce.key changed?)");
        }
    }
}
