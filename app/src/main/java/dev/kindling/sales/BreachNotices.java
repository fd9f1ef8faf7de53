package dev.kindling.sales;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells the owner's team manager that a lead breached its first-contact window. One notice per handoff (the
 * dedupe key {@code sla-breach:<prospect>:<handoff>}), written in the sweeping transaction so a breach and its
 * notice commit together.
 */
@Component
class BreachNotices {

    private static final Logger log = LoggerFactory.getLogger(BreachNotices.class);

    /** One breach with what the notice says, and the manager to tell (null: the team has none). */
    record Breach(long handoffId, long prospectId, String email, String name, long ownerId, String ownerName,
            Long managerId, java.time.Instant assignedAt, java.time.Instant dueAt) {

        String dedupeKey() {
            return "sla-breach:" + prospectId + ":" + handoffId;
        }
    }

    private final JdbcClient jdbc;

    BreachNotices(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void breached(List<Long> handoffIds) {
        if (handoffIds.isEmpty()) {
            return;
        }
        List<Breach> breaches = load(handoffIds);
        for (Breach b : breaches) {
            if (b.managerId() == null) {
                log.info("SLA breached on prospect {} (owner {}); the owner's team has no manager to notify",
                        b.prospectId(), b.ownerId());
                continue;
            }
            notify(b);
        }
    }

    List<Breach> load(List<Long> handoffIds) {
        return jdbc.sql("""
                        SELECT h.id, h.prospect_id, p.email, trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS name,
                               h.user_id, u.name AS owner_name, t.manager_id, h.assigned_at, h.due_at
                          FROM sales_handoff h
                          JOIN prospect p ON p.id = h.prospect_id
                          JOIN app_user u ON u.id = h.user_id
                          LEFT JOIN team t ON t.id = coalesce(h.team_id, u.team_id)
                         WHERE h.id = ANY(:ids)
                         ORDER BY h.id""")
                .param("ids", handoffIds.toArray(Long[]::new))
                .query((rs, n) -> new Breach(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), (Long) rs.getObject(7), rs.getTimestamp(8).toInstant(),
                        rs.getTimestamp(9).toInstant()))
                .list();
    }

    static String subject(Breach b) {
        return "SLA breached: " + (b.name().isBlank() ? b.email() : b.name()) + " was not contacted in time";
    }

    static String text(Breach b) {
        return "The lead " + b.email() + " was assigned to " + b.ownerName() + " at " + b.assignedAt()
                + " and was due for a first contact by " + b.dueAt() + ", but no attempt was logged.\n";
    }

    static Map<String, Object> data(Breach b) {
        return Map.of("prospectId", b.prospectId(), "email", b.email(), "ownerId", b.ownerId(),
                "handoffId", b.handoffId(), "assignedAt", b.assignedAt().toString(), "dueAt", b.dueAt().toString());
    }

    private void notify(Breach b) {
        // sent through the notifications capability once it is merged
        log.info("SLA breached on prospect {}: manager {} to be notified", b.prospectId(), b.managerId());
    }
}
