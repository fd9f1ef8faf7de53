package dev.kindling.email;

import dev.kindling.conditions.ConditionNeeds;
import dev.kindling.conditions.ProspectFactsLoader;
import dev.kindling.email.EmailTemplate.Case;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.mail.MailOutbox;
import dev.kindling.mail.OutgoingMail;
import dev.kindling.platform.outbound.PublicUrl;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends marketing email to prospects, the one way every marketing email goes out (one-off sends, A/B tests,
 * programs). For a batch of recipients, in the caller's transaction: recipients whose send key was used before are
 * left alone (a retry never sends twice); suppressed prospects get a {@code SUPPRESSED} message row with the reason
 * (opted out, hard bounced, do not email, on a suppression list, over the frequency cap) and no mail; the others
 * get a {@code SENT} row, their rendered email in the mail outbox (deduplicated by the same key) and an
 * {@code EMAIL_SENT} activity. A fixed number of statements per batch, whatever its size.
 */
@Component
public class MarketingEmails {

    static final Duration CAP_WINDOW = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final EmailTemplates templates;
    private final MailOutbox outbox;
    private final ActivityIntake intake;
    private final ProspectFactsLoader facts;
    private final LifecycleThresholds thresholds;
    private final EmailTokens tokens;
    private final PublicUrl publicUrl;
    private final Clock clock;
    private final int frequencyCap;
    private final String unsubscribeMailbox;

    MarketingEmails(
            JdbcClient jdbc,
            JsonMapper json,
            EmailTemplates templates,
            MailOutbox outbox,
            ActivityIntake intake,
            ProspectFactsLoader facts,
            LifecycleThresholds thresholds,
            EmailTokens tokens,
            PublicUrl publicUrl,
            Clock clock,
            @Value("${kindling.email.frequency-cap:5}") int frequencyCap,
            @Value("${kindling.email.unsubscribe-mailbox:}") String unsubscribeMailbox) {
        this.jdbc = jdbc;
        this.json = json;
        this.templates = templates;
        this.outbox = outbox;
        this.intake = intake;
        this.facts = facts;
        this.thresholds = thresholds;
        this.tokens = tokens;
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.frequencyCap = frequencyCap;
        this.unsubscribeMailbox = unsubscribeMailbox == null ? "" : unsubscribeMailbox.strip();
    }

    /**
     * One email to one prospect. {@code sendKey} identifies it for ever (e.g. {@code send:12:345} or
     * {@code program:3:step:7:enrollment:99}); {@code subject} overrides the template's (an A/B variant) when not null.
     */
    public record Recipient(long prospectId, String sendKey, Long sendId, String variant, String subject) {}

    /** What became of a recipient: SENT, SUPPRESSED (with the reason), DUPLICATE (key used before) or NO_PROSPECT. */
    public record Outcome(long prospectId, String sendKey, Long messageId, String status, String reason) {}

    /**
     * Why a prospect gets no marketing email; {@code NO_PUBLIC_URL}: Kindling has no public URL for the email's links
     * yet, so the mail is held in the outbox (never sent) with that reason.
     */
    public enum Suppression {
        OPTED_OUT,
        HARD_BOUNCED,
        DO_NOT_EMAIL,
        SUPPRESSION_LIST,
        FREQUENCY_CAP,
        NO_PUBLIC_URL
    }

    /** The reason a held mail shows in the outbox. */
    static final String HELD_REASON = "Not sent: Kindling has no public URL for the links in this email. An admin "
            + "sets it under Settings → Public URL (or KINDLING_PUBLIC_URL); mail held before stays unsent.";

    /** The frequency cap: at most this many marketing emails per prospect in any 7 days. */
    public int frequencyCap() {
        return frequencyCap;
    }

    /** Sends one template to one prospect; see {@link #send(long, List, Set)}. */
    @Transactional
    public Outcome sendOne(long templateId, long prospectId, String sendKey) {
        return send(templateId, List.of(new Recipient(prospectId, sendKey, null, null, null)), Set.of())
                .getFirst();
    }

