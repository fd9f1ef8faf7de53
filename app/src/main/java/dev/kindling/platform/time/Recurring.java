package dev.kindling.platform.time;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task run again and again on a daemon thread of its own, with a pause between runs — the thread under the due
 * sweeps ({@link DueSweep}: decay, inactivity, condition and SLA checks), the program sweeper and the outboxes
 * ({@code platform.outbound.Outbox}: mail, webhooks).
 * {@link #wake()} ends the current pause early (an outbox wakes its worker after the commit that filled it). A failed
 * run is logged and retried after the pause. A zero or negative interval never starts the thread (tests run such
 * jobs by hand).
 *
 * <p>Each loop's runs are metrics an operator sees ({@code /actuator/prometheus}, tag {@code job}):
 * {@code kindling.job.runs}, {@code kindling.job.failures} and {@code kindling.job.last.success} (epoch seconds of
 * the last run that did not fail; 0 before one).
 */
public final class Recurring {

    private static final Logger log = LoggerFactory.getLogger(Recurring.class);

    private final String name;
    private final Duration interval;
    private final Runnable task;
    private volatile boolean running;
    private volatile Thread thread;
    private final Counter runs;
    private final Counter failures;
    private final AtomicLong lastSuccess = new AtomicLong();

    public Recurring(String name, Duration interval, Runnable task) {
        this.name = name;
        this.interval = interval;
        this.task = task;
        // the global registry, which Spring Boot's registry joins: a loop is made with new, not as a bean
        this.runs = Counter.builder("kindling.job.runs")
                .tag("job", name)
                .description("runs of a background job on this instance")
                .register(Metrics.globalRegistry);
        this.failures = Counter.builder("kindling.job.failures")
                .tag("job", name)
                .description("runs of a background job that failed (logged, retried after the pause)")
                .register(Metrics.globalRegistry);
        Gauge.builder("kindling.job.last.success", lastSuccess, AtomicLong::get)
                .tag("job", name)
                .description("when a run of the job last succeeded on this instance, in epoch seconds (0: never)")
                .strongReference(true)
                .register(Metrics.globalRegistry);
    }

    public synchronized void start() {
        if (thread != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("kindling-" + name).start(this::loop);
    }

    /** Runs the task now instead of at the end of the current pause (no effect when the thread is not running). */
    public void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public synchronized void stop() throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            LockSupport.unpark(t);
            t.join(10_000);
            thread = null;
        }
    }

    private void loop() {
        while (running) {
            try {
                runs.increment();
                task.run();
                lastSuccess.set(System.currentTimeMillis() / 1000);
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("{} run failed; retrying in {}", name, interval, e);
            }
            if (!running || Thread.currentThread().isInterrupted()) {
                return;
            }
            // a park, not a sleep, so wake() can end it; it may also return early, which only runs the task sooner
            LockSupport.parkNanos(interval.toNanos());
        }
    }
}
