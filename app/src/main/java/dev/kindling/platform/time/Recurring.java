package dev.kindling.platform.time;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task run again and again on a daemon thread of its own, with a pause between runs — how the due-only jobs
 * (decay, inactivity, condition checks) sweep what has fallen due. A failed run is logged and retried after the
 * pause. A zero or negative interval never starts the thread (tests run such jobs by hand).
 */
public final class Recurring {

    private static final Logger log = LoggerFactory.getLogger(Recurring.class);

    private final String name;
    private final Duration interval;
    private final Runnable task;
    private volatile boolean running;
    private Thread thread;

    public Recurring(String name, Duration interval, Runnable task) {
        this.name = name;
        this.interval = interval;
        this.task = task;
    }

    public synchronized void start() {
        if (thread != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("kindling-" + name).start(this::loop);
    }

    public synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
            thread = null;
        }
    }

    private void loop() {
        while (running) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} run failed; retrying in {}", name, interval, e);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
