package dev.kindling.automation;

import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The webhook action and its delivery. The action only inserts one {@code webhook_outbox} row per prospect in the
 * writing transaction (so a call is made exactly for what committed); a worker thread, woken after that commit and
 * otherwise polling, claims due rows (pushing their next attempt one lease ahead, so another instance does not take
 * them too), POSTs them in parallel outside any transaction with a timeout, and records the outcome: delivered on a
 * 2xx, else retried after a doubling pause ({@code kindling.automation.webhook.backoff} … 1 hour), given up after
 * {@value #MAX_ATTEMPTS} attempts (kept with the last error). A failing endpoint never blocks rules or intake.
 */
@Component
class WebhookOutbox implements ActionExecutor<Action.CallWebhook> {

    private static final Logger log = LoggerFactory.getLogger(WebhookOutbox.class);
    static final int MAX_ATTEMPTS = 10;
    static final int BATCH = 50;
    static final Duration LEASE = Duration.ofMinutes(2);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration backoff;
    private final Duration poll;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile boolean running;
    private Thread thread;

    WebhookOutbox(JdbcClient jdbc, Clock clock,
            @Value("${kindling.automation.webhook.backoff:PT2S}") Duration backoff,
            @Value("${kindling.automation.webhook.poll-interval:PT1S}") Duration poll) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.backoff = backoff;
        this.poll = poll;
    }

    @Override
    public Class<Action.CallWebhook> kind() {
        return Action.CallWebhook.class;
    }

    @Override
    public void execute(Action.CallWebhook action, List<Long> ids, ActionSource source) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        INSERT INTO webhook_outbox (url, body, source, created_at, next_attempt_at)
                        SELECT :url,
                               jsonb_build_object(
                                   'source', CAST(:source AS text),
                                   'rule', CASE WHEN CAST(:ruleId AS bigint) IS NULL THEN NULL
                                                ELSE jsonb_build_object('id', CAST(:ruleId AS bigint), 'name', CAST(:name AS text)) END,
                                   'prospect', jsonb_build_object('id', p.id, 'email', p.email, 'firstName', p.first_name,
                                       'lastName', p.last_name, 'company', p.company, 'score', p.score, 'grade', p.grade,
                                       'stage', p.stage, 'doNotEmail', p.do_not_email),
                                   'at', CAST(:now AS timestamptz)),
                               :source, :now, :now
                          FROM prospect p WHERE p.id = ANY(:ids)
                         ORDER BY p.id""")
                .param("url", action.url().toString()).param("source", source.cause())
                .param("ruleId", source.ruleId()).param("name", source.name())
                .param("now", now).param("ids", ids.toArray(Long[]::new))
                .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    record Delivery(long id, String url, String body, int attempts) {
    }

    /** Delivers what is due now; returns how many calls were made. */
    int deliverDue() {
        Instant now = clock.instant();
        List<Delivery> due = jdbc.sql("""
                        UPDATE webhook_outbox o SET next_attempt_at = :lease, attempts = o.attempts + 1
                         WHERE o.id IN (SELECT id FROM webhook_outbox
                                         WHERE next_attempt_at <= :now
                                         ORDER BY next_attempt_at, id
                                         LIMIT :limit
                                           FOR UPDATE SKIP LOCKED)
                        RETURNING o.id, o.url, o.body::text, o.attempts""")
                .param("lease", Timestamp.from(now.plus(LEASE))).param("now", Timestamp.from(now))
                .param("limit", BATCH)
                .query((rs, n) -> new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
                .list();
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (Delivery d : due) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(d.url())).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("User-Agent", "Kindling-Webhook")
                    .POST(HttpRequest.BodyPublishers.ofString(d.body())).build();
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode())
                    .exceptionally(e -> String.valueOf(e.getCause() == null ? e : e.getCause())));
        }
        for (int i = 0; i < due.size(); i++) {
            Delivery d = due.get(i);
            String error;
            try {
                error = calls.get(i).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                error = String.valueOf(e);
            }
            Instant done = clock.instant();
            if (error == null) {
                jdbc.sql("UPDATE webhook_outbox SET delivered_at = :now, next_attempt_at = NULL, last_error = NULL WHERE id = :id")
                        .param("now", Timestamp.from(done)).param("id", d.id()).update();
            } else {
                Instant next = d.attempts() >= MAX_ATTEMPTS ? null : done.plus(pause(d.attempts()));
                if (next == null) {
                    log.warn("Webhook {} to {} given up after {} attempts: {}", d.id(), d.url(), d.attempts(), error);
                }
                jdbc.sql("UPDATE webhook_outbox SET next_attempt_at = :next, last_error = :error WHERE id = :id")
                        .param("next", next == null ? null : Timestamp.from(next))
                        .param("error", error.length() > 500 ? error.substring(0, 500) : error)
                        .param("id", d.id()).update();
            }
        }
        return due.size();
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
    synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("kindling-webhooks").start(this::loop);
    }

    private void loop() {
        while (running) {
            int n = 0;
            try {
                n = deliverDue();
            } catch (RuntimeException e) {
                log.warn("Webhook delivery run failed; retrying in {}", poll, e);
            }
            if (n < BATCH) {
                LockSupport.parkNanos(poll.toNanos());
            }
        }
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            LockSupport.unpark(thread);
            thread.join(10_000);
            thread = null;
        }
    }
}
