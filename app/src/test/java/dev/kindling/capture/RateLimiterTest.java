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
    void forgetsTheLeastRecentlySeenClientWhenFull() {
        RateLimiter limiter = new RateLimiter(2, 60, clock, 3);
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");
        limiter.tryAcquire("c");
        limiter.tryAcquire("a");
        limiter.tryAcquire("d");
        assertThat(limiter.trackedClients()).isEqualTo(3);
        assertThat(limiter.tryAcquire("a").allowed())
                .as("a was seen recently: still tracked, and now spent")
                .isFalse();
    }

    @Test
    void aFloodOfNewAddressesDoesNotLiftTheLimitOfAClientThatKeepsKnocking() {
        RateLimiter limiter = new RateLimiter(3, 1, clock, 100);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("attacker").allowed()).isTrue();
        }
        for (int i = 0; i < 10_000; i++) {
            limiter.tryAcquire("flood-" + i);
            if (i % 50 == 0) {
                assertThat(limiter.tryAcquire("attacker").allowed())
                        .as("after %d new addresses", i)
                        .isFalse();
            }
        }
        assertThat(limiter.trackedClients()).isEqualTo(100);
    }

    @Test
    void countsAnIpv6SlashSixtyFourAsOneClient() {
        RateLimiter limiter = new RateLimiter(2, 1, clock, 100);
        assertThat(limiter.tryAcquire(RateLimiter.clientOf("2001:db8:1:2::1")).allowed())
                .isTrue();
        assertThat(limiter.tryAcquire(RateLimiter.clientOf("2001:db8:1:2:ffff:ffff:ffff:ffff"))
                        .allowed())
                .isTrue();
        assertThat(limiter.tryAcquire(RateLimiter.clientOf("2001:0db8:0001:0002:abcd::9"))
                        .allowed())
                .isFalse();
        assertThat(limiter.tryAcquire(RateLimiter.clientOf("2001:db8:1:3::1")).allowed())
                .as("another /64")
                .isTrue();
    }

    @Test
    void keepsIpv4AddressesApartAndReadsIpv4MappedAddressesAsIpv4() {
        assertThat(RateLimiter.clientOf("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(RateLimiter.clientOf("192.0.2.2")).isNotEqualTo(RateLimiter.clientOf("192.0.2.1"));
        assertThat(RateLimiter.clientOf("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(RateLimiter.clientOf("not:an:address:zz")).isEqualTo("not:an:address:zz");
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
