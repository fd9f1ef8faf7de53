package dev.kindling.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operational settings of the intake processor ({@code kindling.intake.*}).
 *
 * @param batchSize     how many pending activities one transaction claims at most
 * @param pollInterval  how often the processor looks for work nobody told it about (rows accepted by
 *                      another instance, or before a restart)
 * @param startDelay    how long after start-up the processor waits before its first batch; zero in
 *                      production, set by crash tests so that an accepted batch is certainly still pending
 * @param maxBackoff    the longest pause after repeated failures
 * @param workers       how many intake threads process batches side by side: each claims the activities of its own
 *                      share of the prospects ({@link IntakeLane}), so their batches never wait on each other's
 *                      prospect locks
 */
@ConfigurationProperties("kindling.intake")
public record IntakeProperties(
        @DefaultValue("2000") int batchSize,
        @DefaultValue("200ms") Duration pollInterval,
        @DefaultValue("0s") Duration startDelay,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("2") int workers) {

    public IntakeProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("kindling.intake.batch-size must be at least 1");
        }
        if (workers < 1 || workers > 16) {
            throw new IllegalArgumentException("kindling.intake.workers must be from 1 to 16");
        }
    }
}
