package dev.kindling.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kindling.platform.cluster.Singletons.LastRun;
import dev.kindling.support.IntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The one-instance-at-a-time jobs' lock: telling a holder that died mid-run from one that is running or has ended, and
 * taking over from a dead one whatever the timing.
 */
@IntegrationTest
class SingletonsIT {

    @Autowired
    Singletons singletons;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void aRunGoingOnIsNotTakenForOneThatDiedHoldingTheLock() {
        String job = "singletons-live-" + UUID.randomUUID();
        List<LastRun> seen = new ArrayList<>();
        assertThat(singletons.runAlone(job, () -> {
                    seen.add(singletons.lastRun(job));
                    return "ran";
                }))
                .contains("ran");
        assertThat(seen).as("checked while the run holds its (renewed) lease").containsExactly(LastRun.HOLDING);
        assertThat(singletons.lastRun(job))
                .as("a short run that ended let go before its lease was out")
                .isEqualTo(LastRun.LET_GO);
        assertThat(singletons.takeOver(job, died -> died))
                .as("taken over, told no run died")
                .contains(false);
    }

    @Test
    void aLockHeldForAWholeLeaseAndRunOutUnrenewedIsADeadHolders() {
        String job = "singletons-dead-" + UUID.randomUUID();
        singletons.runAlone(job, () -> "ran");
        // what a kill -9 mid-run leaves: the lease taken (and perhaps renewed) and never let go, now run out
        diedHolding(job, "- interval '5 seconds'");
        assertThat(singletons.lastRun(job)).isEqualTo(LastRun.DIED_HOLDING);
        assertThat(singletons.takeOver(job, died -> died))
                .as("the lock is free again, and the run that takes it is told the last one died")
                .contains(true);
        assertThat(singletons.lastRun(job)).isEqualTo(LastRun.LET_GO);
    }

    /**
     * A dead holder's lease that runs out while a take-over is between reading the lock and taking it. The test holds
     * the take-over there for certain: it locks the lock table in SHARE mode, which lets the read through and makes
     * the take (an UPDATE) wait; lets the lease run out meanwhile; and lets go. The dead run must be resumed once: by
     * that take-over, or — if it did not try while the lease was live — by the next. Before, the take-over read a live
     * lease ("no run died"), then took the lock once it had run out and told its task no run had died: the dead run
     * was never resumed.
     */
    @Test
    void aDeadHoldersLeaseRunningOutDuringATakeOverIsStillResumed() throws Exception {
        String job = "singletons-race-" + UUID.randomUUID();
        singletons.runAlone(job, () -> "ran");
        diedHolding(job, "+ interval '1 hour'"); // a dead holder's lease, not run out yet
        assertThat(singletons.lastRun(job)).isEqualTo(LastRun.HOLDING);

        CompletableFuture<Optional<Boolean>> first;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            long holderPid;
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE shedlock IN SHARE MODE");
                try (ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
                    assertThat(pid.next()).isTrue();
                    holderPid = pid.getLong(1);
                }
            }
            first = CompletableFuture.supplyAsync(() -> singletons.takeOver(job, died -> died));
            // the take-over has read the lock: it returned, or its take waits for the table
            await("the take-over returned or waits to take the lock")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> first.isDone() || waitingBehind(holderPid));
            // meanwhile the lease runs out, unrenewed
            try (PreparedStatement runOut = holder.prepareStatement(
                    "UPDATE shedlock SET locked_at = timezone('utc', now()) - interval '45 seconds',"
                            + " lock_until = timezone('utc', now()) - interval '1 second' WHERE name = ?")) {
                runOut.setString(1, job);
                assertThat(runOut.executeUpdate()).isEqualTo(1);
            }
            holder.commit();
        }
        Optional<Boolean> second =
                first.get(30, TimeUnit.SECONDS).isPresent() ? Optional.empty() : singletons.takeOver(job, died -> died);
        List<Boolean> runs = new ArrayList<>();
        first.get().ifPresent(runs::add);
        second.ifPresent(runs::add);
        assertThat(runs)
                .as("the runs that took the lock, each told whether the last one died")
                .containsExactly(true);
        assertThat(singletons.lastRun(job)).isEqualTo(LastRun.LET_GO);
    }

    /**
     * A run that lasts several leases keeps its lock: it is renewed every half lease, so another instance's run of the
     * job is refused throughout (two instances' locks, a lease of one second), and the lock is free once it ends.
     */
    @Test
    void aRunLongerThanItsLeaseKeepsItsLockRenewed() {
        Singletons one = new Singletons(dataSource, jdbc, Duration.ofSeconds(1));
        Singletons other = new Singletons(dataSource, jdbc, Duration.ofSeconds(1));
        try {
            String job = "singletons-renewed-" + UUID.randomUUID();
            List<Optional<String>> refused = new ArrayList<>();
            assertThat(one.runAlone(job, () -> {
                        // by the database's clock, which times the lease: two leases since the lock was taken
                        await("two leases pass while the run holds the lock")
                                .atMost(Duration.ofSeconds(30))
                                .pollInterval(Duration.ofMillis(100))
                                .until(() -> {
                                    refused.add(other.runAlone(job, () -> "twice"));
                                    return jdbc.sql("""
                                                    SELECT timezone('utc', CURRENT_TIMESTAMP) > locked_at
                                                                                                 + interval '2 seconds'
                                                      FROM shedlock WHERE name = :job""")
                                            .param("job", job)
                                            .query(Boolean.class)
                                            .single();
                                });
                        return "ran";
                    }))
                    .contains("ran");
            assertThat(refused)
                    .as("the other instance's runs while the lock was held")
                    .isNotEmpty();
            assertThat(refused).allMatch(Optional::isEmpty);
            assertThat(other.runAlone(job, () -> "after")).contains("after");
        } finally {
            one.stop();
            other.stop();
        }
    }

    @Test
    void aLeaseUnderASecondIsRefused() {
        assertThatThrownBy(() -> new Singletons(dataSource, jdbc, Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kindling.cluster.lock-lease must be at least PT1S");
    }

    /** Makes the last run of {@code job} one that took a lease and never let go, run out at now {@code until}. */
    private void diedHolding(String job, String until) {
        // written as ShedLock writes its times (Singletons.lastRun)
        assertThat(jdbc.sql("UPDATE shedlock SET locked_at = timezone('utc', now()) - interval '45 seconds',"
                                + " lock_until = timezone('utc', now()) " + until + " WHERE name = :job")
                        .param("job", job)
                        .update())
                .isEqualTo(1);
    }

    /** Whether a statement on the lock table waits for the transaction of backend {@code pid}. */
    private boolean waitingBehind(long pid) {
        return jdbc.sql("""
                        SELECT count(*) FROM pg_stat_activity
                         WHERE :pid = ANY(pg_blocking_pids(pid)) AND query ILIKE '%shedlock%'""").param("pid", pid).query(Long.class).single() > 0;
    }
}
