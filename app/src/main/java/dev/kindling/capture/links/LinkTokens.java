package dev.kindling.capture.links;

import dev.kindling.platform.security.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs and verifies link tokens: {@code base64url(payload) "." base64url(signature)}, where the
 * payload is the link id, optionally followed by {@code ":"} and a prospect id, and the signature
 * is HMAC-SHA256 over the encoded payload, truncated to 128 bits (short enough for email links,
 * far beyond guessing). Verification compares in constant time.
 */
final class LinkTokens {

    static final int SIGNATURE_BYTES = 16;
    private static final Pattern PAYLOAD = Pattern.compile("([1-9][0-9]{0,17})(?::([1-9][0-9]{0,17}))?");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Supplier<byte[]> secret;

    /** @param secret the signing key, read when first needed (it may live in the database) */
    LinkTokens(Supplier<byte[]> secret) {
        this.secret = secret;
    }

    /** What a valid token says: the link, and the prospect it was personalised for (or null). */
    record Claims(long linkId, Long prospectId) {}

    String sign(long linkId, Long prospectId) {
        String payload = prospectId == null ? Long.toString(linkId) : linkId + ":" + prospectId;
        String encoded = ENCODER.encodeToString(payload.getBytes(StandardCharsets.US_ASCII));
        return encoded + "." + ENCODER.encodeToString(signature(encoded));
    }

    /** The claims of a token this instance signed, or empty for anything else (tampered, truncated, garbage). */
    Optional<Claims> verify(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String encoded = token.substring(0, dot);
        // compare the encoded forms: a decoder ignores unused trailing bits, so two spellings could decode alike
        byte[] expected = ENCODER.encodeToString(signature(encoded)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        byte[] payload;
        try {
            payload = DECODER.decode(encoded);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Matcher m = PAYLOAD.matcher(new String(payload, StandardCharsets.US_ASCII));
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(
                new Claims(Long.parseLong(m.group(1)), m.group(2) == null ? null : Long.parseLong(m.group(2))));
    }

    private byte[] signature(String encodedPayload) {
        return Arrays.copyOf(
                Hmac.sha256(secret.get(), encodedPayload.getBytes(StandardCharsets.US_ASCII)), SIGNATURE_BYTES);
    }
}
