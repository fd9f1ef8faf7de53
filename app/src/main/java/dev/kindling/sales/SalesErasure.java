package dev.kindling.sales;

import dev.kindling.prospects.ProspectErased;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Erasure of sales notes about a prospect (docs/privacy.md): attempt notes, reject reasons, task subjects; the counts stay. */
@Component
class SalesErasure {

    private final JdbcClient jdbc;

    SalesErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void erase(ProspectErased erased) {
        jdbc.sql("UPDATE sales_attempt SET note = NULL WHERE prospect_id = :id")
                .param("id", erased.prospectId())
                .update();
        jdbc.sql("UPDATE sales_handoff SET reject_reason = NULL WHERE prospect_id = :id")
                .param("id", erased.prospectId())
                .update();
        jdbc.sql("UPDATE sales_task SET subject = '(erased)' WHERE prospect_id = :id")
                .param("id", erased.prospectId())
                .update();
    }
}