    /**
     * @param extraSuppressionLists lists whose members are suppressed for this batch, besides the global
     *                              suppression lists
     */
    @Transactional
    public List<Outcome> send(long templateId, List<Recipient> recipients, Set<Long> extraSuppressionLists) {
        EmailTemplate template = templates.get(templateId);
        Instant now = clock.instant();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Map<String, Recipient> fresh = new LinkedHashMap<>();
        for (Recipient r : recipients) {
            fresh.putIfAbsent(r.sendKey(), r);
        }
        jdbc.sql("SELECT id, send_key, prospect_id FROM email_message WHERE send_key = ANY(:keys)")
                .param("keys", fresh.keySet().toArray(String[]::new))
                .query((rs, n) -> outcomes.put(
                        rs.getString("send_key"),
                        new Outcome(
                                rs.getLong("prospect_id"),
                                rs.getString("send_key"),
                                rs.getLong("id"),
                                "DUPLICATE",
                                null)))
                .list();
        fresh.keySet().removeAll(outcomes.keySet());
        if (fresh.isEmpty()) {
            return inOrder(recipients, outcomes);
        }
        Long[] ids = fresh.values().stream()
                .map(Recipient::prospectId)
                .distinct()
                .sorted()
                .toArray(Long[]::new);
        // the frequency cap counts what was sent before: lock the prospects (in id order, like the intake) so two
        // sends at once cannot both see room for one more
        jdbc.sql("SELECT id FROM prospect WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE")
                .param("ids", ids)
                .query(Long.class)
                .list();
        Map<Long, ProspectRow> rows = new HashMap<>();
        jdbc.sql("""
                        SELECT p.id, p.email, p.first_name, p.last_name, p.company, p.job_title, p.department, p.industry,
                               p.country, p.phone, p.website, CAST(p.custom AS text) AS custom,
                               p.opted_out, p.hard_bounced, p.do_not_email,
                               EXISTS (SELECT 1 FROM list_member m
                                        WHERE m.prospect_id = p.id
                                          AND (m.list_id IN (SELECT list_id FROM email_suppression_list)
                                               OR m.list_id = ANY(:extra))) AS suppressed,
                               (SELECT count(*) FROM email_message e
                                 WHERE e.prospect_id = p.id AND e.status = 'SENT' AND e.created_at > :since) AS recent
                          FROM prospect p WHERE p.id = ANY(:ids)""")
                .param("ids", ids)
                .param("extra", extraSuppressionLists.toArray(Long[]::new))
                .param("since", Timestamp.from(now.minus(CAP_WINDOW)))
                .query((rs, n) -> {
                    Map<String, String> values = new HashMap<>();
                    for (Map.Entry<String, String> f : MergeFields.FIELDS.entrySet()) {
                        values.put(f.getKey(), rs.getString(f.getValue()));
                    }
                    JsonNode custom = json.readTree(rs.getString("custom"));
                    custom.properties()
                            .forEach(e -> values.put(
                                    "custom." + e.getKey(),
                                    e.getValue().isNull()
                                            ? null
                                            : e.getValue().isString()
                                                    ? e.getValue().stringValue()
                                                    : e.getValue().toString()));
                    Suppression reason = rs.getBoolean("opted_out")
                            ? Suppression.OPTED_OUT
                            : rs.getBoolean("hard_bounced")
                                    ? Suppression.HARD_BOUNCED
                                    : rs.getBoolean("do_not_email")
                                            ? Suppression.DO_NOT_EMAIL
                                            : rs.getBoolean("suppressed") ? Suppression.SUPPRESSION_LIST : null;
                    return rows.put(
                            rs.getLong("id"),
                            new ProspectRow(rs.getString("email"), values, reason, rs.getInt("recent")));
                })
                .list();

        List<Recipient> known = new ArrayList<>();
        for (Recipient r : fresh.values()) {
            if (rows.containsKey(r.prospectId())) {
                known.add(r);
            } else {
                outcomes.put(r.sendKey(), new Outcome(r.prospectId(), r.sendKey(), null, "NO_PROSPECT", null));
            }
        }
        if (known.isEmpty()) {
            return inOrder(recipients, outcomes);
        }
        List<Long> messageIds = jdbc.sql(
                        "SELECT nextval(pg_get_serial_sequence('email_message', 'id')) FROM generate_series(1, :n)")
                .param("n", known.size())
                .query(Long.class)
                .list();

        Map<Long, ProspectFacts> prospectFacts = Map.of();
        List<Condition> conditions = template.blocks().stream()
                .flatMap(b -> b.cases().stream())
                .map(Case::condition)
                .filter(c -> c != null)
                .toList();
        if (!conditions.isEmpty()) {
            prospectFacts = facts.load(List.of(ids), ConditionNeeds.of(conditions), now);
        }
        ConditionEvaluator evaluator = new ConditionEvaluator(thresholds.current());
        String base = publicUrl.base().orElse(null);

        int n = known.size();
        Long[] mid = new Long[n];
        String[] keys = new String[n];
        Long[] sendIds = new Long[n];
        Long[] prospects = new Long[n];
        String[] variants = new String[n];
        String[] subjects = new String[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        String[] links = new String[n];
        Map<Long, OutgoingMail> mails = new HashMap<>();
        Map<Long, Integer> sentNow = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Recipient r = known.get(i);
            ProspectRow row = rows.get(r.prospectId());
            long messageId = messageIds.get(i);
            Suppression reason = row.reason();
            int sent = sentNow.getOrDefault(r.prospectId(), 0);
            if (reason == null && row.recent() + sent >= frequencyCap) {
                reason = Suppression.FREQUENCY_CAP;
            }
            if (reason == null && base == null) {
                reason = Suppression.NO_PUBLIC_URL;
            }
            String subject = r.subject() == null ? template.subject() : r.subject();
            mid[i] = messageId;
            keys[i] = r.sendKey();
            sendIds[i] = r.sendId();
            prospects[i] = r.prospectId();
            variants[i] = r.variant();
            statuses[i] = reason == null ? "SENT" : "SUPPRESSED";
            reasons[i] = reason == null ? null : reason.name();
            links[i] = "[]";
            if (reason == null) {
                sentNow.merge(r.prospectId(), 1, Integer::sum);
            }
            if (reason == null || reason == Suppression.NO_PUBLIC_URL) {
                // a held mail is rendered with links relative to nothing: it names no host at all
                EmailRenderer.Rendered email = EmailRenderer.render(
                        template,
                        subject,
                        row.values(),
                        prospectFacts.get(r.prospectId()),
                        evaluator,
                        now,
                        messageId,
                        base == null ? "" : base,
                        tokens);
                subjects[i] = email.subject();
                links[i] = json.writeValueAsString(email.links());
                mails.put(
                        messageId,
                        new OutgoingMail(
                                row.email(),
                                email.subject(),
                                email.text(),
                                email.html(),
                                headers(email.unsubscribeUrl(), messageId),
                                r.prospectId(),
                                OutgoingMail.MARKETING));
            } else {
                subjects[i] = subject;
            }
        }
        Set<Long> inserted = new HashSet<>(jdbc.sql("""
                        INSERT INTO email_message (id, send_key, send_id, template_id, prospect_id, variant, subject,
                                                   status, suppressed_reason, links, created_at)
                        SELECT i, k, s, :template, p, v, j, st, r, CAST(l AS jsonb), :now
                          FROM unnest(CAST(:i AS bigint[]), CAST(:k AS text[]), CAST(:s AS bigint[]),
                                      CAST(:p AS bigint[]), CAST(:v AS text[]), CAST(:j AS text[]),
                                      CAST(:st AS text[]), CAST(:r AS text[]), CAST(:l AS text[]))
                               AS u(i, k, s, p, v, j, st, r, l)
                        ON CONFLICT (send_key) DO NOTHING
                        RETURNING id""")
                .param("template", templateId)
                .param("now", Timestamp.from(now))
                .param("i", mid)
                .param("k", keys)
                .param("s", sendIds)
                .param("p", prospects)
                .param("v", variants)
                .param("j", subjects)
                .param("st", statuses)
                .param("r", reasons)
                .param("l", links)
                .query(Long.class)
                .list());
        List<NewActivity> activities = new ArrayList<>();
        List<MailOutbox.Keyed> queued = new ArrayList<>();
        List<MailOutbox.Keyed> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Recipient r = known.get(i);
            if (!inserted.contains(mid[i])) {
                // a concurrent send with the same key won the insert; it sends, this one does not
                outcomes.put(r.sendKey(), new Outcome(r.prospectId(), r.sendKey(), null, "DUPLICATE", null));
                continue;
            }
            outcomes.put(r.sendKey(), new Outcome(r.prospectId(), r.sendKey(), mid[i], statuses[i], reasons[i]));
            OutgoingMail mail = mails.get(mid[i]);
            if (mail != null && reasons[i] != null) {
                held.add(new MailOutbox.Keyed(mail, "email:" + r.sendKey()));
            } else if (mail != null) {
                queued.add(new MailOutbox.Keyed(mail, "email:" + r.sendKey()));
                Map<String, String> properties = new LinkedHashMap<>();
                properties.put("emailId", Long.toString(templateId));
                properties.put("emailName", template.name());
                properties.put("messageId", Long.toString(mid[i]));
                properties.put("subject", mail.subject());
                if (r.sendId() != null) {
                    properties.put("sendId", Long.toString(r.sendId()));
                }
                if (r.variant() != null) {
                    properties.put("variant", r.variant());
                }
                activities.add(new NewActivity(
                        "email-sent-" + mid[i],
                        r.prospectId(),
                        null,
                        null,
                        ActivityType.EMAIL_SENT,
                        null,
                        now,
                        null,
                        properties,
                        false));
            }
        }
        outbox.enqueueAll(queued);
        outbox.hold(held, HELD_REASON);
        intake.accept(activities);
        return inOrder(recipients, outcomes);
    }

    private Map<String, String> headers(String unsubscribeUrl, long messageId) {
        Map<String, String> headers = new LinkedHashMap<>();
        String mailto = unsubscribeMailbox.isEmpty()
                ? ""
                : ", <mailto:" + unsubscribeMailbox + "?subject=unsubscribe-" + tokens.unsubscribe(messageId) + ">";
        headers.put("List-Unsubscribe", "<" + unsubscribeUrl + ">" + mailto);
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        headers.put("X-Kindling-Message", Long.toString(messageId));
        return headers;
    }

    private static List<Outcome> inOrder(List<Recipient> recipients, Map<String, Outcome> outcomes) {
        List<Outcome> out = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) {
            out.add(outcomes.get(r.sendKey()));
        }
        return out;
    }

    private record ProspectRow(String email, Map<String, String> values, Suppression reason, int recent) {}
}
