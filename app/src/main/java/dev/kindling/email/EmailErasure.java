package dev.kindling.email;

import dev.kindling.prospects.ProspectErased;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Erasure of marketing email kept about a prospect (docs/privacy.md): each message keeps its send, variant, status
 * and tracking marks (so send reports add up) but loses its merged subject; bounce reasons (which quote
 * the address) go.
 */
@Component
class EmailErasure {

    private final JdbcClient jdbc;

    EmailErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void erase(ProspectErased erased) {
        jdbc.sql("UPDATE email_message SET subject = NULL WHERE prospect_id = :id")
                .param("id", erased.prospectId())
                .update();
        jdbc.sql("UPDATE email_bounce SET reason = NULL WHERE prospect_id = :id")
                .param("id", erased.prospectId())
                .update();
    }
}
