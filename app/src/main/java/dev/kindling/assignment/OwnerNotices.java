package dev.kindling.assignment;

import dev.kindling.notifications.Notice;
import dev.kindling.notifications.Notifications;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells each new owner, in the assigning transaction (so a rolled-back assignment sends nothing): one
 * {@code prospect.assigned} notice per assignment, deduplicated by {@code assigned:<assignment id>}, all of a batch
 * handed to {@link Notifications#notifyAll} at once (one query for the prospects' names, a fixed number of statements
 * for the mails and webhooks). The mail holds the prospect's name as plain text; its page link is relative to the
 * app.
 */
@Component
class OwnerNotices {

    private final Notifications notifications;
    private final JdbcClient jdbc;

    OwnerNotices(Notifications notifications, JdbcClient jdbc) {
        this.notifications = notifications;
        this.jdbc = jdbc;
    }

    private record Prospect(String email, String name, String company, String stage) {}

    @EventListener
    void on(ProspectsAssigned assigned) {
        if (assigned.assignments().isEmpty()) {
            return;
        }
        Map<Long, Prospect> prospects = new HashMap<>();
        jdbc.sql("""
                        SELECT id, email, trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) AS name, company,
                               stage
                          FROM prospect WHERE id = ANY(:ids)""")
                .param(
                        "ids",
                        assigned.assignments().stream()
                                .map(Assignment::prospectId)
                                .distinct()
                                .toArray(Long[]::new))
                .query(rs -> {
                    prospects.put(
                            rs.getLong("id"),
                            new Prospect(
                                    rs.getString("email"),
                                    rs.getString("name"),
                                    rs.getString("company"),
                                    rs.getString("stage")));
                });
        List<Notifications.Addressed> notices = new ArrayList<>();
        for (Assignment a : assigned.assignments()) {
            Prospect p = prospects.get(a.prospectId());
            // one line: the name goes into a mail subject
            String who = (p == null ? "prospect " + a.prospectId() : p.name().isBlank() ? p.email() : p.name())
                    .replaceAll("[\\r\\n]+", " ");
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("assignmentId", a.id());
            data.put("prospectId", a.prospectId());
            data.put("userId", a.userId());
            data.put("teamId", a.teamId());
            data.put("cause", a.cause());
            data.put("forced", a.forced());
            data.put("at", a.at().toString());
            if (p != null) {
                data.put("email", p.email());
                data.put("stage", p.stage());
            }
            String text = "You are the new owner of " + who
                    + (p != null && p.company() != null ? " (" + p.company() + ")" : "")
                    + (p == null ? "" : ", " + p.stage()) + ".\nAssigned by " + a.cause()
                    + (a.forced() ? ", replacing the previous owner" : "") + ".\nProspect page: /prospects/"
                    + a.prospectId() + "\n";
            notices.add(new Notifications.Addressed(
                    List.of(a.userId()),
                    new Notice("prospect.assigned", "New prospect for you: " + who, text, data, "assigned:" + a.id())));
        }
        notifications.notifyAll(notices);
    }
}
