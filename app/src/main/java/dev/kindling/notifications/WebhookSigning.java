package dev.kindling.notifications;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Webhook secrets and signatures. A subscription has its own secret (shown once, when created); calls of the rule
 * action {@code callWebhook} are signed with the instance's rule signing secret, made on first use and replaced (and
 * shown once) when an admin asks. The signature is {@code sha256=} and the lower-case hex HMAC-SHA256 of the raw body.
 */
@Component
class WebhookSigning {

    private final AuditLog audit;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Clock clock;

    WebhookSigning(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new random secret: {@code whsec_} and 64 hex digits (256 bits). */
    static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "whsec_" + HexFormat.of().formatHex(b);
    }

    /** The {@code X-Kindling-Signature} value for this body. */
    static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The rule signing secret, made now if there is none yet. */
    String ruleSecret() {
        String existing = jdbc.sql("SELECT secret FROM webhook_signing_secret WHERE id = 1").query(String.class)
                .optional().orElse(null);
        if (existing != null) {
            return existing;
        }
        jdbc.sql("INSERT INTO webhook_signing_secret (id, secret, created_at) VALUES (1, :s, :now) ON CONFLICT DO NOTHING")
                .param("s", newSecret()).param("now", Timestamp.from(clock.instant())).update();
        return jdbc.sql("SELECT secret FROM webhook_signing_secret WHERE id = 1").query(String.class).single();
    }

    /** Replaces the rule signing secret; returns the new one (shown once). */
    @Transactional
    String rotateRuleSecret() {
        String secret = newSecret();
        jdbc.sql("""
                        INSERT INTO webhook_signing_secret (id, secret, created_at) VALUES (1, :s, :now)
                        ON CONFLICT (id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at""")
                .param("s", secret).param("now", Timestamp.from(clock.instant())).update();
        audit.record(AuditEntry.of("webhook_signing_secret", 1, "rotate", null, null));
        return secret;
    }

    /** When the rule signing secret was made, or null. */
    java.time.Instant ruleSecretCreatedAt() {
        return jdbc.sql("SELECT created_at FROM webhook_signing_secret WHERE id = 1").query(Timestamp.class)
                .optional().map(Timestamp::toInstant).orElse(null);
    }
}
