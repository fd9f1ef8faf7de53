package dev.kindling.capture;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client key, in memory: {@code burst} requests at once, refilled at
 * {@code perMinute}. Time comes from the clock, so tests move it instead of sleeping. The number
 * of tracked clients is bounded: when full, clients whose bucket has refilled completely (they
 * would be allowed a full burst anyway) are forgotten first, and if that is not enough, all are.
 */
public final class RateLimiter {

    private final int burst;
    private final double tokensPerNano;
    private final Clock clock;
    private final int maxClients;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int burst, int perMinute, Clock clock, int maxClients) {
        if (burst < 1 || perMinute < 1 || maxClients < 1) {
            throw new IllegalArgumentException("burst, perMinute and maxClients must be positive");
        }
        this.burst = burst;
        this.tokensPerNano = perMinute / 60e9;
        this.clock = clock;
        this.maxClients = maxClients;
    }

    /** Whether a request may pass now; when not, how many seconds until one will. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    public Decision tryAcquire(String client) {
        long now = nanos();
        if (buckets.size() >= maxClients && !buckets.containsKey(client)) {
            evict(now);
        }
        Bucket bucket = buckets.computeIfAbsent(client, k -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.refill(now, burst, tokensPerNano);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return new Decision(true, 0);
            }
            double missingNanos = (1 - bucket.tokens) / tokensPerNano;
            return new Decision(false, Math.max(1, (long) Math.ceil(missingNanos / 1e9)));
        }
    }

    /** Forgets every client (tests; an operator lifting a block). */
    public void reset() {
        buckets.clear();
    }

    int trackedClients() {
        return buckets.size();
    }

    private void evict(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            synchronized (b) {
                b.refill(now, burst, tokensPerNano);
                if (b.tokens >= burst) {
                    it.remove();
                }
            }
        }
        if (buckets.size() >= maxClients) {
            buckets.clear();
        }
    }

    private long nanos() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(int tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long now, int burst, double perNano) {
            if (now > at) {
                tokens = Math.min(burst, tokens + (now - at) * perNano);
                at = now;
            }
        }
    }
}
