package dev.kindling.platform.cluster;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The jobs that run on one instance at a time, whichever it is: a run takes the job's lock in the {@code shedlock}
 * table (ShedLock's JDBC provider, lock times by the database's clock) or does not run. The lock is held for a lease
 * ({@code kindling.cluster.lock-lease}, 30 s by default) and renewed every half lease while the run lasts, so the
 * lock of an instance that died mid-run frees itself within a lease. Every instance of a cluster must have the same
 * lease: a lock's span is how {@link #lastRun} tells a run that let go from one that died. Work claimed row by row with
 * {@code FOR UPDATE SKIP LOCKED} needs none of this (docs/cluster.md).
 */
@Component
public class Singletons {

    /** The shortest lease: a second, renewed every half second (tests that let a killed instance's lease run out). */
    static final Duration MIN_LEASE = Duration.ofSeconds(1);

    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kindling-lock-renewals").factory());
    private final LockProvider locks;
    private final JdbcClient jdbc;
    private final Duration lease;

    Singletons(DataSource dataSource, JdbcClient jdbc, @Value("${kindling.cluster.lock-lease:PT30S}") Duration lease) {
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new IllegalArgumentException(
                    "kindling.cluster.lock-lease must be at least " + MIN_LEASE + ", not " + lease);
        }
        this.jdbc = jdbc;
        this.lease = lease;
        // ShedLock's KeepAliveLockProvider renews the same way but refuses a lease under 30 s
        this.locks = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .withTableName("shedlock")
                .usingDbTime()
                .build());
    }

    /**
     * Runs {@code task} unless another run of {@code job} holds its lock (on any instance); empty when it did not run
     * (or yielded null).
     */
    public <T> Optional<T> runAlone(String job, Supplier<T> task) {
        Optional<SimpleLock> lock = locks.lock(new LockConfiguration(ClockProvider.now(), job, lease, Duration.ZERO));
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        Renewed held = new Renewed(lock.get());
        try {
            return Optional.ofNullable(task.get());
        } finally {
            held.unlock();
        }
    }

    /**
     * A lock taken for a lease and renewed for another every half lease until it is let go. Renewing and letting go
     * exclude each other, so that no renewal lands after the run let go (and holds the lock for a lease no run has).
     */
    private final class Renewed {

        private SimpleLock lock;
        private boolean unlocked;
        private boolean lost;
        private final ScheduledFuture<?> renewal;

        Renewed(SimpleLock lock) {
            this.lock = lock;
            long every = lease.toMillis() / 2;
            this.renewal = renewals.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
        }

        private synchronized void renew() {
            if (unlocked || lost) {
                return;
            }
            Optional<SimpleLock> renewed = lock.extend(lease, Duration.ZERO);
            if (renewed.isPresent()) {
                lock = renewed.get();
            } else {
                lost = true; // the lease ran out before this renewal: the run goes on, its lock no longer renewed
            }
        }

        synchronized void unlock() {
            unlocked = true;
            renewal.cancel(false);
            lock.unlock();
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
                .param("lease", lease.toMillis() / 1000.0)
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
