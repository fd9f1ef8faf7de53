package dev.kindling.notifications;

import dev.kindling.prospects.ProspectErased;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Erasure of stored webhook payloads about a prospect (docs/privacy.md): a rule call carries it as
 * {@code prospect.id}, a notice as {@code data.prospectId}; their bodies are replaced by {@code {"erased":true}} and
 * a delivery still waiting is cancelled. The log lines (when, where, status) stay.
 */
@Component
class WebhookErasure {

    private final JdbcClient jdbc;

    WebhookErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void erase(ProspectErased erased) {
        jdbc.sql("""
                        UPDATE webhook_outbox
                           SET body = '{"erased":true}'::jsonb, next_attempt_at = NULL,
                               last_error = CASE WHEN delivered_at IS NULL THEN 'erased before delivery'
                                                 ELSE last_error END
                         WHERE body -> 'prospect' ->> 'id' = :id OR body -> 'data' ->> 'prospectId' = :id""").param("id", Long.toString(erased.prospectId())).update();
    }
}
