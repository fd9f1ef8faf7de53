package dev.kindling.mail;

import dev.kindling.platform.time.Recurring;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends PENDING mail. A run claims due rows with {@code FOR UPDATE SKIP LOCKED}, pushing their next attempt one lease
 * ahead and counting the attempt (so a second instance or a crash cannot send a row twice at once), sends them over one
 * SMTP connection outside any transaction, then marks each SENT with its Message-ID, or retries it after a doubling
 * pause ({@code kindling.mail.backoff}, 30 s … 1 hour), FAILED after {@value #MAX_ATTEMPTS} attempts or at once when
 * retrying cannot help (an invalid address). Runs after the commit that queued mail (woken) and otherwise every
 * {@code kindling.mail.poll-interval}; does nothing when no SMTP server is configured.
 */
@Component
class MailDelivery {

    private static final Logger log = LoggerFactory.getLogger(MailDelivery.class);
    static final int MAX_ATTEMPTS = 10;
    static final int BATCH = 50;
    static final Duration LEASE = Duration.ofMinutes(10);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    /** A claimed row, with the Message-ID it is sent with. */
    record Claimed(long id, String to, String subject, String text, String html, Map<String, String> headers,
            int attempts, String messageId) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SmtpTransport smtp;
    private final JsonMapper json;
    private final Duration backoff;
    private final Recurring recurring;

    MailDelivery(JdbcClient jdbc, Clock clock, SmtpTransport smtp, JsonMapper json,
            @Value("${kindling.mail.backoff:PT30S}") Duration backoff,
            @Value("${kindling.mail.poll-interval:PT5S}") Duration poll) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.smtp = smtp;
        this.json = json;
        this.backoff = backoff;
        this.recurring = new Recurring("mail", poll, this::drain);
    }

    void wake() {
        recurring.wake();
    }

    private void drain() {
        while (sendDue() == BATCH) {
            // a full batch: there may be more due now
        }
    }

    /** Sends what is due now; returns how many rows were claimed. */
    int sendDue() {
        if (!smtp.configured()) {
            return 0;
        }
        Instant now = clock.instant();
        String domain = smtp.idDomain();
        List<Claimed> due = jdbc.sql("""
                        UPDATE mail_outbox o SET next_attempt_at = :lease, attempts = o.attempts + 1,
                               message_id = coalesce(o.message_id, '<kindling.' || o.id || '.' || :salt || '@' || :domain || '>')
                         WHERE o.id IN (SELECT id FROM mail_outbox
                                         WHERE status = 'PENDING' AND next_attempt_at <= :now
                                         ORDER BY next_attempt_at, id
                                         LIMIT :limit
                                           FOR UPDATE SKIP LOCKED)
                        RETURNING o.id, o.to_address, o.subject, o.text_body, o.html_body, o.headers::text,
                                  o.attempts, o.message_id""")
                .param("lease", Timestamp.from(now.plus(LEASE))).param("now", Timestamp.from(now))
                .param("limit", BATCH).param("domain", domain).param("salt", salt())
                .query((rs, n) -> new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), json.readValue(rs.getString(6), new TypeReference<Map<String, String>>() {
                        }), rs.getInt(7), rs.getString(8)))
                .list();
        if (due.isEmpty()) {
            return 0;
        }
        Map<Long, SmtpTransport.Failure> failures = smtp.send(due);
        Instant done = clock.instant();
        List<Long> sent = new ArrayList<>();
        for (Claimed c : due) {
            SmtpTransport.Failure f = failures.get(c.id());
            if (f == null) {
                sent.add(c.id());
                continue;
            }
            boolean giveUp = f.permanent() || c.attempts() >= MAX_ATTEMPTS;
            if (giveUp) {
                log.warn("Mail {} to outbox row given up after {} attempts: {}", c.id(), c.attempts(), f.error());
            }
            jdbc.sql("""
                            UPDATE mail_outbox SET status = :status, next_attempt_at = :next, last_error = :error
                             WHERE id = :id""")
                    .param("status", giveUp ? "FAILED" : "PENDING")
                    .param("next", giveUp ? null : Timestamp.from(done.plus(pause(c.attempts()))))
                    .param("error", f.error()).param("id", c.id()).update();
        }
        if (!sent.isEmpty()) {
            jdbc.sql("""
                            UPDATE mail_outbox SET status = 'SENT', sent_at = :now, next_attempt_at = NULL, last_error = NULL
                             WHERE id = ANY(:ids)""")
                    .param("now", Timestamp.from(done)).param("ids", sent.toArray(Long[]::new)).update();
        }
        return due.size();
    }

    /** A few random hex digits in each new Message-ID, so ids from two databases never collide. */
    private static String salt() {
        byte[] b = new byte[6];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The pause after the {@code attempts}-th failed attempt: backoff, doubled each time, at most an hour. */
    Duration pause(int attempts) {
        Duration pause = backoff;
        for (int i = 1; i < attempts && pause.compareTo(MAX_BACKOFF) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : pause;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (smtp.configured()) {
            recurring.start();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        recurring.stop();
    }
}
