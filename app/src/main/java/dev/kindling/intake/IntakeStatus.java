package dev.kindling.intake;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

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

    IntakeStatus(JdbcClient jdbc, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
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
    public record Snapshot(long pending, long lagMillis) {
    }

    public Snapshot current() {
        return jdbc.sql("SELECT count(*), min(received_at) FROM activity WHERE processed_at IS NULL")
                .query((rs, n) -> {
                    long pending = rs.getLong(1);
                    Timestamp oldest = rs.getTimestamp(2);
                    long lag = oldest == null ? 0
                            : Math.max(0, Duration.between(oldest.toInstant(), clock.instant()).toMillis());
                    return new Snapshot(pending, lag);
                })
                .single();
    }
}
