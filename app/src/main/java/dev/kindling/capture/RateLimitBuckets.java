package dev.kindling.capture;

import dev.kindling.platform.time.Recurring;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every minute, deletes the rate limits' buckets that are full again (the same as no bucket), a batch at a time: rows
 * no one needs, so two instances doing it at once is harmless.
 */
@Component
class RateLimitBuckets {

    private static final int BATCH = 10_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Recurring recurring;

    RateLimitBuckets(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.recurring = new Recurring("rate-limit-buckets", Duration.ofMinutes(1), this::forgetFull);
    }

    void forgetFull() {
        while (RateLimiter.forgetFull(jdbc, clock.instant(), BATCH) == BATCH) {
            // another batch
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        recurring.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        recurring.stop();
    }
}
