package dev.kindling.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapReadingTest {

    /** What Micrometer exposes for a G1 heap: eden and survivor without a maximum of their own (-1). */
    private static final String G1 = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5.24288E7
            jvm_memory_used_bytes{area="heap",id="G1 Survivor Space"} 2097152.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
            # TYPE jvm_memory_committed_bytes gauge
            jvm_memory_committed_bytes{area="heap",id="G1 Eden Space"} 2.097152E7
            jvm_memory_committed_bytes{area="heap",id="G1 Old Gen"} 1.048576E8
            jvm_memory_committed_bytes{area="heap",id="G1 Survivor Space"} 2097152.0
            jvm_memory_committed_bytes{area="nonheap",id="Metaspace"} 1.0E8
            # TYPE jvm_memory_max_bytes gauge
            jvm_memory_max_bytes{area="heap",id="G1 Eden Space"} -1.0
            jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 2.147483648E9
            jvm_memory_max_bytes{area="heap",id="G1 Survivor Space"} -1.0
            jvm_memory_max_bytes{area="nonheap",id="Metaspace"} -1.0
            jvm_memory_usage_after_gc{area="heap",pool="long-lived"} 0.02
            """;

    @Test
    void sumsTheHeapPoolsAndLeavesOutNonHeapAndPoolsWithoutAMaximum() {
        HeapReading heap = HeapReading.parse(G1);

        assertThat(heap.used()).isEqualTo((10 + 50 + 2) * 1024 * 1024L);
        assertThat(heap.committed()).isEqualTo((20 + 100 + 2) * 1024 * 1024L);
        assertThat(heap.max()).isEqualTo(2048 * 1024 * 1024L);
        assertThat(heap.describe()).isEqualTo("used 62 MiB, committed 122 MiB, max 2,048 MiB");
    }

    @Test
    void anExpositionWithoutMemoryGaugesReadsAsNothing() {
        assertThat(HeapReading.parse("# nothing here\nprocess_uptime_seconds 12.0\n"))
                .isEqualTo(new HeapReading(0, 0, 0));
    }
}
