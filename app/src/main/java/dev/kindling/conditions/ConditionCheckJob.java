package dev.kindling.conditions;

import dev.kindling.platform.time.Recurring;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

    static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ConditionWatchers watchers;
    private final Recurring recurring;

    ConditionCheckJob(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock,
            ConditionWatchers watchers, @Value("${kindling.conditions.check-interval:PT5S}") Duration interval) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.watchers = watchers;
        this.recurring = new Recurring("condition-checks", interval, this::runDue);
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
    void start() {
        recurring.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        recurring.stop();
    }
}
