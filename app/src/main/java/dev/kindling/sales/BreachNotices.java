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
 * <li>{@code sla.at_risk} (falling due) — once per handoff (dedupe key {@code sla-at-risk:<prospect>:<handoff>}), to
 *     the owner through the event's webhooks, and per manager <b>one mail per sweep</b> listing every lead that fell
 *     at risk in it, grouped by rep, so the manager can step in before the leads breach.</li>
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

    /**
     * The {@code sla.at_risk} events of handoffs that just became at risk (falling due), to their owners' webhooks,
     * and one digest mail per manager listing them by rep.
     */
    void atRisk(List<Long> handoffIds) {
        notify(handoffIds, AT_RISK);
    }

    /** The {@code sla.breached} events of these handoffs, and one digest mail per manager listing them. */
    void breached(List<Long> handoffIds) {
        notify(handoffIds, BREACHED);
    }

    /**
     * What one kind of SLA notice says: its event, webhook recipient (the owner or the manager), the key prefix of a
     * lead's notice, and the words of a one-lead and a many-lead mail.
     */
    record Kind(
            String event,
            boolean toOwner,
            String keyPrefix,
            java.util.function.Function<Breach, String> subject,
            java.util.function.Function<Breach, String> text,
            String digestSubject,
            String digestIntro) {}

    static final Kind AT_RISK = new Kind(
            "sla.at_risk",
            true,
            "sla-at-risk:",
            b -> "SLA at risk: " + b.lead() + " is due for a first contact by " + b.dueAt(),
            b -> "The lead " + b.email() + " was assigned to " + b.ownerName() + " at " + b.assignedAt()
                    + " and is due for a first contact by " + b.dueAt() + "; no attempt is logged yet.\n",
            "SLA at risk: %d leads are due for a first contact soon",
            "%d leads are falling due without a first contact, by rep:\n");

    static final Kind BREACHED = new Kind(
            "sla.breached",
            false,
            "sla-breach:",
            BreachNotices::subject,
            BreachNotices::text,
            "SLA breached: %d leads were not contacted in time",
            "%d leads were not contacted within their first-contact window, by rep:\n");

    private void notify(List<Long> handoffIds, Kind kind) {
        if (handoffIds.isEmpty()) {
            return;
        }
        List<Notifications.Addressed> notices = new ArrayList<>();
        Map<Long, List<Breach>> byManager = new java.util.TreeMap<>();
        for (Breach b : load(handoffIds)) {
            if (kind.toOwner()) {
                notices.add(new Notifications.Addressed(
                        List.of(b.ownerId()),
                        new Notice(kind.event(), kind.subject().apply(b), "", data(b), b.key(kind.keyPrefix())),
                        Notifications.Channels.WEBHOOKS));
            }
            if (b.managerId() == null) {
                log.info(
                        "{} on prospect {} (owner {}); the owner's team has no manager to notify",
                        kind.event(),
                        b.prospectId(),
                        b.ownerId());
                continue;
            }
            byManager.computeIfAbsent(b.managerId(), m -> new ArrayList<>()).add(b);
            if (!kind.toOwner()) {
                notices.add(new Notifications.Addressed(
                        List.of(b.managerId()),
                        new Notice(
                                kind.event(),
                                kind.subject().apply(b),
                                kind.text().apply(b),
                                data(b),
                                b.key(kind.keyPrefix())),
                        Notifications.Channels.WEBHOOKS));
            }
        }
        byManager.forEach((manager, leads) -> notices.add(
                new Notifications.Addressed(List.of(manager), digest(leads, kind), Notifications.Channels.MAIL)));
        notifications.notifyAll(notices);
    }

    /** One mail for a manager's leads of one sweep: the lead itself when alone, else the list grouped by rep. */
    static Notice digest(List<Breach> leads, Kind kind) {
        Breach first = leads.getFirst();
        if (leads.size() == 1) {
            return new Notice(
                    kind.event(),
                    kind.subject().apply(first),
                    kind.text().apply(first),
                    data(first),
                    first.key(kind.keyPrefix()));
        }
        String key = kind.keyPrefix() + "digest:" + first.key("") + ":" + leads.size();
        StringBuilder text = new StringBuilder(kind.digestIntro().formatted(leads.size()));
        Map<String, List<Breach>> byRep = new java.util.TreeMap<>();
        for (Breach b : leads) {
            byRep.computeIfAbsent(b.ownerName() == null ? "" : b.ownerName(), r -> new ArrayList<>())
                    .add(b);
        }
        byRep.forEach((rep, ofRep) -> {
            text.append('\n')
                    .append(rep.isBlank() ? "(no name)" : rep)
                    .append(" (")
                    .append(ofRep.size())
                    .append("):\n");
            for (Breach b : ofRep) {
                text.append("- ")
                        .append(b.lead())
                        .append(", due ")
                        .append(b.dueAt())
                        .append('\n');
            }
        });
        return new Notice(
                kind.event(),
                kind.digestSubject().formatted(leads.size()),
                text.toString(),
                Map.of("prospectIds", leads.stream().map(Breach::prospectId).toList()),
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
