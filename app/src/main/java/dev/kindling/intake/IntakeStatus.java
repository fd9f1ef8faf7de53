package dev.kindling.intake;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How far behind intake is: the activities accepted but not yet processed, and how long the
 * oldest of them has waited. Read from the queue itself, so it is right across instances and
 * restarts; also published as the gauges {@code kindling.intake.pending} and
 * {@code kindling.intake.lag} (milliseconds).
 */
@Component
public class IntakeStatus {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate tx;

    IntakeStatus(JdbcClient jdbc, Clock clock, MeterRegistry registry, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.tx.setReadOnly(true);
        this.clock = clock;
        Gauge.builder("kindling.intake.pending", this, s -> s.current().pending())
                .description("Activities accepted but not yet processed")
                .register(registry);
        Gauge.builder("kindling.intake.lag", this, s -> s.current().lagMillis())
                .description("How long the oldest unprocessed activity has waited")
                .baseUnit("milliseconds")
                .register(registry);
    }

    /** Pending activities and the age of the oldest (0 when none is pending). */
    public record Snapshot(long pending, long lagMillis) {}

    public Snapshot current() {
        // The queue is its own narrow table (activity_queue, V640): read through its primary key, not a scan of the
        // heap, which statistics taken while a backlog was large made the planner pick (measured during W1 on the
        // partial index of activity this replaced: the largest single item of database time). The setting is put back
        // after the count, should a caller's transaction surround this.
        return tx.execute(status -> {
            String seqscan = jdbc.sql(
                            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
                    .query((rs, n) -> rs.getString(1))
                    .single();
            Snapshot snapshot = jdbc.sql("SELECT count(*), min(received_at) FROM activity_queue")
                    .query((rs, n) -> {
                        long pending = rs.getLong(1);
                        Timestamp oldest = rs.getTimestamp(2);
                        long lag = oldest == null
                                ? 0
                                : Math.max(
                                        0,
                                        Duration.between(oldest.toInstant(), clock.instant())
                                                .toMillis());
                        return new Snapshot(pending, lag);
                    })
                    .single();
            jdbc.sql("SELECT set_config('enable_seqscan', :value, true)")
                    .param("value", seqscan)
                    .query((rs, n) -> 0)
                    .list();
            return snapshot;
        });
    }
}
