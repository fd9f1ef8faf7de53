package dev.kindling.notifications;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.outbound.StandardWebhooks;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Webhook secrets (Standard Webhooks: {@code whsec_} and base64), the ones that sign each call, and their rotation. A
 * subscription has its own secret (shown once, when created or replaced); calls of the rule action
 * {@code callWebhook} are signed with the instance's rule signing secret, made on first use. Replacing a secret keeps
 * the previous one signing too for {@code kindling.webhooks.secret-grace} (24 hours), so a receiver can switch over
 * without losing a call: meanwhile every call carries both signatures.
 */
@Component
class WebhookSigning {

    private final AuditLog audit;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration grace;

    WebhookSigning(
            JdbcClient jdbc,
            Clock clock,
            @Value("${kindling.webhooks.secret-grace:PT24H}") Duration grace,
            AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.grace = grace;
    }

    /** A secret made now and the time its predecessor stops signing. */
    record Rotated(String secret, Instant previousSecretUntil) {}

    /** The secrets that sign a subscription's calls now (its own, then the previous one in its grace period). */
    Map<Long, List<String>> subscriptionSecrets(Collection<Long> ids) {
        Map<Long, List<String>> secrets = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("""
                            SELECT id, secret, CASE WHEN previous_secret_until > :now THEN previous_secret END
                              FROM webhook_subscription WHERE id = ANY(:ids)""")
                    .param("ids", ids.toArray(Long[]::new))
                    .param("now", Timestamp.from(clock.instant()))
                    .query((rs, n) -> secrets.put(rs.getLong(1), signing(rs.getString(2), rs.getString(3))))
                    .list();
        }
        return secrets;
    }

    /** The secrets that sign rule calls now, the rule signing secret made if there is none yet. */
    List<String> ruleSecrets() {
        jdbc.sql(
                        "INSERT INTO webhook_signing_secret (id, secret, created_at) VALUES (1, :s, :now) ON CONFLICT DO NOTHING")
                .param("s", StandardWebhooks.newSecret())
                .param("now", Timestamp.from(clock.instant()))
                .update();
        return jdbc.sql("""
                        SELECT secret, CASE WHEN previous_secret_until > :now THEN previous_secret END
                          FROM webhook_signing_secret WHERE id = 1""")
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, n) -> signing(rs.getString(1), rs.getString(2)))
                .single();
    }

    private static List<String> signing(String current, String previous) {
        List<String> secrets = new ArrayList<>(List.of(current));
        if (previous != null) {
            secrets.add(previous);
        }
        return secrets;
    }

    /** Replaces the rule signing secret; returns the new one (shown once). The old one signs on for the grace. */
    @Transactional
    Rotated rotateRuleSecret() {
        ruleSecrets();
        Rotated rotated =
                new Rotated(StandardWebhooks.newSecret(), clock.instant().plus(grace));
        jdbc.sql("""
                        UPDATE webhook_signing_secret SET previous_secret = secret, previous_secret_until = :until,
                               secret = :s, created_at = :now WHERE id = 1""")
                .param("s", rotated.secret())
                .param("until", Timestamp.from(rotated.previousSecretUntil()))
                .param("now", Timestamp.from(clock.instant()))
                .update();
        audit.record(AuditEntry.of("webhook_signing_secret", 1, "rotate", null, null));
        return rotated;
    }

    /** Replaces a subscription's secret (false: no such subscription). The old one signs on for the grace. */
    Rotated rotateSubscriptionSecret(long id) {
        Rotated rotated =
                new Rotated(StandardWebhooks.newSecret(), clock.instant().plus(grace));
        int changed = jdbc.sql("""
                        UPDATE webhook_subscription SET previous_secret = secret, previous_secret_until = :until,
                               secret = :s WHERE id = :id AND deleted_at IS NULL""")
                .param("s", rotated.secret())
                .param("until", Timestamp.from(rotated.previousSecretUntil()))
                .param("id", id)
                .update();
        if (changed == 1) {
            audit.record(AuditEntry.of("webhook_subscription", id, "rotate_secret", null, null));
        }
        return changed == 1 ? rotated : null;
    }

    /** When the rule signing secret was made, or null. */
    Instant ruleSecretCreatedAt() {
        return jdbc.sql("SELECT created_at FROM webhook_signing_secret WHERE id = 1")
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant)
                .orElse(null);
    }
}
