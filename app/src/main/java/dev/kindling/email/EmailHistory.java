package dev.kindling.email;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Marketing email that went out before Kindling recorded it — history brought from elsewhere, such as the demo's year
 * of newsletters — written as the sends would have left it: a template per newsletter (validated like any), a
 * completed send per issue, and one {@code SENT} message per recipient with its first open, click, bounce and
 * unsubscribe already marked, so the send reports and the KPI dashboard's open and click rates count them. Nothing
 * is mailed and no activity is made: what recipients did is expected as activities of its own (as tracking makes
 * them: {@code emailId} the template id, {@code sendId} the send id). A fixed number of statements whatever the
 * volume, in the caller's transaction.
 */
@Component
public class EmailHistory {

    private final JdbcClient jdbc;
    private final EmailTemplates templates;
    private final JsonMapper json;

    EmailHistory(JdbcClient jdbc, EmailTemplates templates, JsonMapper json) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.json = json;
    }

    /** One issue: a send named {@code sendName} (unique) of the template {@code templateName}, sent at {@code sentAt}. */
    public record Issue(String templateName, String subject, String sendName, Instant sentAt) {}

    /** An issue as recorded: its template's id and its send's id. */
    public record Sent(long templateId, long sendId) {}

    /**
     * One recipient's message of a recorded send: when it was sent to them, and when they first opened, clicked,
     * bounced or unsubscribed (null: never). A click implies an open, as tracking records it.
     */
    public record Message(
            long sendId,
            long prospectId,
            Instant sentAt,
            Instant openedAt,
            Instant clickedAt,
            Instant bouncedAt,
            Instant unsubscribedAt) {}

    /**
     * Records the issues: a template per distinct template name (the first issue's subject, a plain body with the
     * unsubscribe link) and a completed send per issue. Answers each issue's template and send, in order.
     */
    @Transactional
    public List<Sent> recordIssues(List<Issue> issues) {
        Map<String, Long> templateIds = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (Issue issue : issues) {
            if (!names.add(issue.sendName())) {
                throw new IllegalArgumentException("two issues are named " + issue.sendName());
            }
            if (!templateIds.containsKey(issue.templateName())) {
                templateIds.put(issue.templateName(), template(issue.templateName(), issue.subject()));
            }
        }
        int n = issues.size();
        String[] sendNames = new String[n];
        Long[] templateOf = new Long[n];
        Timestamp[] at = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            sendNames[i] = issues.get(i).sendName();
            templateOf[i] = templateIds.get(issues.get(i).templateName());
            at[i] = Timestamp.from(issues.get(i).sentAt());
        }
        Map<String, Long> sendIds = new HashMap<>();
        jdbc.sql("""
                        INSERT INTO email_send (name, template_id, status, created_at, completed_at)
                        SELECT name, template_id, 'SENT', at, at
                          FROM unnest(CAST(:names AS text[]), CAST(:templates AS bigint[]), CAST(:at AS timestamptz[]))
                               WITH ORDINALITY AS u(name, template_id, at, i)
                         ORDER BY i
                        RETURNING id, name""")
                .param("names", sendNames)
                .param("templates", templateOf)
                .param("at", at)
                .query((rs, row) -> sendIds.put(rs.getString("name"), rs.getLong("id")))
                .list();
        List<Sent> sent = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sent.add(new Sent(templateOf[i], sendIds.get(sendNames[i])));
        }
        return sent;
    }

    /**
     * Records the messages of recorded sends, each with the send's template and subject and the send key a send
     * gives it ({@code send:<send>:<prospect>}); a message whose key exists already is left alone. Answers how many
     * were recorded.
     */
    @Transactional
    public int recordMessages(List<Message> all) {
        int n = all.size();
        if (n == 0) {
            return 0;
        }
        Long[] sends = new Long[n];
        Long[] prospects = new Long[n];
        Timestamp[] sentAt = new Timestamp[n];
        Timestamp[] openedAt = new Timestamp[n];
        Timestamp[] clickedAt = new Timestamp[n];
        Timestamp[] bouncedAt = new Timestamp[n];
        Timestamp[] unsubscribedAt = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            Message m = all.get(i);
            sends[i] = m.sendId();
            prospects[i] = m.prospectId();
            sentAt[i] = Timestamp.from(m.sentAt());
            Instant opened = m.openedAt();
            if (m.clickedAt() != null && (opened == null || m.clickedAt().isBefore(opened))) {
                opened = m.clickedAt();
            }
            openedAt[i] = timestamp(opened);
            clickedAt[i] = timestamp(m.clickedAt());
            bouncedAt[i] = timestamp(m.bouncedAt());
            unsubscribedAt[i] = timestamp(m.unsubscribedAt());
        }
        return jdbc.sql("""
                        INSERT INTO email_message (send_key, send_id, template_id, prospect_id, subject, status,
                                                   created_at, opened_at, clicked_at, bounced_at, unsubscribed_at)
                        SELECT 'send:' || u.s || ':' || u.p, u.s, s.template_id, u.p, t.subject, 'SENT',
                               u.sent, u.opened, u.clicked, u.bounced, u.unsubscribed
                          FROM unnest(CAST(:sends AS bigint[]), CAST(:prospects AS bigint[]),
                                      CAST(:sent AS timestamptz[]), CAST(:opened AS timestamptz[]),
                                      CAST(:clicked AS timestamptz[]), CAST(:bounced AS timestamptz[]),
                                      CAST(:unsubscribed AS timestamptz[]))
                               WITH ORDINALITY AS u(s, p, sent, opened, clicked, bounced, unsubscribed, i)
                          JOIN email_send s ON s.id = u.s
                          JOIN email_template t ON t.id = s.template_id
                         ORDER BY u.i
                        ON CONFLICT (send_key) DO NOTHING""")
                .param("sends", sends)
                .param("prospects", prospects)
                .param("sent", sentAt)
                .param("opened", openedAt)
                .param("clicked", clickedAt)
                .param("bounced", bouncedAt)
                .param("unsubscribed", unsubscribedAt)
                .update();
    }

    /** A plain newsletter template, validated and stored like one made through the API. */
    private long template(String name, String subject) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        String html = "<html><body><p>Hi {{first_name|there}},</p><p>" + escape(subject) + ".</p>"
                + "<p><a href=\"https://www.example.com/" + slug + "\">Read more</a></p>"
                + "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>";
        String text = "Hi {{first_name|there}},\n" + subject + ".\nhttps://www.example.com/" + slug
                + "\nUnsubscribe: {{unsubscribe_url}}\n";
        return templates
                .create(templates.validate(json.createObjectNode()
                        .put("name", name)
                        .put("subject", subject)
                        .put("html", html)
                        .put("text", text)))
                .id();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }
}
