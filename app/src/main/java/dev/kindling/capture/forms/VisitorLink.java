package dev.kindling.capture.forms;

import dev.kindling.capture.VisitorId;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Links a visitor to the prospect it turned out to be and attributes the visitor's earlier,
 * still anonymous activities (its page views) to that prospect. Runs inside the caller's
 * transaction. The intake package's visitor linking may replace this once both are merged.
 */
@Component
class VisitorLink {

    private final JdbcClient jdbc;

    VisitorLink(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return how many earlier activities of the visitor now belong to the prospect */
    int link(VisitorId visitor, long prospectId, Instant at) {
        Timestamp ts = Timestamp.from(at);
        jdbc.sql("""
                        INSERT INTO visitor (id, prospect_id, first_seen_at, last_seen_at, linked_at)
                        VALUES (:id, :prospect, :at, :at, :at)
                        ON CONFLICT (id) DO UPDATE
                           SET prospect_id = EXCLUDED.prospect_id, linked_at = EXCLUDED.linked_at,
                               last_seen_at = greatest(visitor.last_seen_at, EXCLUDED.last_seen_at)""")
                .param("id", visitor.value()).param("prospect", prospectId).param("at", ts)
                .update();
        return jdbc.sql("UPDATE activity SET prospect_id = :prospect WHERE visitor_id = :id AND prospect_id IS NULL")
                .param("prospect", prospectId).param("id", visitor.value())
                .update();
    }
}
