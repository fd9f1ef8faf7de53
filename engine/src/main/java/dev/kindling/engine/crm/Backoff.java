package dev.kindling.engine.crm;

import java.time.Duration;

/**
 * Exponential backoff with jitter for retried Salesforce requests: attempt {@code n} (0-based) waits a random time
 * between half and all of {@code min(cap, base × 2ⁿ)}, so concurrent retries spread out but never wait longer than
 * the cap; after {@link #MAX_ATTEMPTS} retries the failure stands.
 */
public final class Backoff {

    public static final int MAX_ATTEMPTS = 5;
    static final Duration BASE = Duration.ofMillis(500);
    static final Duration CAP = Duration.ofSeconds(30);

    private Backoff() {}

    /** The wait before retry {@code attempt}, for {@code random} uniformly drawn from [0, 1). */
    public static Duration delay(int attempt, double random) {
        if (attempt < 0 || random < 0 || random >= 1) {
            throw new IllegalArgumentException("attempt " + attempt + ", random " + random);
        }
        long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(ceiling / 2 + (long) (random * (ceiling - ceiling / 2)));
    }
}
