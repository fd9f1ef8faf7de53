package dev.kindling.platform.cluster;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
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
     * {@link #runAlone}, telling {@code task} whether the last run of {@code job} died holding the lock (its instance
     * killed mid-run), so that it can resume what that run left. It is not even tried while the lock is held — by a
     * live run, or by a dead one whose lease has not run out yet — but left to a later call: the lock's row is read
     * before the lock is taken, and a dead holder's lease that ran out between the two would otherwise be taken as a
     * lock let go, and the dead run never resumed (what a restarted instance's Salesforce cycle met when its first
     * check came just before the lease of the killed cycle ran out: docs/cluster.md).
     */
    public <T> Optional<T> takeOver(String job, Function<Boolean, T> task) {
        LastRun last = lastRun(job);
        if (last == LastRun.HOLDING) {
            return Optional.empty();
        }
        boolean died = last == LastRun.DIED_HOLDING;
        return runAlone(job, () -> task.apply(died));
    }

    /** How the last run of a job left its lock. */
    enum LastRun {
        /** It let go (or the job never ran). */
        LET_GO,
        /** It holds it still: a run going on, or a dead one's lease not yet run out. */
        HOLDING,
        /** It never let go and the lease ran out unrenewed: its instance died mid-run. */
        DIED_HOLDING
    }

    /**
     * How the last run of {@code job} left its lock. A run that ends lets go before its lease is out; a held lock
     * lasts at least a lease (renewed ahead of its end while the run goes on), and a dead holder's then runs out
     * unrenewed (a run that ends after a lease or more looks the same). Times by the database's clock, "now" written
     * as ShedLock writes it (the UTC time of day, stored in the session's time zone), so that the comparison holds in
     * any time zone.
     */
    LastRun lastRun(String job) {
        return jdbc.sql("""
                        SELECT CASE WHEN lock_until - locked_at < make_interval(secs => :lease) THEN 'LET_GO'
                                    WHEN lock_until > timezone('utc', CURRENT_TIMESTAMP) THEN 'HOLDING'
                                    ELSE 'DIED_HOLDING' END
                          FROM shedlock
                         WHERE name = :job AND locked_at > '-infinity'""")
                .param("lease", (double) LEASE.toSeconds())
                .param("job", job)
                .query(String.class)
                .optional()
                .map(LastRun::valueOf)
                .orElse(LastRun.LET_GO);
    }

    @PreDestroy
    void stop() {
        renewals.shutdownNow();
    }
}
