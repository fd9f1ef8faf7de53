package dev.kindling.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The one-instance-at-a-time jobs' lock: telling a holder that died mid-run from one that is running or has ended. */
@IntegrationTest
class SingletonsIT {

    @Autowired
    Singletons singletons;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRunGoingOnIsNotTakenForOneThatDiedHoldingTheLock() {
        String job = "singletons-live-" + UUID.randomUUID();
        boolean[] seenDead = {true};
        assertThat(singletons.runAlone(job, () -> {
                    seenDead[0] = singletons.diedHolding(job);
                    return "ran";
                }))
                .contains("ran");
        assertThat(seenDead[0])
                .as("checked while the run holds its (renewed) lease")
                .isFalse();
        assertThat(singletons.diedHolding(job))
                .as("a short run that ended let go before its lease was out")
                .isFalse();
    }

    @Test
    void aLockHeldForAWholeLeaseAndRunOutUnrenewedIsADeadHolders() {
        String job = "singletons-dead-" + UUID.randomUUID();
        singletons.runAlone(job, () -> "ran");
        // what a kill -9 mid-run leaves: the lease taken (and perhaps renewed) and never let go, now run out
        jdbc.sql("""
                        UPDATE shedlock SET locked_at = now() - interval '45 seconds', lock_until = now() - interval '5 seconds'
                         WHERE name = :job""").param("job", job).update();
        assertThat(singletons.diedHolding(job)).isTrue();
        assertThat(singletons.runAlone(job, () -> "resumed"))
                .as("and the lock is free again")
                .contains("resumed");
        assertThat(singletons.diedHolding(job)).isFalse();
    }
}
