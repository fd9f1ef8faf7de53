package dev.kindling.bench.ingest;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Spreads W1's batches over several app instances on the same database, as a load balancer without stickiness would:
 * each request goes to the next instance in turn (round-robin per request), whichever sender makes it. With one
 * instance it is that instance's {@link IntakeClient}, nothing more.
 *
 * <p>With failover on (W1's {@code --kill-one-at}), an instance marked down ({@link #markDown}) is skipped, and a
 * batch whose request fails at the connection (the instance was killed: refused, reset, closed) is marked down and
 * sent to the next instance still up, as a client behind a load balancer would see it retried. A batch the killed
 * instance had committed but not answered comes back from the next one as duplicates. Without failover a failed
 * request fails the run, as before.
 */
final class SpreadClient implements BatchSender {

    private final List<IntakeClient> instances;
    private final boolean failover;
    private final AtomicLong next = new AtomicLong();
    private final AtomicIntegerArray down;
    private final AtomicLongArray answered;
    private final AtomicLong failedOver = new AtomicLong();

    SpreadClient(List<IntakeClient> instances, boolean failover) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("no instance to send to");
        }
        this.instances = List.copyOf(instances);
        this.failover = failover;
        this.down = new AtomicIntegerArray(instances.size());
        this.answered = new AtomicLongArray(instances.size());
    }

    @Override
    public IntakeClient.Accepted send(byte[] body) throws IOException, InterruptedException {
        while (true) {
            int instance = pick();
            try {
                IntakeClient.Accepted answer = instances.get(instance).send(body);
                answered.incrementAndGet(instance);
                return answer;
            } catch (IOException unreachable) {
                if (!failover) {
                    throw unreachable;
                }
                markDown(instance);
                failedOver.incrementAndGet();
            }
        }
    }

    /** The next instance in turn that is not down; fails when all are. */
    private int pick() {
        int n = instances.size();
        for (int tries = 0; tries < n; tries++) {
            int instance = (int) Math.floorMod(next.getAndIncrement(), (long) n);
            if (down.get(instance) == 0) {
                return instance;
            }
        }
        throw new IllegalStateException("every instance is down");
    }

    /** No more batches to this instance (it was killed). */
    void markDown(int instance) {
        down.set(instance, 1);
    }

    /** The first instance not down: where the harness asks for the intake's status (pending is the database's). */
    IntakeClient statusClient() {
        for (int i = 0; i < instances.size(); i++) {
            if (down.get(i) == 0) {
                return instances.get(i);
            }
        }
        throw new IllegalStateException("every instance is down");
    }

    /** Batches each instance answered, by instance. */
    long[] answered() {
        long[] counts = new long[instances.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = answered.get(i);
        }
        return counts;
    }

    /** Requests that failed at the connection and were sent again to another instance. */
    long failedOver() {
        return failedOver.get();
    }
}
