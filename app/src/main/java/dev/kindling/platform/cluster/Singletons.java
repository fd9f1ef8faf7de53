package dev.kindling.platform.cluster;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The jobs that run on one instance at a time, whichever it is: a run takes the job's lock in the {@code shedlock}
 * table (ShedLock's JDBC provider, lock times by the database's clock) or does not run. The lock is held for
 * {@link #LEASE} and renewed while the run lasts, so the lock of an instance that died mid-run frees itself within
 * a lease. Work claimed row by row with {@code FOR UPDATE SKIP LOCKED} needs none of this (docs/cluster.md).
 */
@Component
public class Singletons {

    /** How long a lock outlives an instance that died holding it (renewed every half lease while the run lasts; 30 s is
     * the least ShedLock renews). */
    static final Duration LEASE = Duration.ofSeconds(30);

    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kindling-lock-renewals").factory());
    private final LockProvider locks;
    private final JdbcClient jdbc;

    Singletons(DataSource dataSource, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.locks = new KeepAliveLockProvider(
                new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                        .withJdbcTemplate(new JdbcTemplate(dataSource))
                        .withTableName("shedlock")
                        .usingDbTime()
                        .build()),
                renewals);
    }

    /**
     * Runs {@code task} unless another run of {@code job} holds its lock (on any instance); empty when it did not run
     * (or yielded null).
     */
    public <T> Optional<T> runAlone(String job, Supplier<T> task) {
        Optional<SimpleLock> lock = locks.lock(new LockConfiguration(ClockProvider.now(), job, LEASE, Duration.ZERO));
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(task.get());
        } finally {
            lock.get().unlock();
        }
    }

    /**
     * Whether the last run of {@code job} never let go of its lock (its instance died mid-run): a run that ends lets go
     * before its lease is out, a dead one's lock lasts at least a lease and then runs out unrenewed (a run that ends
     * after a lease or more looks the same). A live run's lock is renewed ahead of its end, so a run going on now is
     * never taken for a dead one. Times by the database's clock, as the locks'.
     */
    public boolean diedHolding(String job) {
        return jdbc.sql("""
                        SELECT lock_until - locked_at >= make_interval(secs => :lease) AND lock_until <= now()
                          FROM shedlock
                         WHERE name = :job AND locked_at > '-infinity'""")
                .param("lease", (double) LEASE.toSeconds())
                .param("job", job)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    @PreDestroy
    void stop() {
        renewals.shutdownNow();
    }
}
