package dev.kindling.programs;

import dev.kindling.platform.time.Recurring;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves due enrollments on: reads only due rows ({@code status = 'ACTIVE' AND due_at <= now}, the partial index),
 * oldest first, {@value #BATCH} per transaction, {@code FOR UPDATE SKIP LOCKED} so several sweepers (or instances)
 * take disjoint rows and the intake never waits on a sweep. Driven by the injected clock. After an advance every
 * enrollment is due strictly later than the sweep's instant, so a sweep always drains.
 */
@Component
public class ProgramSweeper {

    static final int BATCH = 500;

    private final EnrollmentRows rows;
    private final ProgramAdvancer advancer;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Recurring recurring;

    ProgramSweeper(EnrollmentRows rows, ProgramAdvancer advancer, PlatformTransactionManager transactions, Clock clock,
            @Value("${kindling.programs.sweep-interval:PT5S}") Duration interval) {
        this.rows = rows;
        this.advancer = advancer;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.recurring = new Recurring("program-sweep", interval, this::runDue);
    }

    /** Advances every enrollment due now, batch by batch; returns how many were due. */
    public int runDue() {
        Instant now = clock.instant();
        int total = 0;
        int n;
        do {
            n = runBatch(now);
            total += n;
        } while (n == BATCH);
        return total;
    }

    private int runBatch(Instant now) {
        Integer n = tx.execute(status -> {
            var due = rows.lockDue(now, BATCH);
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
    }
}
