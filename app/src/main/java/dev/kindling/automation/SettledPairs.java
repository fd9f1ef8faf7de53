package dev.kindling.automation;

import dev.kindling.engine.automation.Repeat;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The (rule, prospect) pairs the claim is known to find ineligible, so that {@link RuleMatching#matchAll} leaves them
 * out instead of probing their {@code automation_rule_prospect} row once more on every evaluation (a prospect goes on
 * meeting the conditions it met: W1 in docs/benchmarks.md). Two kinds:
 *
 * <ul>
 *   <li><em>matched for good</em>: a rule that matches once and has matched the prospect, or a repeating rule whose
 *       {@code maxMatches} the prospect has reached;
 *   <li><em>waiting</em>: a repeating rule with days before eligible that matched the prospect last at {@code L}:
 *       ineligible while {@code L} is after the rule's bound ({@code now} less the days).
 * </ul>
 *
 * <p>Both hold for as long as the rule's repeat settings stay: rows of {@code automation_rule_prospect} are removed
 * only with their rule or prospect (a merge moves the loser's to the survivor, keeping the later last match, and
 * deletes the loser), and {@code matches} and {@code last_match_at} only grow. Only committed rows are recorded (the
 * claim reports the pairs after its transaction commits), so a pair found here is one the claim would find
 * ineligible anyway: leaving it out changes nothing but the work. The pairs are kept per rule under the repeat
 * settings they were judged by; a rule whose settings changed starts again empty. A miss only costs the probe, so the
 * memory is bounded: matched-for-good pairs as bitmaps of prospect ids in chunks of {@value #CHUNK_BITS} ids, at most
 * {@value #MAX_CHUNKS} chunks in all (8 KiB each), and at most {@value #MAX_WAITING} waiting pairs; beyond that
 * nothing more is recorded.
 */
@Component
class SettledPairs {

    static final int CHUNK_BITS = 1 << 16;
    static final int MAX_CHUNKS = 4_096;
    static final int MAX_WAITING = 200_000;

    private final Map<Long, Settled> byRule = new ConcurrentHashMap<>();
    private final AtomicInteger chunks = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();

    /** Whether the claim of this pair is known to find it ineligible for good under the rule's current settings. */
    boolean settled(AutomationRule rule, long prospectId) {
        Settled s = current(rule);
        return s != null && s.contains(prospectId);
    }

    /**
     * Whether the claim of this pair at {@code now} is known to find it ineligible under the rule's current settings:
     * matched for good, or waiting for its days to pass. At the bound itself the pair is not skipped (within a
     * microsecond of it, the claim decides).
     */
    boolean ineligible(AutomationRule rule, long prospectId, Instant now) {
        Settled s = current(rule);
        if (s == null) {
            return false;
        }
        if (s.contains(prospectId)) {
            return true;
        }
        Long lastMatch = s.lastMatch(prospectId);
        return lastMatch != null && lastMatch > micros(rule.repeat().lastMatchNoLaterThan(now)) + 1;
    }

    /** Records these pairs as matched for good under the rule's settings (committed rows only). */
    void add(AutomationRule rule, Collection<Long> prospectIds) {
        if (prospectIds.isEmpty()) {
            return;
        }
        Settled s = entry(rule);
        prospectIds.forEach(s::add);
    }

    /**
     * Records these pairs of a repeating rule with days before eligible as last matched at these instants (committed
     * rows only): they wait until the days have passed.
     */
    void waiting(AutomationRule rule, Map<Long, Instant> lastMatches) {
        if (lastMatches.isEmpty() || !rule.repeat().repeats() || rule.repeat().daysBeforeEligible() == 0) {
            return;
        }
        Settled s = entry(rule);
        lastMatches.forEach((id, at) -> s.lastMatchAt(id, micros(at)));
    }

    private Settled current(AutomationRule rule) {
        Settled s = byRule.get(rule.id());
        return s != null && s.repeat.equals(rule.repeat()) ? s : null;
    }

    private Settled entry(AutomationRule rule) {
        return byRule.compute(rule.id(), (id, old) -> {
            if (old != null && old.repeat.equals(rule.repeat())) {
                return old;
            }
            if (old != null) {
                old.release();
            }
            return new Settled(rule.repeat());
        });
    }

    private static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    /** Whether a pair with this many matches can never be claimed again under these settings. */
    static boolean forGood(Repeat repeat, int matches) {
        return matches > 0 && (!repeat.repeats() || (repeat.maxMatches() != null && matches >= repeat.maxMatches()));
    }

    /** How many pairs are recorded (tests, figures). */
    long size() {
        return byRule.values().stream().mapToLong(Settled::size).sum();
    }

    private final class Settled {
        final Repeat repeat;
        private final Map<Long, long[]> bits = new HashMap<>();
        private final Map<Long, Long> lastMatches = new HashMap<>();

        Settled(Repeat repeat) {
            this.repeat = repeat;
        }

        synchronized boolean contains(long id) {
            long[] words = bits.get(id / CHUNK_BITS);
            int bit = (int) (id % CHUNK_BITS);
            return words != null && (words[bit >>> 6] & (1L << bit)) != 0;
        }

        synchronized void add(long id) {
            if (id < 0) {
                return;
            }
            long[] words = bits.get(id / CHUNK_BITS);
            if (words == null) {
                if (chunks.incrementAndGet() > MAX_CHUNKS) {
                    chunks.decrementAndGet();
                    return;
                }
                words = new long[CHUNK_BITS / 64];
                bits.put(id / CHUNK_BITS, words);
            }
            int bit = (int) (id % CHUNK_BITS);
            words[bit >>> 6] |= 1L << bit;
            if (lastMatches.remove(id) != null) {
                waiting.decrementAndGet();
            }
        }

        /** A waiting pair's last match, in microseconds; matched-for-good pairs are not kept here. */
        synchronized Long lastMatch(long id) {
            return lastMatches.get(id);
        }

        synchronized void lastMatchAt(long id, long lastMatchMicros) {
            Long before = lastMatches.get(id);
            if (before != null) {
                lastMatches.put(id, Math.max(before, lastMatchMicros));
                return;
            }
            if (waiting.incrementAndGet() > MAX_WAITING) {
                waiting.decrementAndGet();
                return;
            }
            lastMatches.put(id, lastMatchMicros);
        }

        synchronized void release() {
            chunks.addAndGet(-bits.size());
            waiting.addAndGet(-lastMatches.size());
            bits.clear();
            lastMatches.clear();
        }

        synchronized long size() {
            long n = 0;
            for (long[] words : bits.values()) {
                for (long w : words) {
                    n += Long.bitCount(w);
                }
            }
            return n;
        }
    }
}
