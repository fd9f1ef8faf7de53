package dev.kindling.platform.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecurringTest {

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void runsTheTaskAgainAfterAFailedRunAndStopsWhenAsked() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        Recurring recurring = new Recurring("test", Duration.ofMillis(5), () -> {
            runs.incrementAndGet();
            third.countDown();
            if (runs.get() == 1) {
                throw new IllegalStateException("the first run fails");
            }
        });

        recurring.start();
        assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threadNamed("kindling-test")).isTrue();
        recurring.stop();

        // stop() joins the thread: once it returns, no run can follow
        assertThat(threadNamed("kindling-test")).isFalse();
    }

    @Test
    void aZeroIntervalNeverStartsTheThread() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        Recurring recurring = new Recurring("off", Duration.ZERO, runs::incrementAndGet);

        recurring.start();

        assertThat(threadNamed("kindling-off")).isFalse();
        recurring.stop();
        assertThat(runs.get()).isZero();
    }
}
