package dev.kindling.platform.database;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit for callers that each want one answer from the database: each caller queues its input and takes the
 * lock; whoever holds it hands every input queued so far (up to a maximum) to one call of {@code all}, which answers
 * them in order, and wakes their callers. Under load one statement and one commit serve many callers instead of one
 * each; alone, a caller is served at once. A failure of {@code all} is thrown to every caller of that group.
 *
 * @param <I> what one caller asks
 * @param <O> its answer
 */
public final class TakenTogether<I, O> {

    private final int max;
    private final Function<List<I>, List<O>> all;
    private final ConcurrentLinkedQueue<Waiting<I, O>> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock taking = new ReentrantLock();

    /** {@code all} answers a group of at most {@code max} inputs, one answer per input in the same order. */
    public TakenTogether(int max, Function<List<I>, List<O>> all) {
        if (max < 1) {
            throw new IllegalArgumentException("a group holds at least 1 input, not " + max);
        }
        this.max = max;
        this.all = all;
    }

    /** The answer to {@code input}, given with whatever other inputs were waiting at the same moment. */
    public O take(I input) {
        Waiting<I, O> mine = new Waiting<>(input);
        waiting.add(mine);
        while (!mine.done) {
            taking.lock();
            try {
                if (!mine.done) {
                    takeWaiting();
                }
            } finally {
                taking.unlock();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.answer;
    }

    /** Answers up to {@link #max} waiting inputs with one call of {@link #all}; holds the lock. */
    private void takeWaiting() {
        List<Waiting<I, O>> group = new ArrayList<>();
        Waiting<I, O> next;
        while (group.size() < max && (next = waiting.poll()) != null) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return;
        }
        try {
            List<O> answers = all.apply(group.stream().map(w -> w.input).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer = answers.get(i);
            }
        } catch (RuntimeException e) {
            group.forEach(w -> w.failure = e);
        } finally {
            group.forEach(w -> w.done = true);
        }
    }

    /** One caller's input, then its answer or the group's failure. */
    private static final class Waiting<I, O> {
        final I input;
        volatile O answer;
        volatile RuntimeException failure;
        volatile boolean done;

        Waiting(I input) {
            this.input = input;
        }
    }
}
