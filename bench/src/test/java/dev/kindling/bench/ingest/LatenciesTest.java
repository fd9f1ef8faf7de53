package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankOverTheSortedValues() {
        Latencies latencies =
                Latencies.of(LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray());

        assertThat(latencies.percentile(50)).isEqualTo(50);
        assertThat(latencies.percentile(99)).isEqualTo(99);
        assertThat(latencies.percentile(99.5)).isEqualTo(100);
        assertThat(latencies.max()).isEqualTo(100);
        assertThat(latencies.count()).isEqualTo(100);
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        Latencies latencies = Latencies.of(new long[] {7});

        assertThat(latencies.percentile(1)).isEqualTo(7);
        assertThat(latencies.percentile(50)).isEqualTo(7);
        assertThat(latencies.max()).isEqualTo(7);
    }

    @Test
    void noValuesHaveNoPercentile() {
        assertThatThrownBy(() -> Latencies.of(new long[0]).percentile(50)).isInstanceOf(IllegalStateException.class);
    }
}
