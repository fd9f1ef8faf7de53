package dev.kindling.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class OutboxRetryTest {

    static final Outbox.Retry RETRY = new Outbox.Retry(Duration.ofSeconds(30), Duration.ofHours(1), 10);
    static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void thePauseDoublesPerFailedAttemptUpToTheMaximum() {
        assertThat(RETRY.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RETRY.backoff(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RETRY.backoff(4)).isEqualTo(Duration.ofSeconds(240));
        assertThat(RETRY.backoff(8)).isEqualTo(Duration.ofHours(1));
        assertThat(RETRY.backoff(9)).isEqualTo(Duration.ofHours(1));
    }

    @RepeatedTest(20)
    void jitterTakesAtMostATenthOffEachPause() {
        for (int attempts = 1; attempts < 10; attempts++) {
            Duration backoff = RETRY.backoff(attempts);
            assertThat(Duration.between(NOW, RETRY.next(attempts, NOW)))
                    .isLessThanOrEqualTo(backoff)
                    .isGreaterThanOrEqualTo(backoff.multipliedBy(9).dividedBy(10));
        }
    }

    @Test
    void rowsThatFailedTogetherComeBackAtDifferentInstants() {
        assertThat(java.util.stream.IntStream.range(0, 50)
                        .mapToObj(i -> RETRY.next(3, NOW))
                        .distinct()
                        .count())
                .isGreaterThan(1);
    }

    @Test
    void aRowIsGivenUpAfterItsLastAttempt() {
        assertThat(RETRY.next(9, NOW)).isNotNull();
        assertThat(RETRY.next(10, NOW)).isNull();
    }
}
