package dev.kindling.platform.outbound;

import dev.kindling.platform.security.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Webhook signatures as the Standard Webhooks specification (standardwebhooks.com) defines them, for the calls Kindling
 * makes and the ones it receives (the bounce webhook). Headers {@code webhook-id}, {@code webhook-timestamp} (Unix
 * seconds) and {@code webhook-signature}: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body} under the
 * secret, which is {@code whsec_} and base64 key bytes. Several signatures (during a key rotation) are separated by
 * spaces; a receiver accepts the call when any one verifies, so existing verifier libraries work unchanged.
 */
public final class StandardWebhooks {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    /** How far a received timestamp may be from now (the specification's suggestion): older calls are replays. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private StandardWebhooks() {}

    /** A new random secret: {@code whsec_} and the base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The key bytes of a secret ({@code whsec_} optional, then base64). Refuses ({@link IllegalArgumentException}) a
     * secret that is not base64.
     */
    public static byte[] key(String secret) {
        String s = secret.strip();
        return Base64.getDecoder().decode(s.startsWith(PREFIX) ? s.substring(PREFIX.length()) : s);
    }

    /** The {@code webhook-signature} value: one {@code v1,<base64>} per secret, space-separated. */
    public static String signature(Collection<String> secrets, String id, long timestamp, byte[] body) {
        return secrets.stream()
                .map(s -> "v1," + Base64.getEncoder().encodeToString(mac(key(s), id, timestamp, body)))
                .collect(Collectors.joining(" "));
    }

    /**
     * Whether a received call is authentic and fresh: the timestamp is a number within {@link #TOLERANCE} of
     * {@code now} and one of the {@code v1} signatures matches (compared in constant time).
     */
    public static boolean verify(byte[] key, String id, String timestamp, String signatures, byte[] body, Instant now) {
        if (id == null || timestamp == null || signatures == null || id.isBlank() || !timestamp.matches("\\d{1,12}")) {
            return false;
        }
        long seconds = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected = Base64.getEncoder().encode(mac(key, id, seconds, body));
        boolean valid = false;
        for (String candidate : signatures.strip().split("\\s+")) {
            if (candidate.startsWith("v1,")) {
                valid |= MessageDigest.isEqual(expected, candidate.substring(3).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return valid;
    }

    private static byte[] mac(byte[] key, String id, long timestamp, byte[] body) {
        byte[] head = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + body.length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(body, 0, message, head.length, body.length);
        return Hmac.sha256(key, message);
    }
}
