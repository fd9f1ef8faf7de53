package dev.kindling.programs;

import dev.kindling.platform.database.ConflictRetry;
import dev.kindling.platform.time.Recurring;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves due enrollments on: reads only due rows ({@code status = 'ACTIVE' AND due_at <= now}, the partial index),
 * oldest first, {@code kindling.programs.sweep-batch} per transaction, {@code FOR UPDATE SKIP LOCKED} so several
 * sweepers (or instances) take disjoint rows and the intake never waits on a sweep. A sweep runs
 * {@code kindling.programs.sweep-workers} transactions side by side (the batch's time is mostly waiting on the
 * database, so they overlap even on few cores); each worker takes batches until one comes back short. Driven by the
 * injected clock. After an advance every enrollment is due strictly later than the sweep's instant, so a sweep always
 * drains.
 */
@Component
public class ProgramSweeper {

    private final EnrollmentRows rows;
    private final ProgramAdvancer advancer;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Recurring recurring;
    private final int batch;
    private final int workers;
    private final ExecutorService pool;

    ProgramSweeper(
            EnrollmentRows rows,
            ProgramAdvancer advancer,
            PlatformTransactionManager transactions,
            Clock clock,
            @Value("${kindling.programs.sweep-interval:PT0.25S}") Duration interval,
            @Value("${kindling.programs.sweep-batch:2000}") int batch,
            @Value("${kindling.programs.sweep-workers:2}") int workers) {
        if (batch < 1 || workers < 1) {
            throw new IllegalArgumentException("kindling.programs.sweep-batch and sweep-workers must be at least 1");
        }
        this.rows = rows;
        this.advancer = advancer;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.batch = batch;
        this.workers = workers;
        // the calling thread is one worker; the others run here
        this.pool = workers == 1
                ? null
                : Executors.newFixedThreadPool(
                        workers - 1,
                        Thread.ofPlatform()
                                .daemon()
                                .name("kindling-program-sweep-", 1)
                                .factory());
        this.recurring = new Recurring("program-sweep", interval, this::runDue);
    }

    /** Advances every enrollment due now, batch by batch, on every worker; returns how many were due. */
    public int runDue() {
        Instant now = clock.instant();
        if (pool == null) {
            return drain(now);
        }
        List<CompletableFuture<Integer>> others = new ArrayList<>();
        for (int i = 1; i < workers; i++) {
            others.add(CompletableFuture.supplyAsync(() -> drain(now), pool));
        }
        int total = drain(now);
        try {
            for (CompletableFuture<Integer> other : others) {
                total += other.join();
            }
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
        return total;
    }

    /** One worker: batches until one is short (nothing due is left that another worker does not hold). */
    private int drain(Instant now) {
        int total = 0;
        int n;
        do {
            n = runBatch(now);
            total += n;
        } while (n == batch);
        return total;
    }

    private int runBatch(Instant now) {
        // a deadlock or serialization failure with another transaction (two workers scoring one prospect enrolled in
        // two programs) rolls the batch back whole, so it is simply taken again
        Integer n = ConflictRetry.inTransaction(tx, "program sweep batch", () -> {
            var due = rows.lockDue(now, batch);
            advancer.advance(due, now);
            return due.size();
        });
        return n == null ? 0 : n;
    }

    /** Sweeps now instead of at the end of the pause (after a start enrolled many prospects). */
    public void wake() {
        recurring.wake();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        recurring.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        recurring.stop();
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
