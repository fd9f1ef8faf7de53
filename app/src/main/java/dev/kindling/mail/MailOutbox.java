package dev.kindling.mail;

import dev.kindling.engine.identity.EmailAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where every email starts: {@link #enqueue} writes one {@code mail_outbox} row in the caller's transaction and
 * returns at once (no network). The same dedupe key twice is one mail: the second call returns false. After the
 * transaction commits the delivery worker is woken; with SMTP configured the row is PENDING until sent, without it
 * the row is LOCAL and stays in the outbox to be read on the Outbox page.
 */
@Component
public class MailOutbox {

    /** One mail with its dedupe key, for {@link #enqueueAll}. */
    public record Keyed(OutgoingMail mail, String dedupeKey) {}

    static final int MAX_KEY = 500;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SmtpTransport smtp;
    private final MailDelivery delivery;
    private final JsonMapper json;

    MailOutbox(JdbcClient jdbc, Clock clock, SmtpTransport smtp, MailDelivery delivery, JsonMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.smtp = smtp;
        this.delivery = delivery;
        this.json = json;
    }

    /**
     * Queues {@code mail} unless a mail with this dedupe key exists; true if it was queued. Refuses
     * ({@link IllegalArgumentException}) a recipient that is not an email address or a blank key.
     */
    public boolean enqueue(OutgoingMail mail, String dedupeKey) {
        return enqueueAll(List.of(new Keyed(mail, dedupeKey))) == 1;
    }

    /** Queues many mails in one statement; returns how many were new (the others' keys existed). */
    public int enqueueAll(List<Keyed> mails) {
        boolean send = smtp.configured();
        int inserted = insert(mails, send ? "PENDING" : "LOCAL", null);
        if (send && inserted > 0) {
            delivery.wakeAfterCommit();
        }
        return inserted;
    }

    /**
     * Keeps these mails in the outbox as HELD, never sent, with {@code reason} shown as their last error (e.g. marketing
     * mail while Kindling has no public URL for its links); deduplicated like {@link #enqueueAll}.
     */
    public int hold(List<Keyed> mails, String reason) {
        return insert(mails, "HELD", reason);
    }

    private int insert(List<Keyed> mails, String status, String reason) {
        if (mails.isEmpty()) {
            return 0;
        }
        int n = mails.size();
        String[] keys = new String[n];
        String[] kinds = new String[n];
        String[] to = new String[n];
        String[] subjects = new String[n];
        String[] texts = new String[n];
        String[] htmls = new String[n];
        String[] headers = new String[n];
        Long[] prospects = new Long[n];
        for (int i = 0; i < n; i++) {
            Keyed k = mails.get(i);
            OutgoingMail m = k.mail();
            if (k.dedupeKey() == null
                    || k.dedupeKey().isBlank()
                    || k.dedupeKey().length() > MAX_KEY) {
                throw new IllegalArgumentException("A mail needs a dedupe key of 1 to " + MAX_KEY + " characters");
            }
            if (EmailAddress.parse(m.to()) == null) {
                throw new IllegalArgumentException("Not an email address: " + m.to());
            }
            keys[i] = k.dedupeKey();
            kinds[i] = m.kind();
            to[i] = m.to();
            subjects[i] = m.subject();
            texts[i] = m.text();
            htmls[i] = m.html();
            headers[i] = json.writeValueAsString(m.headers());
            prospects[i] = m.prospectId();
        }
        Timestamp now = Timestamp.from(clock.instant());
        // a prospect erased meanwhile leaves the mail without one rather than failing the caller;
        // ORDER BY the key so two transactions queueing overlapping keys lock them in the same order
        return jdbc.sql("""
                        INSERT INTO mail_outbox (dedupe_key, kind, to_address, subject, text_body, html_body, headers,
                                                 prospect_id, status, created_at, next_attempt_at, last_error)
                        SELECT k, kind, t, s, tx, h, CAST(hd AS jsonb), (SELECT id FROM prospect WHERE id = p), :status, :now,
                               CAST(:next AS timestamptz), CAST(:reason AS text)
                          FROM unnest(CAST(:keys AS text[]), CAST(:kinds AS text[]), CAST(:to AS text[]),
                                      CAST(:subjects AS text[]), CAST(:texts AS text[]), CAST(:htmls AS text[]),
                                      CAST(:headers AS text[]), CAST(:prospects AS bigint[]))
                               AS m(k, kind, t, s, tx, h, hd, p)
                         ORDER BY k
                        ON CONFLICT (dedupe_key) DO NOTHING""")
                .param("status", status)
                .param("now", now)
                .param("next", "PENDING".equals(status) ? now : null)
                .param("reason", reason)
                .param("keys", keys)
                .param("kinds", kinds)
                .param("to", to)
                .param("subjects", subjects)
                .param("texts", texts)
                .param("htmls", htmls)
                .param("headers", headers)
                .param("prospects", prospects)
                .update();
    }

    /** Whether mail is sent over SMTP (else it stays LOCAL). */
    public boolean sends() {
        return smtp.configured();
    }

    static List<String> statuses() {
        return new ArrayList<>(List.of("PENDING", "SENT", "FAILED", "LOCAL", "HELD"));
    }
}
