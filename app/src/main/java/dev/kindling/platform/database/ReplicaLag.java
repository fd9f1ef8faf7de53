package dev.kindling.platform.database;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How far the read replica is behind the primary, measured before each report: if the replica has replayed the WAL
 * the primary had flushed a moment before, it is current (lag 0); otherwise its lag is the time since the commit of
 * the last transaction it replayed ({@code now() - pg_last_xact_replay_timestamp()} on the replica). Comparing with
 * the primary's position, not only the replica's own receive and replay positions, catches a replica that lost its
 * connection to the primary: it has replayed all it received and would look current forever. A replica that does not
 * answer is not asked again for {@link #RETRY_AFTER}.
 */
final class ReplicaLag {

    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ReplicaLag.class);

    private final JdbcTemplate primary;
    private final JdbcTemplate replica;
    private final Duration bound;
    private final Clock clock;
    private volatile long retryAt = System.nanoTime();
    private volatile ReportFreshness.Source last = ReportFreshness.Source.REPLICA;

    ReplicaLag(DataSource primary, DataSource replica, Duration bound, Clock clock) {
        this.primary = quick(primary);
        this.replica = quick(replica);
        this.bound = bound;
        this.clock = clock;
    }

    ReportFreshness check() {
        Instant now = clock.instant();
        if (System.nanoTime() - retryAt < 0) {
            return unavailable(now, null);
        }
        String flushed = primary.queryForObject("SELECT pg_current_wal_flush_lsn()::text", String.class);
        Map<String, Object> state;
        try {
            state = replica.queryForMap("""
                    SELECT pg_is_in_recovery() AS standby,
                           pg_last_wal_replay_lsn() >= CAST(? AS pg_lsn) AS caught_up,
                           EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) AS behind""", flushed);
        } catch (DataAccessException e) {
            retryAt = System.nanoTime() + RETRY_AFTER.toNanos();
            return unavailable(now, e.getMostSpecificCause().getMessage());
        }
        if (!Boolean.TRUE.equals(state.get("standby"))) {
            return unavailable(now, "it is not a standby (promoted, or not a replica)");
        }
        Duration lag;
        if (Boolean.TRUE.equals(state.get("caught_up"))) {
            lag = Duration.ZERO;
        } else if (state.get("behind") instanceof BigDecimal seconds) {
            lag = Duration.ofNanos(
                    seconds.max(BigDecimal.ZERO).movePointRight(9).longValue());
        } else {
            return unavailable(now, "it has replayed no transaction since it started");
        }
        ReportFreshness.Source source = lag.compareTo(bound) <= 0
                ? ReportFreshness.Source.REPLICA
                : ReportFreshness.Source.PRIMARY_REPLICA_BEHIND;
        changed(source, "lag " + lag.toMillis() + " ms, bound " + bound.toMillis() + " ms");
        return source == ReportFreshness.Source.REPLICA
                ? new ReportFreshness(source, now.minus(lag), lag, bound)
                : new ReportFreshness(source, now, lag, bound);
    }

    private ReportFreshness unavailable(Instant now, String why) {
        if (why != null) {
            changed(ReportFreshness.Source.PRIMARY_REPLICA_UNAVAILABLE, why);
        }
        return new ReportFreshness(ReportFreshness.Source.PRIMARY_REPLICA_UNAVAILABLE, now, Duration.ZERO, bound);
    }

    /** One log line when reports move between the replica and the primary, not one per report. */
    private void changed(ReportFreshness.Source source, String detail) {
        if (source != last) {
            last = source;
            if (source == ReportFreshness.Source.REPLICA) {
                log.info("Reports read the read replica again ({})", detail);
            } else {
                log.warn("Reports read the primary: the read replica is {} ({})", source, detail);
            }
        }
    }

    private static JdbcTemplate quick(DataSource dataSource) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setQueryTimeout(2);
        return template;
    }
}
