package dev.kindling.conditions;

import dev.kindling.platform.time.DueSweep;
import dev.kindling.prospects.ProspectRows;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Re-evaluates watched conditions at the instant a time-relative one can flip ("no activity in 90 days") for
 * prospects that did not change meanwhile. It reads only due rows — {@code prospect_due.condition_check_at <= now}, oldest
 * first, {@value #BATCH} per transaction, {@code FOR NO KEY UPDATE SKIP LOCKED} so intake never waits on it — and lets
 * {@link ConditionWatchers} evaluate them, which also sets their next check. Never a scan of all prospects.
 */
@Component
public class ConditionCheckJob {

    static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final ConditionWatchers watchers;
    private final DueSweep<Long, Integer> sweep;

    ConditionCheckJob(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            ConditionWatchers watchers,
            @Value("${kindling.conditions.check-interval:PT5S}") Duration interval) {
        this.jdbc = jdbc;
        this.watchers = watchers;
        this.sweep = new DueSweep<>("condition-checks", interval, BATCH, clock, transactions, new DueSweep.Job<>() {
            public List<Long> claim(Instant now, int limit) {
                return jdbc.sql(ProspectRows.claimDue("p.id", "condition_check_at", null))
                        .param("now", Timestamp.from(now))
                        .param("limit", limit)
                        .query(Long.class)
                        .list();
            }

            public Integer handle(List<Long> due, Instant now) {
                watchers.evaluate(due);
                return due.size();
            }
        });
    }

    /** Re-evaluates every prospect whose condition check is due now; returns how many were due. */
    public int runDue() {
        return sweep.runDue().due();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        sweep.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        sweep.stop();
    }
}
