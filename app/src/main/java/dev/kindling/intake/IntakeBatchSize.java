package dev.kindling.intake;

import org.springframework.stereotype.Component;

/**
 * How many pending activities one intake transaction claims at most: {@code kindling.intake.batch-size} at start, read
 * again before each batch, so it can be changed while the app runs (tests of back-dated history use small batches, so
 * that each person's history crosses batches, without an app of their own).
 */
@Component
public class IntakeBatchSize {

    private final int configured;
    private volatile int size;

    IntakeBatchSize(IntakeProperties properties) {
        this.configured = properties.batchSize();
        this.size = configured;
    }

    public int get() {
        return size;
    }

    /** Sets the size of the next batches (at least 1). */
    public void set(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("an intake batch claims at least 1 activity, not " + size);
        }
        this.size = size;
    }

    /** Back to {@code kindling.intake.batch-size}. */
    public void reset() {
        this.size = configured;
    }
}
