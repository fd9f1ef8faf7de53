package dev.kindling.email;

import dev.kindling.platform.database.AppSettings;
import dev.kindling.platform.security.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Signs the tokens in email URLs: {@code base64url(payload) "." base64url(signature)} like tracked links
 * (docs/capture.md), with payloads {@code o:<message>} (open pixel), {@code c:<message>:<link index>} (a tracked
 * link) and {@code u:<message>} (unsubscribe), so a token for one purpose never works for another. The key is
 * derived from the same secret as tracked links ({@code kindling.secret}, else the generated one in
 * {@code app_setting}), so rotating that secret invalidates email links too.
 */
@Component
class EmailTokens {

    private static final String SECRET_SETTING = "capture.link-secret";
    private static final Pattern PAYLOAD = Pattern.compile("([ocu]):([1-9][0-9]{0,17})(?::([0-9]{1,4}))?");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final AppSettings settings;
    private final String configured;
    private volatile byte[] key;

    EmailTokens(AppSettings settings, @Value("${kindling.secret:}") String configured) {
        this.settings = settings;
        this.configured = configured;
    }

    /** What a valid token says. {@code link} is the index of a tracked link (for kind 'c'), else -1. */
    record Claims(char kind, long messageId, int link) {}

    String open(long messageId) {
        return sign("o:" + messageId);
    }

    String click(long messageId, int link) {
        return sign("c:" + messageId + ":" + link);
    }

    String unsubscribe(long messageId) {
        return sign("u:" + messageId);
    }

    Optional<Claims> verify(String token, char kind) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String encoded = token.substring(0, dot);
        byte[] expected = ENCODER.encodeToString(signature(encoded)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        String payload;
        try {
            payload = new String(DECODER.decode(encoded), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Matcher m = PAYLOAD.matcher(payload);
        if (!m.matches() || m.group(1).charAt(0) != kind || (kind == 'c') != (m.group(3) != null)) {
            return Optional.empty();
        }
        return Optional.of(
                new Claims(kind, Long.parseLong(m.group(2)), m.group(3) == null ? -1 : Integer.parseInt(m.group(3))));
    }

    private String sign(String payload) {
        String encoded = ENCODER.encodeToString(payload.getBytes(StandardCharsets.US_ASCII));
        return encoded + "." + ENCODER.encodeToString(signature(encoded));
    }

    private byte[] signature(String encodedPayload) {
        return Arrays.copyOf(hmac(key(), encodedPayload), 16);
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    // a key of its own, derived from the shared secret: email tokens and link tokens never verify as
                    // each other
                    key = hmac(secret(), "kindling-email-tokens");
                }
                k = key;
            }
        }
        return k;
    }

    private byte[] secret() {
        if (configured != null && !configured.isBlank()) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        return settings.generatedSecret(SECRET_SETTING);
    }

    private static byte[] hmac(byte[] key, String data) {
        return Hmac.sha256(key, data.getBytes(StandardCharsets.US_ASCII));
    }
}
