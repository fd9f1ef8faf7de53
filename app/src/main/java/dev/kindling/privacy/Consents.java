package dev.kindling.privacy;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.prospects.ProspectRows;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Consent records: every consent given or withdrawn per prospect and purpose, with its source, time and the text the
 * person saw. The latest record per purpose is the current answer; with none, Kindling relies on legitimate interest
 * (tracking and marketing email as before). Withdrawing tracking stops page-view collection for the prospect's
 * visitors; withdrawing email marketing opts the prospect out (the sending suppression honours that).
 */
@Component
public class Consents {

    /** What a consent is for. */
    public enum Purpose {
        EMAIL_MARKETING,
        TRACKING
    }

    /** One consent record. */
    public record ConsentView(
            long id,
            long prospectId,
            Purpose purpose,
            boolean granted,
            String status,
            String source,
            String text,
            Instant at) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;

    private final ProspectRows prospectRows;

    Consents(
            JdbcClient jdbc, Clock clock, AuditLog audit, ApplicationEventPublisher events, ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
        this.events = events;
    }

    /**
     * Records a consent given or withdrawn, in the caller's transaction. Withdrawing email marketing also opts the
     * prospect out of marketing email.
     */
    @Transactional
    public ConsentView record(long prospectId, Purpose purpose, boolean granted, String source, String text) {
        Instant now = clock.instant();
        long id = jdbc.sql("""
                        INSERT INTO consent (prospect_id, purpose, status, source, text, at)
                        VALUES (:prospect, :purpose, :status, :source, :text, :at) RETURNING id""")
                .param("prospect", prospectId)
                .param("purpose", purpose.name())
                .param("status", granted ? "GRANTED" : "WITHDRAWN")
                .param("source", source)
                .param("text", text)
                .param("at", Timestamp.from(now))
                .query(Long.class)
                .single();
        if (purpose == Purpose.EMAIL_MARKETING && !granted) {
            if (prospectRows.optOut(prospectId, now)) {
                events.publishEvent(new ConsentWithdrawn(Set.of(prospectId)));
            }
        }
        ConsentView view =
                new ConsentView(id, prospectId, purpose, granted, granted ? "GRANTED" : "WITHDRAWN", source, text, now);
        audit.record(AuditEntry.of("prospect", prospectId, "consent", null, view));
        return view;
    }

    /** The prospect's consent records, newest first. */
    public List<ConsentView> of(long prospectId) {
        return jdbc.sql("""
                        SELECT id, prospect_id, purpose, status, source, text, at FROM consent
                         WHERE prospect_id = :id ORDER BY at DESC, id DESC""")
                .param("id", prospectId)
                .query((rs, n) -> new ConsentView(
                        rs.getLong(1),
                        rs.getLong(2),
                        Purpose.valueOf(rs.getString(3)),
                        "GRANTED".equals(rs.getString(4)),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getTimestamp(7).toInstant()))
                .list();
    }

    /** Those of these visitors that belong to a prospect whose latest tracking consent is withdrawn (one query). */
    public java.util.Set<String> trackingWithdrawn(java.util.Collection<String> visitorIds) {
        return new java.util.HashSet<>(jdbc.sql("""
                        SELECT v.id FROM visitor v
                          JOIN LATERAL (SELECT status FROM consent c
                                         WHERE c.prospect_id = v.prospect_id AND c.purpose = 'TRACKING'
                                         ORDER BY c.at DESC, c.id DESC LIMIT 1) c ON true
                         WHERE v.id = ANY(:visitors) AND c.status = 'WITHDRAWN'""")
                .param("visitors", visitorIds.toArray(String[]::new))
                .query(String.class)
                .list());
    }
}
