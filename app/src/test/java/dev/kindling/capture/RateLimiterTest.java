package dev.kindling.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void allowsABurstThenRefusesWithARetryAfter() {
        RateLimiter limiter = new RateLimiter(3, 6, clock, 100);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("10.0.0.1").allowed()).isTrue();
        }
        RateLimiter.Decision refused = limiter.tryAcquire("10.0.0.1");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(10);
    }

    @Test
    void refillsAtTheRateAsTheClockMoves() {
        RateLimiter limiter = new RateLimiter(1, 6, clock, 100);
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
        clock.advance(Duration.ofSeconds(9));
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
    }

    @Test
    void clientsHaveBucketsOfTheirOwn() {
        RateLimiter limiter = new RateLimiter(1, 1, clock, 100);
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
        assertThat(limiter.tryAcquire("b").allowed()).isTrue();
    }

    @Test
    void forgetsIdleClientsWhenFullSoMemoryStaysBounded() {
        RateLimiter limiter = new RateLimiter(2, 60, clock, 3);
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");
        limiter.tryAcquire("c");
        clock.advance(Duration.ofMinutes(1));
        limiter.tryAcquire("d");
        assertThat(limiter.trackedClients()).isLessThanOrEqualTo(3);
    }

    @Test
    void neverTracksMoreClientsThanItsBoundEvenUnderSustainedUse() {
        RateLimiter limiter = new RateLimiter(5, 1, clock, 10);
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire("client-" + i);
        }
        assertThat(limiter.trackedClients()).isLessThanOrEqualTo(10);
    }
}
