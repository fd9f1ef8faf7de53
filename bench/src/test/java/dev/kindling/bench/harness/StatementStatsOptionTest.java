package dev.kindling.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --statements N}, parsed once for the workloads that take it (W1, W5, W10). */
class StatementStatsOptionTest {

    @Test
    void isNoneWithoutTheOption() {
        assertThat(StatementStats.top(Map.of("workload", "W5"))).isZero();
    }

    @Test
    void isTheNumberGiven() {
        assertThat(StatementStats.top(Map.of("workload", "W5", "statements", "30")))
                .isEqualTo(30);
        assertThat(StatementStats.top(Map.of("statements", "0"))).isZero();
    }

    @Test
    void refusesANegativeOrNonNumericValue() {
        assertThatThrownBy(() -> StatementStats.top(Map.of("statements", "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--statements");
        assertThatThrownBy(() -> StatementStats.top(Map.of("statements", "all")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--statements must be a whole number");
    }
}
