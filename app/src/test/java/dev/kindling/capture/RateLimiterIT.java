package dev.kindling.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The token buckets in the shared database, each limiter under a name of its own and with a clock of its own (the
 * buckets' time is the limiter's clock; the database only keeps them).
 */
@IntegrationTest
class RateLimiterIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    final String name = "test-" + UUID.randomUUID();

    RateLimiter limiter(int burst, int perMinute) {
        return new RateLimiter(name, burst, perMinute, clock, jdbc);
    }

    @Test
    void allowsABurstThenRefusesWithARetryAfter() {
        RateLimiter limiter = limiter(3, 6);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("10.0.0.1").allowed()).isTrue();
        }
        RateLimiter.Decision refused = limiter.tryAcquire("10.0.0.1");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(10);
    }

    @Test
    void refillsAtTheRateAsTheClockMoves() {
        RateLimiter limiter = limiter(1, 6);
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
        clock.advance(Duration.ofSeconds(9));
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
    }

    @Test
    void clientsHaveBucketsOfTheirOwn() {
        RateLimiter limiter = limiter(1, 1);
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
        assertThat(limiter.tryAcquire("b").allowed()).isTrue();
    }

    @Test
    void limitersOfOneNameShareTheirBucketsAsInstancesDo() {
        RateLimiter one = limiter(2, 1);
        RateLimiter other = limiter(2, 1);
        assertThat(one.tryAcquire("a").allowed()).isTrue();
        assertThat(other.tryAcquire("a").allowed()).isTrue();
        assertThat(one.tryAcquire("a").allowed()).isFalse();
        assertThat(other.tryAcquire("a").allowed()).isFalse();
    }

    @Test
    void aBatchTakesAsManyTokensAsEachClientHasRequestsOrAsItsBucketHolds() {
        RateLimiter limiter = limiter(3, 6);
        assertThat(limiter.takeAll(Map.of("a", 2, "b", 5)))
                .containsEntry("a", new RateLimiter.Grant(2, 0))
                .as("three of b's five pass; the next token in 10 s")
                .containsEntry("b", new RateLimiter.Grant(3, 10))
                .hasSize(2);
        assertThat(limiter.takeAll(Map.of("a", 2))).containsEntry("a", new RateLimiter.Grant(1, 10));
        assertThat(limiter.takeAll(Map.of("a", 1))).containsEntry("a", new RateLimiter.Grant(0, 10));
        clock.advance(Duration.ofSeconds(5));
        assertThat(limiter.takeAll(Map.of("a", 1)))
                .as("half a token, still none whole")
                .containsEntry("a", new RateLimiter.Grant(0, 5));
        clock.advance(Duration.ofSeconds(5));
        assertThat(limiter.takeAll(Map.of("a", 1))).containsEntry("a", new RateLimiter.Grant(1, 0));
    }

    @Test
    void batchesAndSingleRequestsTakeFromTheSameBuckets() {
        RateLimiter one = limiter(3, 1);
        RateLimiter other = limiter(3, 1);
        assertThat(one.takeAll(Map.of("a", 2)).get("a").granted()).isEqualTo(2);
        assertThat(other.tryAcquire("a").allowed()).isTrue();
        assertThat(one.tryAcquire("a").allowed()).isFalse();
        assertThat(other.takeAll(Map.of("a", 1)).get("a").granted()).isZero();
    }

    @Test
    void aBatchThatRollsBackTakesNothing() {
        RateLimiter limiter = limiter(2, 1);
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    assertThat(limiter.takeAll(Map.of("a", 2)).get("a").granted())
                            .isEqualTo(2);
                    throw new IllegalStateException("the batch's write failed");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(limiter.takeAll(Map.of("a", 3)).get("a").granted()).isEqualTo(2);
    }

    @Test
    void concurrentRequestsTakenTogetherPassExactlyUpToEachBucketAndTheRestLearnWhenToRetry() throws Exception {
        RateLimiter limiter = limiter(5, 6);
        RateLimiter otherInstance = limiter(5, 6);
        List<Callable<RateLimiter.Decision>> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String client = i % 3 == 0 ? "b" : "a";
            RateLimiter instance = i % 2 == 0 ? limiter : otherInstance;
            requests.add(() -> instance.tryAcquireTogether(client));
        }
        Map<Boolean, Long> a = new HashMap<>();
        Map<Boolean, Long> b = new HashMap<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<RateLimiter.Decision>> answers = threads.invokeAll(requests);
            for (int i = 0; i < answers.size(); i++) {
                RateLimiter.Decision decision = answers.get(i).get();
                if (!decision.allowed()) {
                    assertThat(decision.retryAfterSeconds())
                            .as("a token every 10 s")
                            .isEqualTo(10);
                }
                (i % 3 == 0 ? b : a).merge(decision.allowed(), 1L, Long::sum);
            }
        }
        assertThat(a)
                .as("a's 40 requests: its burst of 5 passes")
                .containsExactlyInAnyOrderEntriesOf(Map.of(true, 5L, false, 35L));
        assertThat(b)
                .as("b's 20 requests: its burst of 5 passes")
                .containsExactlyInAnyOrderEntriesOf(Map.of(true, 5L, false, 15L));
        assertThat(limiter.tryAcquire("a").allowed())
                .as("one bucket with the single requests")
                .isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.tryAcquireTogether("a").allowed()).isTrue();
        assertThat(limiter.tryAcquireTogether("a").allowed()).isFalse();
    }

    @Test
    void requestsTakenTogetherInsideATransactionTakeTheirTokenInThatTransaction() {
        RateLimiter limiter = limiter(1, 1);
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    assertThat(limiter.tryAcquireTogether("a").allowed()).isTrue();
                    throw new IllegalStateException("the caller's transaction failed");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(limiter.tryAcquireTogether("a").allowed())
                .as("rolled back with it")
                .isTrue();
        assertThat(limiter.tryAcquireTogether("a").allowed()).isFalse();
    }

    @Test
    void aBucketFullAgainIsForgottenAndOneStillRefillingIsKept() {
        RateLimiter limiter = limiter(2, 60);
        limiter.tryAcquire("full-soon");
        clock.advance(Duration.ofSeconds(1));
        limiter.tryAcquire("refilling");
        limiter.tryAcquire("refilling");
        clock.advance(Duration.ofMillis(1500)); // the first is full again, the second lacks half a token

        RateLimiter.forgetFull(jdbc, clock.instant(), 1000);

        assertThat(jdbc.sql("SELECT client FROM rate_limit_bucket WHERE limiter = :name")
                        .param("name", name)
                        .query(String.class)
                        .list())
                .containsExactly("refilling");
        assertThat(limiter.tryAcquire("refilling").allowed()).isTrue();
        assertThat(limiter.tryAcquire("refilling").allowed()).isFalse();
    }

    @Test
    void countsAnIpv6SlashSixtyFourAsOneClient() {
        RateLimiter limiter = limiter(2, 1);
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
}
