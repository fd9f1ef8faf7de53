package dev.kindling.platform.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecurringTest {

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
        recurring.stop();
        int afterStop = runs.get();
        Thread.sleep(50);

        assertThat(runs.get()).isEqualTo(afterStop);
    }

    @Test
    void aZeroIntervalNeverStartsTheThread() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        Recurring recurring = new Recurring("off", Duration.ZERO, runs::incrementAndGet);

        recurring.start();
        Thread.sleep(50);
        recurring.stop();

        assertThat(runs.get()).isZero();
    }
}
