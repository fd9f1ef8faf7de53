package dev.kindling.mail;

import dev.kindling.platform.outbound.Outbox;
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
 * pause with jitter ({@code kindling.mail.backoff}, 30 s … 1 hour, {@link Outbox.Retry}), FAILED after
 * {@value #MAX_ATTEMPTS} attempts or at once when retrying cannot help (an invalid address). The claim, the worker
 * and the retry are the app's one {@link Outbox} mechanism. Runs after the commit that queued mail (woken) and otherwise every
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
    record Claimed(
            long id,
            String to,
            String subject,
            String text,
            String html,
            Map<String, String> headers,
            int attempts,
            String messageId) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SmtpTransport smtp;
    private final JsonMapper json;
    private final Outbox.Retry retry;
    private final Outbox outbox;

    MailDelivery(
            JdbcClient jdbc,
            Clock clock,
            SmtpTransport smtp,
            JsonMapper json,
            @Value("${kindling.mail.backoff:PT30S}") Duration backoff,
            @Value("${kindling.mail.poll-interval:PT5S}") Duration poll) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.smtp = smtp;
        this.json = json;
        this.retry = new Outbox.Retry(backoff, MAX_BACKOFF, MAX_ATTEMPTS);
        this.outbox = new Outbox("mail", poll, BATCH, this::sendDue);
    }

    void wake() {
        outbox.wake();
    }

    void wakeAfterCommit() {
        outbox.wakeAfterCommit();
    }

    /** Sends what is due now; returns how many rows were claimed. */
    int sendDue() {
        if (!smtp.configured()) {
            return 0;
        }
        Instant now = clock.instant();
        String domain = smtp.idDomain();
        List<Claimed> due = jdbc.sql(
                        Outbox.claim(
                                "mail_outbox",
                                "status = 'PENDING'",
                                "message_id = coalesce(o.message_id, '<kindling.' || o.id || '.' || :salt || '@' || :domain || '>')",
                                "o.id, o.to_address, o.subject, o.text_body, o.html_body, o.headers::text, o.attempts, o.message_id"))
                .param("lease", Timestamp.from(now.plus(LEASE)))
                .param("now", Timestamp.from(now))
                .param("limit", BATCH)
                .param("domain", domain)
                .param("salt", salt())
                .query((rs, n) -> new Claimed(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        json.readValue(rs.getString(6), new TypeReference<Map<String, String>>() {}),
                        rs.getInt(7),
                        rs.getString(8)))
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
            Instant next = f.permanent() ? null : retry.next(c.attempts(), done);
            boolean giveUp = next == null;
            if (giveUp) {
                log.warn("Mail {} to outbox row given up after {} attempts: {}", c.id(), c.attempts(), f.error());
            }
            jdbc.sql("""
                            UPDATE mail_outbox SET status = :status, next_attempt_at = :next, last_error = :error
                             WHERE id = :id""")
                    .param("status", giveUp ? "FAILED" : "PENDING")
                    .param("next", giveUp ? null : Timestamp.from(next))
                    .param("error", f.error())
                    .param("id", c.id())
                    .update();
        }
        if (!sent.isEmpty()) {
            jdbc.sql("""
                            UPDATE mail_outbox SET status = 'SENT', sent_at = :now, next_attempt_at = NULL, last_error = NULL
                             WHERE id = ANY(:ids)""")
                    .param("now", Timestamp.from(done))
                    .param("ids", sent.toArray(Long[]::new))
                    .update();
        }
        return due.size();
    }

    /** A few random hex digits in each new Message-ID, so ids from two databases never collide. */
    private static String salt() {
        byte[] b = new byte[6];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (smtp.configured()) {
            outbox.start();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        outbox.stop();
    }
}
