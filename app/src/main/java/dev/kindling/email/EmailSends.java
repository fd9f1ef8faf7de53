package dev.kindling.email;

import dev.kindling.lists.Lists;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * One-off sends of a template to a list (static or dynamic: its members at the moment of sending), with an optional
 * subject A/B test: a test share of the list, split evenly between the subject variants, gets the email at once;
 * when the test's time is up ({@link AbWinnerJob}, driven by the injected clock) the variant with the best open or
 * click rate wins and the rest of the list gets it. Every recipient's send key is {@code send:<id>:<prospect>}, so
 * finishing a send again never mails anyone twice.
 */
@Component
public class EmailSends {

    static final int CHUNK = 1_000;
    static final int MAX_VARIANTS = 5;

    private final JdbcClient jdbc;
    private final EmailTemplates templates;
    private final Lists lists;
    private final SuppressionLists suppressionLists;
    private final MarketingEmails emails;
    private final Clock clock;

    EmailSends(
            JdbcClient jdbc,
            EmailTemplates templates,
            Lists lists,
            SuppressionLists suppressionLists,
            MarketingEmails emails,
            Clock clock) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.lists = lists;
        this.suppressionLists = suppressionLists;
        this.emails = emails;
        this.clock = clock;
    }

    /** A send request, validated. */
    record NewSend(String name, long templateId, long listId, List<Long> suppressionListIds, AbTest abTest) {}

    /** A subject test: one subject per variant (A, B, …), the share of the list tested, the metric and the wait. */
    record AbTest(List<String> subjects, int testPercent, String metric, Duration waitFor) {}

    /** A send as listed. */
    record SendView(
            long id,
            String name,
            long templateId,
            String templateName,
            Long listId,
            String listName,
            String status,
            String abMetric,
            Integer abTestPercent,
            Instant winnerDueAt,
            String winnerVariant,
            Instant createdAt,
            Instant completedAt) {}

    /** Figures of one variant (or of the whole send, variant null). */
    record Figures(
            String variant,
            String subject,
            long sent,
            long suppressed,
            long opened,
            long clicked,
            long unsubscribed,
            long bounced,
            double openRate,
            double clickRate) {}

    /** The send report. */
    record Report(SendView send, Figures total, List<Figures> variants, Map<String, Long> suppressedByReason) {}

    NewSend validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidInputException.of("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        body.propertyNames().forEach(k -> {
            if (!Set.of("name", "templateId", "listId", "suppressionListIds", "abTest")
                    .contains(k)) {
                errors.add(new FieldError(
                        k, "is not a send property (name, templateId, listId, suppressionListIds, abTest)"));
            }
        });
        String name =
                body.path("name").isString() ? body.path("name").stringValue().strip() : "";
        if (name.isEmpty() || name.length() > 200) {
            errors.add(new FieldError("name", "is required (at most 200 characters)"));
        }
        long templateId = id(body.get("templateId"), "templateId", errors);
        if (templateId > 0 && templates.find(templateId).isEmpty()) {
            errors.add(new FieldError("templateId", "names no email template"));
        }
        long listId = id(body.get("listId"), "listId", errors);
        if (listId > 0 && lists.find(listId).isEmpty()) {
            errors.add(new FieldError("listId", "names no list"));
        }
        List<Long> suppression = new ArrayList<>();
        JsonNode rawSuppression = body.get("suppressionListIds");
        if (rawSuppression != null && !rawSuppression.isNull()) {
            if (!rawSuppression.isArray()) {
                errors.add(new FieldError("suppressionListIds", "must be a list of list ids"));
            } else {
                for (int i = 0; i < rawSuppression.size(); i++) {
                    long id = id(rawSuppression.get(i), "suppressionListIds[" + i + "]", errors);
                    if (id > 0 && lists.find(id).isEmpty()) {
                        errors.add(new FieldError("suppressionListIds[" + i + "]", "names no list"));
                    } else if (id > 0) {
                        suppression.add(id);
                    }
                }
            }
        }
        AbTest ab = null;
        JsonNode rawAb = body.get("abTest");
        if (rawAb != null && !rawAb.isNull()) {
            ab = abTest(rawAb, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new NewSend(name, templateId, listId, List.copyOf(suppression), ab);
    }

    private static AbTest abTest(JsonNode node, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError("abTest", "must be an object {subjects, testPercent, metric, waitHours}"));
            return null;
        }
        node.propertyNames().forEach(k -> {
            if (!Set.of("subjects", "testPercent", "metric", "waitHours").contains(k)) {
                errors.add(new FieldError(
                        "abTest." + k, "is not an A/B test property (subjects, testPercent, metric, waitHours)"));
            }
        });
        List<String> subjects = new ArrayList<>();
        JsonNode raw = node.get("subjects");
        if (raw == null || !raw.isArray() || raw.size() < 2 || raw.size() > MAX_VARIANTS) {
            errors.add(new FieldError("abTest.subjects", "must list 2 to " + MAX_VARIANTS + " subjects"));
        } else {
            for (int i = 0; i < raw.size(); i++) {
                JsonNode s = raw.get(i);
                if (!s.isString()
                        || s.stringValue().isBlank()
                        || s.stringValue().length() > EmailTemplates.MAX_SUBJECT
                        || s.stringValue().contains("\n")
                        || s.stringValue().contains("\r")) {
                    errors.add(new FieldError(
                            "abTest.subjects[" + i + "]",
                            "must be a one-line subject of at most " + EmailTemplates.MAX_SUBJECT + " characters"));
                } else {
                    List<FieldError> own = new ArrayList<>();
                    MergeFields.check(s.stringValue(), "abTest.subjects[" + i + "]", Set.of(), Set.of(), own);
                    errors.addAll(own);
                    subjects.add(s.stringValue().strip());
                }
            }
        }
        JsonNode pct = node.get("testPercent");
        int testPercent = 0;
        if (pct == null || !pct.isIntegralNumber() || pct.asLong() < 1 || pct.asLong() > 100) {
            errors.add(new FieldError("abTest.testPercent", "must be a whole number from 1 to 100"));
        } else {
            testPercent = pct.asInt();
        }
        JsonNode metric = node.get("metric");
        if (metric == null
                || !metric.isString()
                || !Set.of("OPEN_RATE", "CLICK_RATE").contains(metric.stringValue())) {
            errors.add(new FieldError("abTest.metric", "must be OPEN_RATE or CLICK_RATE"));
        }
        JsonNode hours = node.get("waitHours");
        int waitHours = 0;
        if (hours == null || !hours.isIntegralNumber() || hours.asLong() < 1 || hours.asLong() > 720) {
            errors.add(new FieldError("abTest.waitHours", "must be a whole number of hours from 1 to 720"));
        } else {
            waitHours = hours.asInt();
        }
        return new AbTest(
                subjects,
                testPercent,
                metric != null && metric.isString() ? metric.stringValue() : null,
                Duration.ofHours(waitHours));
    }

    private static long id(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() <= 0) {
            errors.add(new FieldError(field, "must be an id"));
            return -1;
        }
        return node.asLong();
    }

    /** Creates the send and mails the list (or the A/B test share of it) in this transaction. */
    @Transactional
    SendView send(NewSend s) {
        Instant now = clock.instant();
        boolean ab = s.abTest() != null;
        long id = jdbc.sql("""
                        INSERT INTO email_send (name, template_id, list_id, suppression_list_ids, status, ab_metric,
                                                ab_test_percent, winner_due_at, created_at, completed_at)
                        VALUES (:name, :template, :list, :suppression, :status, :metric, :pct, :due, :now, :completed)
                        RETURNING id""")
                .param("name", s.name())
                .param("template", s.templateId())
                .param("list", s.listId())
                .param("suppression", s.suppressionListIds().toArray(Long[]::new))
                .param("status", ab ? "TESTING" : "SENT")
                .param("metric", ab ? s.abTest().metric() : null)
                .param("pct", ab ? s.abTest().testPercent() : null)
                .param("due", ab ? Timestamp.from(now.plus(s.abTest().waitFor())) : null)
                .param("now", Timestamp.from(now))
                .param("completed", ab ? null : Timestamp.from(now))
                .query(Long.class)
                .single();
        if (!ab) {
            sendTo(
                    id,
                    s.templateId(),
                    members(id, s.listId(), Integer.MAX_VALUE),
                    null,
                    null,
                    Set.copyOf(s.suppressionListIds()));
            return get(id);
        }
        List<String> subjects = s.abTest().subjects();
        for (int i = 0; i < subjects.size(); i++) {
            jdbc.sql("INSERT INTO email_send_variant (send_id, variant, subject) VALUES (:id, :v, :s)")
                    .param("id", id)
                    .param("v", variant(i))
                    .param("s", subjects.get(i))
                    .update();
        }
        long total = jdbc.sql("SELECT count(*) FROM list_member WHERE list_id = :list")
                .param("list", s.listId())
                .query(Long.class)
                .single();
        int testSize = (int) Math.ceil(total * s.abTest().testPercent() / 100.0);
        List<Long> test = members(id, s.listId(), testSize);
        for (int v = 0; v < subjects.size(); v++) {
            List<Long> group = new ArrayList<>();
            for (int i = v; i < test.size(); i += subjects.size()) {
                group.add(test.get(i));
            }
            sendTo(id, s.templateId(), group, variant(v), subjects.get(v), Set.copyOf(s.suppressionListIds()));
        }
        return get(id);
    }

    /**
     * Picks the winner of a test that is due, and sends it to the rest of the list (members now, not yet mailed by
     * this send). Ties go to the earlier variant. Returns false when the send was not a due test.
     */
    @Transactional
    boolean finishTest(long sendId) {
        Instant now = clock.instant();
        record Due(long templateId, Long listId, String metric, Long[] suppression) {}
        Optional<Due> due = jdbc.sql("""
                        SELECT template_id, list_id, ab_metric, suppression_list_ids FROM email_send
                         WHERE id = :id AND status = 'TESTING' AND winner_due_at <= :now FOR UPDATE SKIP LOCKED""")
                .param("id", sendId)
                .param("now", Timestamp.from(now))
                .query((rs, n) -> new Due(rs.getLong(1), (Long) rs.getObject(2), rs.getString(3), (Long[])
                        rs.getArray(4).getArray()))
                .optional();
        if (due.isEmpty()) {
            return false;
        }
        Figures best = null;
        for (Figures f : variantFigures(sendId)) {
            double rate = "CLICK_RATE".equals(due.get().metric()) ? f.clickRate() : f.openRate();
            double bestRate =
                    best == null ? -1 : "CLICK_RATE".equals(due.get().metric()) ? best.clickRate() : best.openRate();
            if (rate > bestRate) {
                best = f;
            }
        }
        String winner = best == null ? "A" : best.variant();
        String subject = best == null ? null : best.subject();
        jdbc.sql("UPDATE email_send SET status = 'SENT', winner_variant = :w, completed_at = :now WHERE id = :id")
                .param("id", sendId)
                .param("w", winner)
                .param("now", Timestamp.from(now))
                .update();
        if (due.get().listId() != null) {
            sendTo(
                    sendId,
                    due.get().templateId(),
                    members(sendId, due.get().listId(), Integer.MAX_VALUE),
                    winner,
                    subject,
                    Set.of(due.get().suppression()));
        }
        return true;
    }

    /** Sends whose test is due, oldest first. */
    List<Long> dueTests(int limit) {
        return jdbc.sql("""
                        SELECT id FROM email_send WHERE status = 'TESTING' AND winner_due_at <= :now
                         ORDER BY winner_due_at, id LIMIT :limit""")
                .param("now", Timestamp.from(clock.instant()))
                .param("limit", limit)
                .query(Long.class)
                .list();
    }

    private void sendTo(
            long sendId,
            long templateId,
            List<Long> prospectIds,
            String variant,
            String subject,
            Set<Long> suppression) {
        for (int from = 0; from < prospectIds.size(); from += CHUNK) {
            List<MarketingEmails.Recipient> chunk = new ArrayList<>();
            for (Long p : prospectIds.subList(from, Math.min(prospectIds.size(), from + CHUNK))) {
                chunk.add(new MarketingEmails.Recipient(p, "send:" + sendId + ":" + p, sendId, variant, subject));
            }
            emails.send(templateId, chunk, suppression);
        }
    }

    /** Up to {@code limit} members of the list this send has not mailed, in an order stable per send but not by id. */
    private List<Long> members(long sendId, long listId, int limit) {
        return jdbc.sql("""
                        SELECT m.prospect_id FROM list_member m
                         WHERE m.list_id = :list
                           AND NOT EXISTS (SELECT 1 FROM email_message e
                                            WHERE e.send_key = 'send:' || :send || ':' || m.prospect_id)
                         ORDER BY md5(:send || ':' || m.prospect_id), m.prospect_id
                         LIMIT :limit""")
                .param("list", listId)
                .param("send", sendId)
                .param("limit", limit)
                .query(Long.class)
                .list();
    }

    private static String variant(int i) {
        return String.valueOf((char) ('A' + i));
    }

    List<SendView> all() {
        return jdbc.sql(SELECT_SEND + " ORDER BY s.id DESC LIMIT 200")
                .query(this::view)
                .list();
    }

    Optional<SendView> find(long id) {
        return jdbc.sql(SELECT_SEND + " WHERE s.id = :id")
                .param("id", id)
                .query(this::view)
                .optional();
    }

    SendView get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No email send " + id));
    }

    Report report(long id) {
        SendView send = get(id);
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (MarketingEmails.Suppression s : MarketingEmails.Suppression.values()) {
            reasons.put(s.name(), 0L);
        }
        jdbc.sql("""
                        SELECT suppressed_reason, count(*) FROM email_message
                         WHERE send_id = :id AND status = 'SUPPRESSED' GROUP BY suppressed_reason""")
                .param("id", id)
                .query((rs, n) -> reasons.put(rs.getString(1), rs.getLong(2)))
                .list();
        Figures total = jdbc.sql(FIGURES + " WHERE e.send_id = :id")
                .param("id", id)
                .query((rs, n) -> figures(rs, null, null))
                .single();
        return new Report(send, total, variantFigures(id), reasons);
    }

    private List<Figures> variantFigures(long sendId) {
        return jdbc.sql("""
                        SELECT v.variant, v.subject, f.* FROM email_send_variant v
                          CROSS JOIN LATERAL (""" + FIGURES + " " + """
                         WHERE e.send_id = v.send_id AND e.variant = v.variant) f
                         WHERE v.send_id = :id ORDER BY v.variant""")
                .param("id", sendId)
                .query((rs, n) -> figures(rs, rs.getString("variant"), rs.getString("subject")))
                .list();
    }

    private static final String FIGURES = """
            SELECT count(*) FILTER (WHERE e.status = 'SENT') AS sent,
                   count(*) FILTER (WHERE e.status = 'SUPPRESSED') AS suppressed,
                   count(e.opened_at) AS opened, count(e.clicked_at) AS clicked,
                   count(e.unsubscribed_at) AS unsubscribed, count(e.bounced_at) AS bounced
              FROM email_message e""";

    private static Figures figures(java.sql.ResultSet rs, String variant, String subject) throws java.sql.SQLException {
        long sent = rs.getLong("sent");
        long opened = rs.getLong("opened");
        long clicked = rs.getLong("clicked");
        return new Figures(
                variant,
                subject,
                sent,
                rs.getLong("suppressed"),
                opened,
                clicked,
                rs.getLong("unsubscribed"),
                rs.getLong("bounced"),
                sent == 0 ? 0 : (double) opened / sent,
                sent == 0 ? 0 : (double) clicked / sent);
    }

    private static final String SELECT_SEND = """
            SELECT s.*, t.name AS template_name, l.name AS list_name
              FROM email_send s JOIN email_template t ON t.id = s.template_id LEFT JOIN list l ON l.id = s.list_id""";

    private SendView view(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new SendView(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getLong("template_id"),
                rs.getString("template_name"),
                (Long) rs.getObject("list_id"),
                rs.getString("list_name"),
                rs.getString("status"),
                rs.getString("ab_metric"),
                (Integer) rs.getObject("ab_test_percent"),
                instant(rs, "winner_due_at"),
                rs.getString("winner_variant"),
                instant(rs, "created_at"),
                instant(rs, "completed_at"));
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
