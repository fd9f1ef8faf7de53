package dev.kindling.automation;

import dev.kindling.engine.automation.Repeat;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The (rule, prospect) pairs known to be <em>matched for good</em>: a rule that matches once and has matched the
 * prospect, or a repeating rule whose {@code maxMatches} the prospect has reached. Such a pair can never be claimed
 * again — {@code automation_rule_prospect} rows are never removed while both the rule and the prospect exist, and
 * their {@code matches} only grow — so {@link RuleMatching#matchAll} leaves it out of the claim instead of probing
 * its row once more on every evaluation (a prospect goes on meeting the conditions it met: W1 in
 * docs/benchmarks.md).
 *
 * <p>Only committed rows are recorded (the claim reports the pairs after its transaction commits), so a pair found
 * here is one the claim would find ineligible anyway: leaving it out changes nothing but the work. The pairs are kept
 * per rule under the repeat settings they were settled for; a rule whose settings changed starts again empty. A miss
 * only costs the probe, so the memory is bounded: bitmaps of prospect ids in chunks of {@value #CHUNK_BITS} ids, at
 * most {@value #MAX_CHUNKS} chunks in all (8 KiB each); beyond that nothing more is recorded.
 */
@Component
class SettledPairs {

    static final int CHUNK_BITS = 1 << 16;
    static final int MAX_CHUNKS = 4_096;

    private final Map<Long, Settled> byRule = new ConcurrentHashMap<>();
    private final AtomicInteger chunks = new AtomicInteger();

    /** Whether the claim of this pair is known to find it ineligible under the rule's current settings. */
    boolean settled(AutomationRule rule, long prospectId) {
        Settled s = byRule.get(rule.id());
        return s != null && s.repeat.equals(rule.repeat()) && s.contains(prospectId);
    }

    /** Records these pairs as matched for good under the rule's settings (committed rows only). */
    void add(AutomationRule rule, Collection<Long> prospectIds) {
        if (prospectIds.isEmpty()) {
            return;
        }
        Settled s = byRule.compute(rule.id(), (id, old) -> {
            if (old != null && old.repeat.equals(rule.repeat())) {
                return old;
            }
            if (old != null) {
                chunks.addAndGet(-old.release());
            }
            return new Settled(rule.repeat());
        });
        prospectIds.forEach(s::add);
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
        }

        synchronized int release() {
            int n = bits.size();
            bits.clear();
            return n;
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
