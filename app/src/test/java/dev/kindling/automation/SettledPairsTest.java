package dev.kindling.automation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.automation.Repeat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettledPairsTest {

    static final Instant NOW = Instant.parse("2030-05-01T12:00:00Z");

    static AutomationRule rule(long id, Repeat repeat) {
        return new AutomationRule(id, "r" + id, null, List.of(), AutomationRule.Status.ACTIVE, repeat, NOW, NOW);
    }

    @Test
    void pairsMatchedForGoodAreKeptPerRuleAcrossChunkBoundaries() {
        SettledPairs pairs = new SettledPairs();
        AutomationRule once = rule(1, Repeat.ONCE);
        long edge = SettledPairs.CHUNK_BITS;
        pairs.add(once, List.of(1L, edge - 1, edge, 5_000_000_000L));
        assertThat(pairs.settled(once, 1)).isTrue();
        assertThat(pairs.settled(once, edge - 1)).isTrue();
        assertThat(pairs.settled(once, edge)).isTrue();
        assertThat(pairs.settled(once, 5_000_000_000L)).isTrue();
        assertThat(pairs.settled(once, 2)).isFalse();
        assertThat(pairs.settled(once, edge + 1)).isFalse();
        assertThat(pairs.settled(rule(2, Repeat.ONCE), 1)).as("another rule").isFalse();
        assertThat(pairs.size()).isEqualTo(4);
    }

    @Test
    void otherRepeatSettingsStartAgainFromNothing() {
        SettledPairs pairs = new SettledPairs();
        pairs.add(rule(1, Repeat.ONCE), List.of(7L));
        AutomationRule repeating = rule(1, Repeat.every(0, 3));
        assertThat(pairs.settled(repeating, 7)).isFalse();
        pairs.add(repeating, List.of(8L));
        assertThat(pairs.settled(repeating, 8)).isTrue();
        assertThat(pairs.settled(rule(1, Repeat.ONCE), 7))
                .as("dropped when the settings changed")
                .isFalse();
    }

    @Test
    void forGoodIsMatchedOnceOrAtTheMaximum() {
        assertThat(SettledPairs.forGood(Repeat.ONCE, 1)).isTrue();
        assertThat(SettledPairs.forGood(Repeat.ONCE, 0)).isFalse();
        assertThat(SettledPairs.forGood(Repeat.every(7, 3), 2)).isFalse();
        assertThat(SettledPairs.forGood(Repeat.every(7, 3), 3)).isTrue();
        assertThat(SettledPairs.forGood(Repeat.every(7, null), 100)).isFalse();
    }

    @Test
    void aWaitingPairIsSkippedUntilItsBoundAndNotAtIt() {
        SettledPairs pairs = new SettledPairs();
        AutomationRule weekly = rule(1, Repeat.every(7, null));
        Instant last = NOW.minus(Duration.ofDays(1));
        pairs.waiting(weekly, Map.of(5L, last));
        assertThat(pairs.ineligible(weekly, 5, NOW)).isTrue();
        assertThat(pairs.ineligible(weekly, 5, last.plus(Duration.ofDays(7)).minusMillis(1)))
                .isTrue();
        assertThat(pairs.ineligible(weekly, 5, last.plus(Duration.ofDays(7))))
                .as("at the bound the claim decides")
                .isFalse();
        assertThat(pairs.ineligible(weekly, 6, NOW)).isFalse();

        pairs.waiting(weekly, Map.of(5L, last.minus(Duration.ofDays(3))));
        assertThat(pairs.ineligible(weekly, 5, NOW))
                .as("an older last match never moves the bound back")
                .isTrue();

        AutomationRule zeroDays = rule(2, Repeat.every(0, 2));
        pairs.waiting(zeroDays, Map.of(5L, NOW));
        assertThat(pairs.ineligible(zeroDays, 5, NOW))
                .as("no days before eligible: nothing waits")
                .isFalse();
    }
}
