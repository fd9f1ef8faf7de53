package dev.kindling.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Drives intake on {@code kindling.intake.workers} dedicated threads, each taking its lane of the queue
 * ({@link IntakeLane}: its share of the prospects): each processes batches while there is a full one, then
 * waits until an accepting transaction commits or the poll interval passes (activities accepted
 * by another instance, or before a restart, are found by polling). Several instances may run
 * at once: each claims different rows. One thread waits on the database while another computes, which a single
 * thread could not use: in W1 it alternated between the two, about one core of two busy (docs/benchmarks.md).
 *
 * <p>A failing batch never stops the pipeline. It is retried with a growing pause; when it
 * keeps failing for a reason that is not the database being unavailable, its activities are
 * processed one by one and each one that still fails is taken out of the queue with the reason
 * ({@code activity.failed_reason}), so the others proceed.
 */
@Component
class IntakeWorker {

    private static final Logger log = LoggerFactory.getLogger(IntakeWorker.class);
    private static final int ISOLATE_AFTER_FAILURES = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final int MAX_REASON = 1_000;

    private final IntakeBatch batch;
    private final IntakeProperties properties;
    private final IntakeBatchSize batchSize;
    private final Counter processed;
    private final Counter failed;
    private final List<Semaphore> wakes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    IntakeWorker(IntakeBatch batch, IntakeProperties properties, IntakeBatchSize batchSize, MeterRegistry registry) {
        this.batch = batch;
        this.properties = properties;
        this.batchSize = batchSize;
        this.processed = Counter.builder("kindling.intake.processed")
                .description("Activities processed by intake")
                .register(registry);
        this.failed = Counter.builder("kindling.intake.failed")
                .description("Activities intake gave up on (see activity.failed_reason)")
                .register(registry);
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        if (!threads.isEmpty()) {
            return;
        }
        running = true;
        int count = properties.workers();
        for (int i = 0; i < count; i++) {
            Semaphore wake = new Semaphore(0);
            IntakeLane lane = new IntakeLane(i, count);
            wakes.add(wake);
            threads.add(Thread.ofPlatform()
                    .name(count == 1 ? "kindling-intake" : "kindling-intake-" + i)
                    .daemon(true)
                    .start(() -> run(lane, wake)));
        }
    }

    /** Wakes the processor once an accepting transaction has committed. */
    @TransactionalEventListener
    void onAccepted(ActivitiesAccepted accepted) {
        wake();
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        running = false;
        if (threads.isEmpty()) {
            return;
        }
        wake();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(10));
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(5));
            }
        }
        threads.clear();
        wakes.clear();
    }

    private void wake() {
        for (Semaphore wake : wakes) {
            if (wake.availablePermits() == 0) {
                wake.release();
            }
        }
    }

    private void run(IntakeLane lane, Semaphore wake) {
        if (!properties.startDelay().isZero()) {
            log.info("Intake processing starts in {}", properties.startDelay());
            sleep(properties.startDelay());
        }
        List<Long> claimed = new ArrayList<>();
        int failures = 0;
        while (running) {
            try {
                int size = batchSize.get();
                int n = batch.processNext(size, claimed, lane);
                processed.increment(n);
                failures = 0;
                if (n < size) {
                    awaitWork(wake);
                }
            } catch (RuntimeException e) {
                failures++;
                if (!running) {
                    break;
                }
                log.warn("Intake batch of {} activities failed (attempt {})", claimed.size(), failures, e);
                if (failures >= ISOLATE_AFTER_FAILURES && !claimed.isEmpty() && !isDatabaseUnavailable(e)) {
                    try {
                        isolate(List.copyOf(claimed));
                        failures = 0;
                    } catch (RuntimeException again) {
                        log.warn("Isolating the failing activities failed too", again);
                        sleep(backoff(failures));
                    }
                } else {
                    sleep(backoff(failures));
                }
            }
        }
        log.info("Intake processing stopped");
    }

    /** Processes the activities of a failing batch one by one; gives up only on those that fail alone. */
    private void isolate(List<Long> ids) {
        log.warn("Processing {} activities one by one to find the ones that fail", ids.size());
        for (long id : ids) {
            if (!running) {
                return;
            }
            try {
                if (batch.processOne(id)) {
                    processed.increment();
                }
            } catch (RuntimeException e) {
                if (isDatabaseUnavailable(e)) {
                    log.warn("Database unavailable while isolating activity {}", id, e);
                    sleep(backoff(ISOLATE_AFTER_FAILURES));
                    return;
                }
                log.error("Activity {} cannot be processed; it is taken out of the queue", id, e);
                batch.markFailed(id, reason(e));
                failed.increment();
            }
        }
    }

    private void awaitWork(Semaphore wake) {
        try {
            if (wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Sleeps without being cut short by new work (a pause is a pause), but not past a stop. */
    private void sleep(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (running) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private Duration backoff(int failures) {
        Duration pause = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 16));
        return pause.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : pause;
    }

    /** Failures that say nothing about the activities themselves: retry, never give up on a row. */
    private static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Throwable e) {
        String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }
}
