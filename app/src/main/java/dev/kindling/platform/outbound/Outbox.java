package dev.kindling.platform.outbound;

import dev.kindling.platform.time.Recurring;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one outbox mechanism of the app (mail and webhooks): rows are queued in the caller's transaction; a worker,
 * woken after that commit ({@link #wakeAfterCommit}) and otherwise polling, claims due rows ({@link #claim}:
 * {@code FOR UPDATE SKIP LOCKED}, each claimed row's next attempt pushed one lease ahead and its attempt counted, so a
 * second instance or a crash never delivers a row twice at once), delivers them outside any transaction and records
 * each outcome; a failed attempt is retried after the {@link Retry} pause — exponential backoff with jitter — until
 * its attempts run out. The worker takes batches until one comes back short.
 */
public final class Outbox {

    /**
     * When to try again: {@code base} after the first failed attempt, doubled per attempt up to {@code max}, with
     * jitter — a random 0–10 % taken off each pause, so rows that failed together (an endpoint that was down) do not
     * all come back in the same instant; given up after {@code maxAttempts}.
     */
    public record Retry(Duration base, Duration max, int maxAttempts) {

        /** The pause after the {@code attempts}-th failed attempt, before jitter. */
        public Duration backoff(int attempts) {
            Duration pause = base;
            for (int i = 1; i < attempts && pause.compareTo(max) < 0; i++) {
                pause = pause.multipliedBy(2);
            }
            return pause.compareTo(max) > 0 ? max : pause;
        }

        /** The pause after the {@code attempts}-th failed attempt, jitter included. */
        public Duration pause(int attempts) {
            Duration backoff = backoff(attempts);
            long millis = backoff.toMillis();
            return backoff.minusMillis(
                    (long) (millis * 0.1 * ThreadLocalRandom.current().nextDouble()));
        }

        /** When to make attempt {@code attempts + 1} after a failure at {@code now}, or null to give up. */
        public Instant next(int attempts, Instant now) {
            return attempts >= maxAttempts ? null : now.plus(pause(attempts));
        }
    }

    private final int batch;
    private final IntSupplier deliverDue;
    private final Recurring recurring;

    /**
     * @param deliverDue claims up to {@code batch} due rows, delivers them and records the outcomes; returns how many
     *                   it claimed
     */
    public Outbox(String name, Duration poll, int batch, IntSupplier deliverDue) {
        this.batch = batch;
        this.deliverDue = deliverDue;
        this.recurring = new Recurring(name, poll, this::drain);
    }

    /**
     * The claim every outbox shares: on {@code table}, the rows that meet {@code conditions} and whose
     * {@code next_attempt_at} has come, oldest first, {@code :limit} of them, locked and skipping rows another
     * transaction holds; their next attempt set to {@code :lease}, their attempts counted, {@code alsoSet} (SQL, or
     * null) applied, {@code returning} returned. Parameters: {@code :now}, {@code :lease}, {@code :limit}.
     */
    public static String claim(String table, String conditions, String alsoSet, String returning) {
        return "UPDATE " + table + " o SET next_attempt_at = :lease, attempts = o.attempts + 1"
                + (alsoSet == null ? "" : ", " + alsoSet)
                + " WHERE o.id IN (SELECT id FROM " + table + " WHERE "
                + (conditions == null ? "" : conditions + " AND ")
                + "next_attempt_at <= :now ORDER BY next_attempt_at, id LIMIT :limit FOR UPDATE SKIP LOCKED)"
                + " RETURNING " + returning;
    }

    private void drain() {
        while (deliverDue.getAsInt() == batch) {
            // a full batch: there may be more due now
        }
    }

    /** Delivers now instead of at the end of the poll pause. */
    public void wake() {
        recurring.wake();
    }

    /** Wakes the worker after the current transaction commits (at once when there is none). */
    public void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    recurring.wake();
                }
            });
        } else {
            recurring.wake();
        }
    }

    public void start() {
        recurring.start();
    }

    public void stop() throws InterruptedException {
        recurring.stop();
    }
}
