package dev.kindling.mail;

import dev.kindling.prospects.ProspectErased;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Erasure of the mail kept about a prospect (docs/privacy.md): the outbox rows stay (so counts of mail sent add up)
 * without address, subject, bodies or headers, and a mail still waiting is not sent.
 */
@Component
class OutboxErasure {

    private final JdbcClient jdbc;

    OutboxErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void erase(ProspectErased erased) {
        jdbc.sql("""
                        UPDATE mail_outbox
                           SET to_address = 'erased', subject = '(erased)', text_body = '', html_body = NULL,
                               headers = '{}', next_attempt_at = NULL,
                               status = CASE WHEN status = 'PENDING' THEN 'FAILED' ELSE status END,
                               last_error = CASE WHEN status = 'PENDING' THEN 'erased before sending' ELSE last_error END
                         WHERE prospect_id = :id""").param("id", erased.prospectId()).update();
    }
}
