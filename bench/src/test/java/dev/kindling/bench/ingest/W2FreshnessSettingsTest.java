package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.dataset.DatasetSize;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class W2FreshnessSettingsTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");

    private static W2Freshness.Settings settings(Map<String, String> options) {
        return W2Freshness.Settings.of(options, DatasetSize.S, 42, END, Path.of("app.jar"), List.of());
    }

    @Test
    void aGivenRateIsSentAsGivenAndTheBurstRunsAfterTheSteadyPhase() {
        W2Freshness.Settings given = settings(Map.of("rate", "750", "minutes", "5"));

        assertThat(given.rate()).isEqualTo(750);
        assertThat(given.rateFromBurst()).isFalse();
        assertThat(given.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(given.burst()).isEqualTo(100_000);
    }

    @Test
    void rateHalfTakesHalfOfTheBurstsProcessedRateAndNeedsABurst() {
        W2Freshness.Settings half = settings(Map.of("rate", "half", "with-rules", "200", "with-lists", "50"));

        assertThat(half.rateFromBurst()).isTrue();
        assertThat(half.configuration()).isEqualTo(new W1Ingest.Configuration(200, 50, 0));
        assertThatThrownBy(() -> settings(Map.of("rate", "half", "burst", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--burst");
    }

    @Test
    void halfRateIsHalfOfWhatWasFullyProcessedPerSecondAndNeverZero() {
        assertThat(W2Freshness.halfRate(100_000, Duration.ofSeconds(50))).isEqualTo(1_000);
        assertThat(W2Freshness.halfRate(100_000, Duration.ofMillis(66_667))).isEqualTo(750);
        assertThat(W2Freshness.halfRate(1, Duration.ofMinutes(10))).isEqualTo(1);
    }
}
