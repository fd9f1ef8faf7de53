package dev.kindling.conditions;

import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-evaluates watched conditions at the instant a time-relative one can flip ("no activity in 90 days") for
 * prospects that did not change meanwhile. It reads only due rows — {@code condition_check_at <= now}, oldest
 * first, {@value #BATCH} per transaction, {@code FOR UPDATE SKIP LOCKED} so intake never waits on it — and lets
 * {@link ConditionWatchers} evaluate them, which also sets their next check. Never a scan of all prospects.
 */
@Component
public class ConditionCheckJob {

    private static final Logger log = LoggerFactory.getLogger(ConditionCheckJob.class);
    static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ConditionWatchers watchers;
    private final Duration interval;
    private volatile boolean running;
    private Thread thread;

    ConditionCheckJob(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock,
            ConditionWatchers watchers, @Value("${kindling.conditions.check-interval:PT5S}") Duration interval) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.watchers = watchers;
        this.interval = interval;
    }

    /** Re-evaluates every prospect whose condition check is due now; returns how many were due. */
    public int runDue() {
        int total = 0;
        int n;
        do {
            n = runBatch();
            total += n;
        } while (n == BATCH);
        return total;
    }

    private int runBatch() {
        Integer n = tx.execute(status -> {
            List<Long> due = jdbc.sql("""
                            SELECT p.id FROM prospect p
                             WHERE p.condition_check_at <= :now
                             ORDER BY p.condition_check_at
                             LIMIT :limit
                               FOR UPDATE SKIP LOCKED""")
                    .param("now", Timestamp.from(clock.instant())).param("limit", BATCH)
                    .query(Long.class)
                    .list();
            if (!due.isEmpty()) {
                watchers.evaluate(due);
            }
            return due.size();
        });
        return n == null ? 0 : n;
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        if (thread != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("kindling-condition-checks").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                runDue();
            } catch (RuntimeException e) {
                log.warn("Condition check run failed; retrying in {}", interval, e);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
            thread = null;
        }
    }
}
