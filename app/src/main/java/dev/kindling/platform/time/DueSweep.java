package dev.kindling.platform.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one due-sweep loop of the app: rows carry the instant they next need a look (a {@code *_check_at} or
 * {@code next_*_at} column under a partial index); a sweep claims only rows whose instant has come — oldest first,
 * {@code batch} per transaction, {@code FOR NO KEY UPDATE SKIP LOCKED} so intake and other instances never wait on
 * it — lets the job handle them in the same transaction, and takes batches until one comes back short. The instant is the
 * injected clock's, read per batch. Never a scan of all rows. It runs on a {@link Recurring} thread every
 * {@code interval} (none when the interval is zero: tests call {@link #runDue()} by hand).
 *
 * <p>A job plugs in with a {@link Job}: its claim query ({@link #claim} writes the part every sweep shares) and
 * what it does with the claimed rows.
 *
 * @param <T> a claimed row
 * @param <R> what handling a batch yields (counts the job reports)
 */
public final class DueSweep<T, R> {

    /** One job's part of a sweep. */
    public interface Job<T, R> {

        /** The rows due at {@code now}, at most {@code limit}, locked: a query built with {@link #claim}. */
        List<T> claim(Instant now, int limit);

        /** Handles claimed rows (never empty) in the claim's transaction; moves each row's due instant on. */
        R handle(List<T> due, Instant now);
    }

    /** What a sweep did: how many due rows it handled, and what each batch yielded. */
    public record Run<R>(int due, List<R> batches) {}

    private final TransactionTemplate tx;
    private final Clock clock;
    private final int batch;
    private final Job<T, R> job;
    private final Recurring recurring;

    public DueSweep(
            String name,
            Duration interval,
            int batch,
            Clock clock,
            PlatformTransactionManager transactions,
            Job<T, R> job) {
        if (batch < 1) {
            throw new IllegalArgumentException("a sweep batch holds at least one row");
        }
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.batch = batch;
        this.job = job;
        this.recurring = new Recurring(name, interval, this::runDue);
    }

    /**
     * The claim query every sweep shares: {@code selectFrom} (columns, FROM and aliases) restricted to rows whose
     * {@code dueColumn} has come and that meet {@code conditions} (SQL, or null for none), oldest first,
     * {@code :limit} of them, locked and skipping rows another transaction holds. Parameters: {@code :now} and
     * {@code :limit}.
     *
     * <p>The lock is {@code FOR NO KEY UPDATE}: a sweep updates the rows it claims but never deletes them or changes
     * their keys, so it need not keep out inserts that only reference a claimed row (their foreign key checks, and the
     * accept's lock of the prospects it attributes activities to, take {@code FOR KEY SHARE}). With {@code FOR
     * UPDATE}, an accept naming a claimed prospect waited until the sweep committed — and the condition checks hold up
     * to a thousand prospects while every watcher evaluates them (W1 at the realistic configuration,
     * docs/benchmarks.md). Two writers of a row still take turns, a merge or an erasure ({@code FOR UPDATE}) still
     * waits for the sweep, and the sweep skips the rows they hold.
     */
    public static String claim(String selectFrom, String dueColumn, String conditions) {
        return claim(selectFrom, dueColumn, conditions, null);
    }

    /**
     * {@link #claim(String, String, String)} locking only the rows of {@code lockOf} (a table alias of
     * {@code selectFrom}; null for all): for a due instant kept in a table of its own, joined to the row the job
     * writes (the prospects' instants in {@code prospect_due}, their rows locked).
     */
    public static String claim(String selectFrom, String dueColumn, String conditions, String lockOf) {
        return selectFrom + " WHERE " + dueColumn + " <= :now" + (conditions == null ? "" : " AND " + conditions)
                + " ORDER BY " + dueColumn + " LIMIT :limit FOR NO KEY UPDATE" + (lockOf == null ? "" : " OF " + lockOf)
                + " SKIP LOCKED";
    }

    /** Handles every row due now, batch by batch. */
    public Run<R> runDue() {
        int total = 0;
        List<R> yields = new ArrayList<>();
        int n;
        do {
            List<R> yielded = new ArrayList<>(1);
            Integer taken = tx.execute(status -> {
                Instant now = clock.instant();
                List<T> due = job.claim(now, batch);
                if (!due.isEmpty()) {
                    yielded.add(job.handle(due, now));
                }
                return due.size();
            });
            n = taken == null ? 0 : taken;
            total += n;
            yields.addAll(yielded);
        } while (n == batch);
        return new Run<>(total, yields);
    }

    public void start() {
        recurring.start();
    }

    public void stop() throws InterruptedException {
        recurring.stop();
    }
}
