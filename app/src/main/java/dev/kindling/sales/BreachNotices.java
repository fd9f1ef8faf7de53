package dev.kindling.sales;

import dev.kindling.notifications.Notice;
import dev.kindling.notifications.Notifications;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells people that a lead's first-contact window is running out or has passed, in the sweeping transaction (a
 * state change and its notice commit together):
 * <ul>
 * <li>{@code sla.at_risk} — once per handoff (dedupe key {@code sla-at-risk:<prospect>:<handoff>}), to the owner
 *     through the event's webhooks only: the queue already shows the rep which leads are at risk.</li>
 * <li>{@code sla.breached} — per handoff a webhook event for the owner's team manager (dedupe key
 *     {@code sla-breach:<prospect>:<handoff>}), and per manager <b>one mail per sweep</b> listing every lead that
 *     breached in it, grouped by rep, so a burst of breaches is one digest, not one mail per lead.</li>
 * </ul>
 */
@Component
class BreachNotices {

    private static final Logger log = LoggerFactory.getLogger(BreachNotices.class);

    /** One breach with what the notice says, and the manager to tell (null: the team has none). */
    record Breach(
            long handoffId,
            Long assignmentId,
            long prospectId,
            String email,
            String name,
            long ownerId,
            String ownerName,
            Long managerId,
            java.time.Instant assignedAt,
            java.time.Instant dueAt) {

        String dedupeKey() {
            return key("sla-breach:");
        }

        String key(String prefix) {
            // the assignment names the handoff for whoever else sees the key; a handoff without one uses its own id
            return prefix + prospectId + ":" + (assignmentId != null ? assignmentId : "h" + handoffId);
        }

        String lead() {
            return name.isBlank() ? email : name + " <" + email + ">";
        }
    }

    private final JdbcClient jdbc;
    private final Notifications notifications;

    BreachNotices(JdbcClient jdbc, Notifications notifications) {
        this.jdbc = jdbc;
        this.notifications = notifications;
    }

    /** The {@code sla.at_risk} events of handoffs that just became at risk, to their owners' webhooks. */
    void atRisk(List<Long> handoffIds) {
        if (handoffIds.isEmpty()) {
            return;
        }
        List<Notifications.Addressed> notices = new ArrayList<>();
        for (Breach b : load(handoffIds)) {
            notices.add(new Notifications.Addressed(
                    List.of(b.ownerId()),
                    new Notice("sla.at_risk", "SLA at risk: " + b.lead(), "", data(b), b.key("sla-at-risk:")),
                    Notifications.Channels.WEBHOOKS));
        }
        notifications.notifyAll(notices);
    }

    /** The {@code sla.breached} events of these handoffs, and one digest mail per manager listing them. */
    void breached(List<Long> handoffIds) {
        if (handoffIds.isEmpty()) {
            return;
        }
        List<Notifications.Addressed> notices = new ArrayList<>();
        Map<Long, List<Breach>> byManager = new java.util.TreeMap<>();
        for (Breach b : load(handoffIds)) {
            if (b.managerId() == null) {
                log.info(
                        "SLA breached on prospect {} (owner {}); the owner's team has no manager to notify",
                        b.prospectId(),
                        b.ownerId());
                continue;
            }
            byManager.computeIfAbsent(b.managerId(), m -> new ArrayList<>()).add(b);
            notices.add(new Notifications.Addressed(
                    List.of(b.managerId()),
                    new Notice("sla.breached", subject(b), text(b), data(b), b.dedupeKey()),
                    Notifications.Channels.WEBHOOKS));
        }
        byManager.forEach((manager, breaches) -> notices.add(
                new Notifications.Addressed(List.of(manager), digest(breaches), Notifications.Channels.MAIL)));
        notifications.notifyAll(notices);
    }

    /** One mail for a manager's breaches of one sweep: the lead itself when alone, else the list. */
    static Notice digest(List<Breach> breaches) {
        Breach first = breaches.getFirst();
        String key =
                breaches.size() == 1 ? first.dedupeKey() : "sla-breach-digest:" + first.key("") + ":" + breaches.size();
        if (breaches.size() == 1) {
            return new Notice("sla.breached", subject(first), text(first), data(first), key);
        }
        StringBuilder text = new StringBuilder(
                breaches.size() + " leads were not contacted within their first-contact window, by rep:\n");
        Map<String, List<Breach>> byRep = new java.util.TreeMap<>();
        for (Breach b : breaches) {
            byRep.computeIfAbsent(b.ownerName() == null ? "" : b.ownerName(), r -> new ArrayList<>())
                    .add(b);
        }
        byRep.forEach((rep, leads) -> {
            text.append('\n')
                    .append(rep.isBlank() ? "(no name)" : rep)
                    .append(" (")
                    .append(leads.size())
                    .append("):\n");
            for (Breach b : leads) {
                text.append("- ")
                        .append(b.lead())
                        .append(", due ")
                        .append(b.dueAt())
                        .append('\n');
            }
        });
        return new Notice(
                "sla.breached",
                "SLA breached: " + breaches.size() + " leads were not contacted in time",
                text.toString(),
                Map.of("prospectIds", breaches.stream().map(Breach::prospectId).toList()),
                key);
    }

    List<Breach> load(List<Long> handoffIds) {
        return jdbc.sql("""
                        SELECT h.id, h.assignment_id, h.prospect_id, p.email, trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS name,
                               h.user_id, u.name AS owner_name, t.manager_id, h.assigned_at, h.due_at
                          FROM sales_handoff h
                          JOIN prospect p ON p.id = h.prospect_id
                          JOIN app_user u ON u.id = h.user_id
                          LEFT JOIN team t ON t.id = coalesce(h.team_id, u.team_id)
                         WHERE h.id = ANY(:ids)
                         ORDER BY h.id""")
                .param("ids", handoffIds.toArray(Long[]::new))
                .query((rs, n) -> new Breach(
                        rs.getLong(1),
                        (Long) rs.getObject(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getString(7),
                        (Long) rs.getObject(8),
                        rs.getTimestamp(9).toInstant(),
                        rs.getTimestamp(10).toInstant()))
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
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("prospectId", b.prospectId());
        data.put("email", b.email());
        data.put("ownerId", b.ownerId());
        data.put("assignmentId", b.assignmentId());
        data.put("assignedAt", b.assignedAt().toString());
        data.put("dueAt", b.dueAt().toString());
        return data;
    }
}
