package dev.kindling.bench.ingest;

import java.util.Arrays;

/** Per-activity latencies in microseconds, summarised by nearest-rank percentiles. */
record Latencies(long[] sortedMicros) {

    static Latencies of(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted);
    }

    int count() {
        return sortedMicros.length;
    }

    /** The nearest-rank percentile: the smallest value that at least {@code p} % of the values do not exceed. */
    long percentile(double p) {
        if (sortedMicros.length == 0) {
            throw new IllegalStateException("no latencies");
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]");
        }
        int rank = (int) Math.ceil(p / 100 * sortedMicros.length);
        return sortedMicros[Math.max(1, rank) - 1];
    }

    long max() {
        return percentile(100);
    }
}
