package dev.kindling.salesforce;

import dev.kindling.prospects.ProspectErased;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Erasure of what the connector keeps about a prospect (docs/privacy.md, docs/salesforce.md): its leads and contacts
 * stay known by id, set aside ({@code DETACHED}: never read into the shell nor written again) without the field values
 * last synced; nothing of it waits to be pushed; its parked errors lose the record as read. The Salesforce records
 * themselves are Salesforce's to erase.
 */
@Component
class SalesforceErasure {

    private final JdbcClient jdbc;
    private final Clock clock;

    SalesforceErasure(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventListener
    void erase(ProspectErased erased) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        UPDATE salesforce_error
                           SET record = '{}'::jsonb, resolved_at = coalesce(resolved_at, :now),
                               resolution = coalesce(resolution, 'DISMISSED')
                         WHERE sf_id IN (SELECT sf_id FROM salesforce_record WHERE prospect_id = :id)""").param("id", erased.prospectId()).param("now", now).update();
        jdbc.sql("""
                        UPDATE salesforce_record
                           SET state = 'DETACHED', fields = '{}'::jsonb, ended_at = coalesce(ended_at, :now)
                         WHERE prospect_id = :id""").param("id", erased.prospectId()).param("now", now).update();
        jdbc.sql("DELETE FROM salesforce_outbox WHERE prospect_id = :id")
                .param("id", erased.prospectId())
                .update();
        jdbc.sql("DELETE FROM salesforce_member_push WHERE prospect_id = :id")
                .param("id", erased.prospectId())
                .update();
    }
}
