package dev.kindling.conditions;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.condition.CompiledConditions;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ConditionReads;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.grading.GradesChanged;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.prospects.ProspectRows;
import dev.kindling.prospects.ProspectsChanged;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The event path of conditions: every {@link ConditionWatcher} stays current for exactly the prospects that
 * changed. The ids of every {@link ConditionFactsChanged}, {@code ProspectsChanged} and {@code GradesChanged} published in a
 * transaction are collected, and just before it commits (so every write of the transaction — processed activities,
 * scores, grades, stages — is visible) the facts of those prospects are loaded once, every watched condition is
 * evaluated in memory, each watcher applies the answer in batch, and each prospect's {@code condition_check_at}
 * is set to the first instant one of the watched conditions can flip for it with the clock alone
 * ({@link ConditionCheckJob} re-evaluates it then). Watchers' own changes come back as such events
 * and are settled in further rounds, at most {@value #MAX_ROUNDS}.
 *
 * <p>The relevance index: each event says what changed ({@link ConditionFactsChanged#changed}: the score, a list's
 * membership…), and each distinct condition's reads are computed once per settle ({@link ConditionReads}). The first
 * round evaluates everything; a later round evaluates for a prospect only the conditions reading what changed of it
 * since (or whose next flip has come), keeps the other answers, loads only the facts those need, writes the condition
 * check only where it moved, and hands each watcher only the prospects for which one of its conditions was evaluated
 * again or what its state {@link ConditionWatcher#dependsOn depends on} changed. The answers the watchers get are
 * the ones a full evaluation would give (docs/conditions.md, "The relevance index"). A settle reads each prospect's
 * counted activities once, for every watched condition's needs, and its later rounds take them from there until a
 * change of that prospect's activities is told ({@link ActivitiesStored} included).
 */
@Component
public class ConditionWatchers {

    private static final Logger log = LoggerFactory.getLogger(ConditionWatchers.class);
    static final int MAX_ROUNDS = 10;
    static final int CHUNK = 2_000;

    private final ObjectProvider<ConditionWatcher> watchers;
    private final ProspectFactsLoader loader;
    private final LifecycleThresholds thresholds;
    private final Clock clock;
    private final TransactionTemplate tx;

    private final ProspectRows prospectRows;
    private volatile boolean relevance;
    private volatile boolean activityCache;
    private final Counter settles;
    private final Counter roundsCounter;
    private final Counter evaluatedCounter;
    private final Counter keptCounter;
    private final Counter activitiesLoaded;
    private final Counter activitiesReused;

    ConditionWatchers(
            ObjectProvider<ConditionWatcher> watchers,
            ProspectFactsLoader loader,
            LifecycleThresholds thresholds,
            Clock clock,
            PlatformTransactionManager transactions,
            ProspectRows prospectRows,
            MeterRegistry registry,
            @Value("${kindling.conditions.relevance-index:true}") boolean relevance,
            @Value("${kindling.conditions.activity-cache:true}") boolean activityCache) {
        this.prospectRows = prospectRows;
        this.relevance = relevance;
        this.activityCache = activityCache;
        this.settles = Counter.builder("kindling.conditions.settles")
                .description("transactions whose condition watchers settled before commit")
                .register(registry);
        this.roundsCounter = Counter.builder("kindling.conditions.rounds")
                .description("settling rounds of the condition watchers")
                .register(registry);
        this.evaluatedCounter = Counter.builder("kindling.conditions.answers.evaluated")
                .description("(prospect, distinct condition) answers evaluated while settling")
                .register(registry);
        this.keptCounter = Counter.builder("kindling.conditions.answers.kept")
                .description("(prospect, distinct condition) answers kept from an earlier round (relevance index)")
                .register(registry);
        this.activitiesLoaded = Counter.builder("kindling.conditions.activities.loaded")
                .description("prospects whose counted activities the watchers read from the database (a settle once"
                        + " each, unless a change of their activities was told since)")
                .register(registry);
        this.activitiesReused = Counter.builder("kindling.conditions.activities.reused")
                .description("prospects whose counted activities a later round of a settle took from the ones it read"
                        + " before instead of reading them again")
                .register(registry);
        this.watchers = watchers;
        this.loader = loader;
        this.thresholds = thresholds;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Turns the relevance index off (every round evaluates everything, as before it): for tests comparing the two. */
    void relevance(boolean on) {
        this.relevance = on;
    }

    /**
     * Turns the settle's activity cache off (every round that needs a prospect's activities reads them again, as
     * before it): for tests comparing the two. The cache works with the relevance index only.
     */
    void activityCache(boolean on) {
        this.activityCache = on;
    }

    @EventListener
    void on(ConditionFactsChanged changed) {
        changed(changed.prospectIds(), changed.changed());
    }

    @EventListener
    void on(ProspectsChanged changed) {
        changed(changed.ids(), changed.changed());
    }

    @EventListener
    void on(GradesChanged changed) {
        changed(changed.ids(), ConditionReads.of(ConditionReads.Fact.GRADE));
    }

    /**
     * Activities stored for these prospects whose processing comes later (a program's email recorded as sent): no
     * round re-evaluates for them, but a settle under way must not answer later rounds from the activities it read
     * before they were stored.
     */
    @EventListener
    void on(ActivitiesStored stored) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
        if (pending != null && pending.activities != null) {
            pending.activities.forget(stored.prospectIds());
        }
    }

    /**
     * Pending prospects of the current transaction and, for each, what changed of it since it was last evaluated,
     * bound as a transaction resource under this bean.
     */
    private static final class Pending {
        final Map<Long, ConditionReads> changes = new TreeMap<>();

        /** The activities the settle under way read, once it started (with the relevance index only). */
        ActivityCache activities;
    }

    /**
     * The counted activities a settle read, per prospect, for the needs of every watched condition (so they cover
     * whatever a later round evaluates again), with the instant they were read at: a later round at a later instant
     * takes them instead of reading them again (a window reaching back from a later instant reaches less far). A
     * prospect's entry is forgotten as soon as a change of its activities is told (a {@link ConditionFactsChanged}
     * whose {@link ConditionFactsChanged#changed changes} name activities or everything, {@code ProspectsChanged}, or
     * {@link ActivitiesStored}); it lives as long as the settle, never beyond its transaction.
     */
    private static final class ActivityCache {
        final ConditionNeeds needs;
        final Map<Long, Read> read = new HashMap<>();

        record Read(Instant at, List<Activity> activities) {}

        ActivityCache(ConditionNeeds needs) {
            this.needs = needs;
        }

        /** Whether this prospect's activities were read at or before {@code now} and not forgotten since. */
        boolean covers(Long id, Instant now) {
            Read r = read.get(id);
            return r != null && !r.at().isAfter(now);
        }

        void forget(Collection<Long> ids) {
            if (!read.isEmpty()) {
                ids.forEach(read::remove);
            }
        }
    }

    /** Whether a change named so can add, move or remove activities of a prospect. */
    private static boolean touchesActivities(ConditionReads changed) {
        return changed.everything()
                || changed.anyActivityType()
                || !changed.activityTypes().isEmpty();
    }

    private void changed(Set<Long> ids, ConditionReads what) {
        if (ids.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            tx.executeWithoutResult(status -> changed(ids, what));
            return;
        }
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            Pending created = new Pending();
            pending = created;
            TransactionSynchronizationManager.bindResource(this, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    settle(created);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(ConditionWatchers.this);
                }
            });
        }
        for (Long id : ids) {
            pending.changes.merge(id, what, ConditionReads::plus);
        }
        if (pending.activities != null && touchesActivities(what)) {
            pending.activities.forget(ids);
        }
    }

    private void settle(Pending pending) {
        definitions.set(readDefinitions(relevance));
        try {
            settleRounds(pending);
        } finally {
            definitions.remove();
        }
    }

    private void settleRounds(Pending pending) {
        Memo memo = relevance ? new Memo() : null;
        if (memo != null && activityCache) {
            ConditionNeeds all = ConditionNeeds.of(definitions.get().conditions());
            if (all.activities()) {
                pending.activities = new ActivityCache(all);
            }
        }
        Tally tally = new Tally();
        int rounds = 0;
        while (!pending.changes.isEmpty()) {
            if (++rounds > MAX_ROUNDS) {
                log.warn(
                        "Condition watchers did not settle after {} rounds; {} prospects left to re-evaluate: {}",
                        MAX_ROUNDS,
                        pending.changes.size(),
                        pending.changes.keySet().stream().limit(20).toList());
                pending.changes.clear();
                break;
            }
            Map<Long, ConditionReads> changes = new TreeMap<>(pending.changes);
            pending.changes.clear();
            evaluateAll(changes, memo, pending.activities, tally);
        }
        pending.activities = null;
        settles.increment();
        roundsCounter.increment(Math.min(rounds, MAX_ROUNDS));
        evaluatedCounter.increment(tally.evaluated);
        keptCounter.increment(tally.kept);
        if (log.isDebugEnabled()) {
            log.debug(
                    "settled in {} rounds: {} prospect evaluations, {} (prospect, condition) answers evaluated, {}"
                            + " kept from an earlier round; activities read for {} prospects, taken from the settle"
                            + " for {}",
                    rounds,
                    tally.prospects,
                    tally.evaluated,
                    tally.kept,
                    tally.activitiesLoaded,
                    tally.activitiesReused);
        }
    }

    /**
     * Evaluates every watched condition for these prospects now, in the caller's transaction: watchers apply
     * the answer and every prospect's next condition check is rewritten. Used by the event path and by the due job.
     */
    public void evaluate(Collection<Long> prospectIds) {
        Map<Long, ConditionReads> changes = new TreeMap<>();
        prospectIds.forEach(id -> changes.put(id, ConditionReads.ALL));
        boolean outermost = definitions.get() == null;
        if (outermost) {
            definitions.set(readDefinitions(false));
        }
        try {
            Tally tally = new Tally();
            evaluateAll(changes, null, null, tally);
            log.debug(
                    "evaluated {} prospects outside a settle; activities read for {}",
                    prospectIds.size(),
                    tally.activitiesLoaded);
        } finally {
            if (outermost) {
                definitions.remove();
            }
        }
    }

    private void evaluateAll(Map<Long, ConditionReads> changes, Memo memo, ActivityCache activities, Tally tally) {
        List<Long> ids = List.copyOf(changes.keySet());
        for (int from = 0; from < ids.size(); from += CHUNK) {
            evaluateChunk(ids.subList(from, Math.min(ids.size(), from + CHUNK)), changes, memo, activities, tally);
        }
    }

    /**
     * The watched conditions, read once per evaluation (every chunk and every settling round of it, and the
     * watchers' own {@link #watchesLists} questions): they were read several times per intake batch before.
     * Nothing an evaluation does edits a list's or a rule's definition, so one read is current for all of it.
     */
    private final ThreadLocal<Definitions> definitions = new ThreadLocal<>();

    /**
     * The watchers' conditions as one evaluation sees them: each distinct condition once (rules and lists often share
     * one), with what it reads; for each watcher, the distinct conditions of its keys (as a set, and each key's) and
     * what else its state depends on ({@link ConditionWatcher#dependsOn}).
     */
    private record Definitions(
            List<Condition> conditions,
            List<ConditionReads> reads,
            BitSet readsCustom,
            Map<ConditionWatcher, BitSet> ofWatcher,
            Map<ConditionWatcher, ConditionReads> dependsOn,
            Map<ConditionWatcher, Map<Long, Integer>> keyIndex,
            boolean watchesLists) {}

    private Definitions readDefinitions(boolean withDependencies) {
        Map<ConditionWatcher, Map<Long, Condition>> watched = new LinkedHashMap<>();
        Map<ConditionWatcher, ConditionReads> dependsOn = new LinkedHashMap<>();
        watchers.orderedStream().forEach(w -> {
            Map<Long, Condition> conditions = w.watched();
            watched.put(w, conditions);
            ConditionReads depends = ConditionReads.NONE;
            if (withDependencies) {
                for (Long key : conditions.keySet()) {
                    depends = depends.plus(w.dependsOn(key));
                }
            }
            dependsOn.put(w, depends);
        });
        Map<Condition, Integer> index = new LinkedHashMap<>();
        Map<ConditionWatcher, BitSet> ofWatcher = new LinkedHashMap<>();
        // each key's distinct condition, looked up here once per evaluation rather than once per key and chunk (a
        // condition's hash walks its whole tree)
        Map<ConditionWatcher, Map<Long, Integer>> keyIndex = new LinkedHashMap<>();
        watched.forEach((w, conditions) -> {
            BitSet bits = new BitSet();
            Map<Long, Integer> keys = new LinkedHashMap<>();
            conditions.forEach((key, c) -> {
                int i = index.computeIfAbsent(c, k -> index.size());
                bits.set(i);
                keys.put(key, i);
            });
            ofWatcher.put(w, bits);
            keyIndex.put(w, keys);
        });
        List<Condition> conditions = List.copyOf(index.keySet());
        List<ConditionReads> reads = new ArrayList<>();
        BitSet readsCustom = new BitSet();
        for (int i = 0; i < conditions.size(); i++) {
            ConditionReads r = ConditionReads.of(conditions.get(i), ConditionFields::derivedReads);
            reads.add(r);
            if (r.everything()
                    || r.anyField()
                    || r.fields().stream().anyMatch(f -> f.startsWith(ConditionFields.CUSTOM_PREFIX))) {
                readsCustom.set(i);
            }
        }
        // some watched condition tests list membership: the same as asking each watcher's conditions in turn
        boolean watchesLists = ConditionNeeds.of(conditions).lists();
        return new Definitions(conditions, reads, readsCustom, ofWatcher, dependsOn, keyIndex, watchesLists);
    }

    /**
     * What a settle knows of each prospect it evaluated: the last answer and next flip of every distinct condition,
     * and the condition check it wrote. A later round evaluates again only the conditions that read what changed
     * since (or whose next flip has come), keeps the other answers, and hands each watcher only the prospects for
     * which one of its conditions was evaluated again or what it {@link ConditionWatcher#dependsOn depends on}
     * changed (docs/conditions.md, "The relevance index").
     */
    private static final class Memo {
        final Map<Long, Entry> entries = new HashMap<>();

        static final class Entry {
            final ConditionEvaluator.Outcome[] outcomes;
            boolean written;
            Instant check;

            Entry(ConditionEvaluator.Outcome[] outcomes) {
                this.outcomes = outcomes;
            }
        }
    }

    /** What a settle did, for the debug log and the meters. */
    private static final class Tally {
        long prospects;
        long evaluated;
        long kept;
        long activitiesLoaded;
        long activitiesReused;
    }

    private void evaluateChunk(
            List<Long> ids, Map<Long, ConditionReads> changes, Memo memo, ActivityCache activities, Tally tally) {
        Instant now = clock.instant();
        Definitions definitions = this.definitions.get();
        int n = definitions.conditions().size();
        if (n == 0) {
            List<Long> write = ids;
            if (memo != null) {
                write = ids.stream()
                        .filter(id ->
                                memo.entries.putIfAbsent(id, new Memo.Entry(new ConditionEvaluator.Outcome[0])) == null)
                        .toList();
            }
            if (!write.isEmpty()) {
                prospectRows.writeConditionChecks(write, Map.of());
            }
            return;
        }
        BitSet all = new BitSet();
        all.set(0, n);
        // which conditions each prospect needs evaluated again: all of them the first time, then those reading what
        // changed of it, or whose next flip has come
        Map<Long, BitSet> again = new HashMap<>();
        Map<ConditionReads, BitSet> byChange = new HashMap<>();
        BitSet needed = new BitSet();
        List<Long> load = new ArrayList<>();
        for (Long id : ids) {
            Memo.Entry entry = memo == null ? null : memo.entries.get(id);
            BitSet bits;
            if (entry == null) {
                bits = all;
            } else {
                ConditionReads change = changes.getOrDefault(id, ConditionReads.ALL);
                BitSet relevant = byChange.computeIfAbsent(change, c -> {
                    BitSet b = new BitSet();
                    for (int i = 0; i < n; i++) {
                        if (definitions.reads().get(i).intersects(c)) {
                            b.set(i);
                        }
                    }
                    return b;
                });
                bits = relevant;
                for (int i = 0; i < n; i++) {
                    Optional<Instant> flip = entry.outcomes[i].nextFlip();
                    if (flip.isPresent() && !flip.get().isAfter(now) && !bits.get(i)) {
                        bits = (BitSet) bits.clone();
                        bits.set(i);
                    }
                }
            }
            again.put(id, bits);
            if (!bits.isEmpty()) {
                load.add(id);
                needed.or(bits);
            }
        }
        List<Condition> neededConditions = new ArrayList<>();
        needed.stream()
                .forEach(i -> neededConditions.add(definitions.conditions().get(i)));
        boolean custom = memo == null || needed.intersects(definitions.readsCustom());
        ConditionNeeds needs = ConditionNeeds.of(neededConditions);
        Map<Long, ProspectFacts> facts = load(load, needs, now, custom, activities, tally);
        // the memberships just read, handed to the watchers (DynamicLists need not read them again)
        Map<Long, Set<Long>> lists = null;
        if (needs.lists()) {
            Map<Long, Set<Long>> read = new HashMap<>(facts.size() * 2);
            facts.forEach((id, f) -> read.put(id, f.listIds()));
            lists = java.util.Collections.unmodifiableMap(read);
        }
        // each set of conditions evaluated (all of them, or those a kind of change reaches) compiled once for the
        // chunk:
        // what the conditions share is then worked out once per prospect
        ConditionEvaluator evaluator = new ConditionEvaluator(thresholds.current());
        Map<BitSet, CompiledConditions> subsets = new HashMap<>();
        BitSet lastBits = null;
        CompiledConditions lastSubset = null;
        // the answers of every condition for every prospect of the chunk that exists, in id order
        Map<Long, ConditionEvaluator.Outcome[]> answers = new LinkedHashMap<>();
        for (Long id : ids) {
            BitSet bits = again.get(id);
            Memo.Entry entry = memo == null ? null : memo.entries.get(id);
            if (bits.isEmpty()) {
                answers.put(id, entry.outcomes);
                tally.kept += n;
                continue;
            }
            ProspectFacts prospect = facts.get(id);
            if (prospect == null) {
                if (memo != null) {
                    memo.entries.remove(id); // gone
                }
                if (activities != null) {
                    activities.forget(List.of(id));
                }
                continue;
            }
            // most prospects of a chunk share one set object (all conditions, or those one kind of change reaches):
            // the last set's compiled form is taken without hashing the set again
            CompiledConditions subset = bits == lastBits
                    ? lastSubset
                    : subsets.computeIfAbsent(bits, b -> {
                        List<Condition> list = new ArrayList<>();
                        b.stream()
                                .forEach(i -> list.add(definitions.conditions().get(i)));
                        return evaluator.compile(list);
                    });
            lastBits = bits;
            lastSubset = subset;
            List<ConditionEvaluator.Outcome> outcomes = subset.outcomes(prospect, now);
            ConditionEvaluator.Outcome[] all1 = entry == null ? new ConditionEvaluator.Outcome[n] : entry.outcomes;
            int k = 0;
            for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
                all1[i] = outcomes.get(k++);
            }
            if (memo != null && entry == null) {
                memo.entries.put(id, new Memo.Entry(all1));
            }
            answers.put(id, all1);
            tally.prospects++;
            tally.evaluated += outcomes.size();
            tally.kept += n - outcomes.size();
        }
        // the next condition check of each: the first flip of any of its conditions, evaluated now or kept
        Map<Long, Instant> checks = new HashMap<>();
        List<Long> write = memo == null ? ids : new ArrayList<>();
        answers.forEach((id, outcomes) -> {
            Instant check = null;
            for (ConditionEvaluator.Outcome outcome : outcomes) {
                Instant flip = outcome.nextFlip().orElse(null);
                if (flip != null && (check == null || flip.isBefore(check))) {
                    check = flip;
                }
            }
            if (check != null) {
                checks.put(id, check);
            }
            if (memo != null) {
                Memo.Entry entry = memo.entries.get(id);
                if (!entry.written || !java.util.Objects.equals(entry.check, check)) {
                    write.add(id);
                    entry.written = true;
                    entry.check = check;
                }
            }
        });
        // each watcher's prospects: all of them without the index; with it, those for which one of its conditions
        // was evaluated again or what its state depends on besides changed
        Map<ConditionWatcher, Set<Long>> handed = new LinkedHashMap<>();
        Set<Long> existing = java.util.Collections.unmodifiableSet(answers.keySet());
        definitions.keyIndex().keySet().forEach(w -> {
            if (memo == null) {
                handed.put(w, existing);
                return;
            }
            BitSet mine = definitions.ofWatcher().get(w);
            ConditionReads depends = definitions.dependsOn().get(w);
            Set<Long> prospects = new java.util.LinkedHashSet<>();
            for (Long id : existing) {
                if (again.get(id).intersects(mine)
                        || depends.intersects(changes.getOrDefault(id, ConditionReads.ALL))) {
                    prospects.add(id);
                }
            }
            handed.put(w, prospects.size() == existing.size() ? existing : prospects);
        });
        // per distinct condition and set of prospects handed, those of them meeting it (shared by the keys of a
        // watcher with the same condition)
        Map<Set<Long>, Map<Integer, Set<Long>>> matched = new java.util.IdentityHashMap<>();
        Map<ConditionWatcher, Map<Long, Set<Long>>> answersByWatcher = new LinkedHashMap<>();
        definitions.keyIndex().forEach((watcher, byKey) -> {
            Set<Long> prospects = handed.get(watcher);
            Map<Integer, Set<Long>> cache = matched.computeIfAbsent(prospects, p -> new HashMap<>());
            Map<Long, Set<Long>> matching = new HashMap<>();
            byKey.forEach((key, i) -> {
                matching.put(key, cache.computeIfAbsent(i, x -> {
                    Set<Long> meeting = new HashSet<>();
                    if (prospects == existing) {
                        // every prospect with answers (each watcher's set in a first round): read them in order,
                        // without a lookup per prospect
                        answers.forEach((id, outcomes) -> {
                            if (outcomes[x].matches()) {
                                meeting.add(id);
                            }
                        });
                        return meeting;
                    }
                    for (Long id : prospects) {
                        if (answers.get(id)[x].matches()) {
                            meeting.add(id);
                        }
                    }
                    return meeting;
                }));
            });
            answersByWatcher.put(watcher, matching);
        });
        if (!write.isEmpty()) {
            prospectRows.writeConditionChecks(write, checks);
        }
        Map<Long, Set<Long>> loaded = lists;
        answersByWatcher.forEach((watcher, matching) -> {
            Set<Long> prospects = handed.get(watcher);
            if (memo == null || !prospects.isEmpty()) {
                // what changed, with the relevance index only (without it, every prospect changed in every way)
                watcher.apply(
                        Set.copyOf(prospects),
                        matching,
                        now,
                        memo == null ? Map.of() : java.util.Collections.unmodifiableMap(changes),
                        unchangedSince(loaded));
            }
        });
    }

    /**
     * The memberships loaded for a round without the prospects whose memberships changed since the load (a watcher
     * earlier in the round joined them to a list or took them out of one: the change is pending by now, told by
     * {@code ListMembershipsChanged} or a change of everything), so that what a watcher is handed is each prospect's
     * current memberships; {@code null} stays null. The pending changes hold only what was told since the round
     * began (and, outside a settle, before the evaluation: then more prospects are left out than need be).
     */
    private Map<Long, Set<Long>> unchangedSince(Map<Long, Set<Long>> loaded) {
        if (loaded == null || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return loaded;
        }
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
        if (pending == null || pending.changes.isEmpty()) {
            return loaded;
        }
        Map<Long, Set<Long>> current = null;
        for (Map.Entry<Long, ConditionReads> change : pending.changes.entrySet()) {
            if (touchesLists(change.getValue()) && loaded.containsKey(change.getKey())) {
                if (current == null) {
                    current = new HashMap<>(loaded);
                }
                current.remove(change.getKey());
            }
        }
        return current == null ? loaded : java.util.Collections.unmodifiableMap(current);
    }

    /** Whether a change named so can add or remove list memberships of a prospect. */
    private static boolean touchesLists(ConditionReads changed) {
        return changed.everything() || changed.anyList() || !changed.lists().isEmpty();
    }

    /**
     * The facts of these prospects for {@code needs}; with the settle's activity cache, the counted activities of
     * each from it, read (for the needs of every watched condition) only for the prospects it does not cover yet.
     */
    private Map<Long, ProspectFacts> load(
            List<Long> ids, ConditionNeeds needs, Instant now, boolean custom, ActivityCache activities, Tally tally) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        if (activities == null || !needs.activities()) {
            if (needs.activities()) {
                activitiesLoaded.increment(ids.size());
                tally.activitiesLoaded += ids.size();
            }
            return loader.load(ids, needs, now, custom);
        }
        List<Long> missing = new ArrayList<>();
        for (Long id : ids) {
            if (!activities.covers(id, now)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            Map<Long, List<Activity>> read = loader.activities(missing, activities.needs, now);
            for (Long id : missing) {
                activities.read.put(id, new ActivityCache.Read(now, read.getOrDefault(id, List.of())));
            }
            activitiesLoaded.increment(missing.size());
            tally.activitiesLoaded += missing.size();
        }
        activitiesReused.increment(ids.size() - missing.size());
        tally.activitiesReused += ids.size() - missing.size();
        return loader.load(
                ids, needs, now, custom, id -> activities.read.get(id).activities());
    }

    /** Whether some watched condition tests list membership (a change of membership must then be re-evaluated). */
    public boolean watchesLists() {
        Definitions current = definitions.get();
        return (current == null ? readDefinitions(false) : current).watchesLists();
    }
}
