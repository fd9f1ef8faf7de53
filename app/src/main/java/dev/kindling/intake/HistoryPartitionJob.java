package dev.kindling.intake;

import dev.kindling.platform.cluster.Singletons;
import dev.kindling.platform.time.Recurring;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Runs {@link HistoryPartitions} on start and then every {@code kindling.history.partition-interval} (an hour), on
 * one instance at a time (the lock {@value #JOB}), for every history table ({@code activity}, {@code score_ledger},
 * {@code stage_transition}, {@code list_membership_event}): partitions ahead, and the retention of
 * {@code kindling.history.retention-months} (0, the default: history is kept forever), detaching partitions for an
 * archive instead of dropping them with {@code kindling.history.archive=true}.
 */
@Component
class HistoryPartitionJob {

    static final String JOB = "history-partitions";

    private final HistoryPartitions partitions;
    private final Singletons singletons;
    private final Recurring recurring;

    HistoryPartitionJob(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            Singletons singletons,
            @Value("${kindling.history.retention-months:0}") int retentionMonths,
            @Value("${kindling.history.archive:false}") boolean archive,
            @Value("${kindling.history.partition-interval:PT1H}") Duration interval) {
        this.partitions = new HistoryPartitions(jdbc, transactions, clock, retentionMonths, archive);
        this.singletons = singletons;
        this.recurring = new Recurring(JOB, interval, this::run);
    }

    void run() {
        singletons.runAlone(JOB, () -> {
            partitions.run();
            return null;
        });
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
