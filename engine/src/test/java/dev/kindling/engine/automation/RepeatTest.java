package dev.kindling.engine.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.PropertyRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RepeatTest {

    static final Instant NOW = Instant.parse("2030-05-01T10:00:00Z");

    @Test
    void aProspectThatNeverMatchedIsAlwaysEligible() {
        assertThat(Repeat.ONCE.eligible(0, null, NOW)).isTrue();
        assertThat(Repeat.every(30, 2).eligible(0, null, NOW)).isTrue();
    }

    @Test
    void aRuleThatMatchesOnceNeverMatchesAgain() {
        assertThat(Repeat.ONCE.eligible(1, NOW.minus(Duration.ofDays(10_000)), NOW))
                .isFalse();
    }

    @Test
    void aRepeatingRuleMatchesAgainExactlyWhenTheDaysHavePassed() {
        Repeat repeat = Repeat.every(7, null);
        Instant last = NOW.minus(Duration.ofDays(7));
        assertThat(repeat.eligible(1, last, NOW)).isTrue();
        assertThat(repeat.eligible(1, last.plusNanos(1000), NOW)).isFalse();
        assertThat(repeat.eligible(5, last, NOW)).isTrue();
    }

    @Test
    void maxMatchesCountsEveryMatchIncludingTheFirst() {
        Repeat repeat = Repeat.every(1, 3);
        Instant longAgo = NOW.minus(Duration.ofDays(100));
        assertThat(repeat.eligible(2, longAgo, NOW)).isTrue();
        assertThat(repeat.eligible(3, longAgo, NOW)).isFalse();
    }

    @Test
    void zeroDaysMakesAMatchingProspectEligibleAtEveryLaterEvaluation() {
        assertThat(Repeat.every(0, null).eligible(40, NOW, NOW)).isTrue();
    }

    @Test
    void theSetBasedBoundAgreesWithTheDecisionForRandomCases() {
        Random seeds = new Random(4242);
        for (int i = 0, cases = PropertyRuns.cases(500, 10_000); i < cases; i++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            Repeat repeat = Repeat.every(r.nextInt(60), r.nextBoolean() ? null : 1 + r.nextInt(5));
            int matches = 1 + r.nextInt(6);
            Instant last = NOW.minusSeconds(r.nextInt(90 * 86_400));
            boolean sql = (repeat.maxMatches() == null || matches < repeat.maxMatches())
                    && !last.isAfter(repeat.lastMatchNoLaterThan(NOW));
            assertThat(repeat.eligible(matches, last, NOW)).as("seed %d", seed).isEqualTo(sql);
        }
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> Repeat.every(-1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Repeat.every(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Repeat(false, 3, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
