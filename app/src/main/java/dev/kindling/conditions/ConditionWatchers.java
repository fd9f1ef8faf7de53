package dev.kindling.conditions;

import dev.kindling.engine.condition.CompiledConditions;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.grading.GradesChanged;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.prospects.ProspectRows;
import dev.kindling.prospects.ProspectsChanged;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
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

    ConditionWatchers(
            ObjectProvider<ConditionWatcher> watchers,
            ProspectFactsLoader loader,
            LifecycleThresholds thresholds,
            Clock clock,
            PlatformTransactionManager transactions,
            ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.watchers = watchers;
        this.loader = loader;
        this.thresholds = thresholds;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    @EventListener
    void on(ConditionFactsChanged changed) {
        changed(changed.prospectIds());
    }

    @EventListener
    void on(ProspectsChanged changed) {
        changed(changed.ids());
    }

    @EventListener
    void on(GradesChanged changed) {
        changed(changed.ids());
    }

    /** Pending ids of the current transaction, bound as a transaction resource under this bean. */
    private static final class Pending {
        final Set<Long> ids = new TreeSet<>();
    }

    private void changed(Set<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            tx.executeWithoutResult(status -> changed(ids));
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
        pending.ids.addAll(ids);
    }

    private void settle(Pending pending) {
        definitions.set(readDefinitions());
        try {
            settleRounds(pending);
        } finally {
            definitions.remove();
        }
    }

    private void settleRounds(Pending pending) {
        int rounds = 0;
        while (!pending.ids.isEmpty()) {
            if (++rounds > MAX_ROUNDS) {
                log.warn(
                        "Condition watchers did not settle after {} rounds; {} prospects left to re-evaluate: {}",
                        MAX_ROUNDS,
                        pending.ids.size(),
                        pending.ids.stream().limit(20).toList());
                pending.ids.clear();
                return;
            }
            List<Long> ids = List.copyOf(pending.ids);
            pending.ids.clear();
            evaluate(ids);
        }
    }

    /**
     * Evaluates every watched condition for these prospects now, in the caller's transaction: watchers apply
     * the answer and every prospect's next condition check is rewritten. Used by the event path and by the due job.
     */
    public void evaluate(Collection<Long> prospectIds) {
        List<Long> ids = List.copyOf(new TreeSet<>(prospectIds));
        boolean outermost = definitions.get() == null;
        if (outermost) {
            definitions.set(readDefinitions());
        }
        try {
            for (int from = 0; from < ids.size(); from += CHUNK) {
                evaluateChunk(ids.subList(from, Math.min(ids.size(), from + CHUNK)));
            }
        } finally {
            if (outermost) {
                definitions.remove();
            }
        }
    }

    /**
     * The watched conditions, read once per evaluation (every chunk and every settling round of it, and the
     * watchers' own {@link #watchesLists} questions): they were read several times per intake batch before.
     * Nothing an evaluation does edits a list's or a rule's definition, so one read is current for all of it.
     */
    private final ThreadLocal<Map<ConditionWatcher, Map<Long, Condition>>> definitions = new ThreadLocal<>();

    private Map<ConditionWatcher, Map<Long, Condition>> readDefinitions() {
        Map<ConditionWatcher, Map<Long, Condition>> watched = new LinkedHashMap<>();
        watchers.orderedStream().forEach(w -> watched.put(w, w.watched()));
        return watched;
    }

    private void evaluateChunk(List<Long> ids) {
        Instant now = clock.instant();
        Map<ConditionWatcher, Map<Long, Condition>> watched = definitions.get();
        List<Condition> all = new ArrayList<>();
        watched.values().forEach(conditions -> all.addAll(conditions.values()));
        if (all.isEmpty()) {
            prospectRows.writeConditionChecks(ids, Map.of());
            return;
        }
        // each distinct condition once per prospect (rules and lists often share one), all of them over one view
        // of the prospect's facts
        Map<Condition, Integer> distinct = new LinkedHashMap<>();
        all.forEach(c -> distinct.putIfAbsent(c, distinct.size()));
        List<Condition> conditions = List.copyOf(distinct.keySet());
        Map<Long, ProspectFacts> facts = loader.load(ids, ConditionNeeds.of(conditions), now);
        // compiled once for the chunk: what the conditions share is then worked out once per prospect
        CompiledConditions compiled = new ConditionEvaluator(thresholds.current()).compile(conditions);
        Map<Long, Instant> checks = new HashMap<>();
        List<Set<Long>> matchedBy = new ArrayList<>();
        conditions.forEach(c -> matchedBy.add(new HashSet<>()));
        for (ProspectFacts prospect : facts.values()) {
            List<ConditionEvaluator.Outcome> outcomes = compiled.outcomes(prospect, now);
            Instant check = null;
            for (int i = 0; i < outcomes.size(); i++) {
                ConditionEvaluator.Outcome outcome = outcomes.get(i);
                if (outcome.matches()) {
                    matchedBy.get(i).add(prospect.id());
                }
                Instant flip = outcome.nextFlip().orElse(null);
                if (flip != null && (check == null || flip.isBefore(check))) {
                    check = flip;
                }
            }
            if (check != null) {
                checks.put(prospect.id(), check);
            }
        }
        Map<ConditionWatcher, Map<Long, Set<Long>>> answers = new LinkedHashMap<>();
        watched.forEach((watcher, byKey) -> {
            Map<Long, Set<Long>> matching = new HashMap<>();
            byKey.forEach((key, condition) -> matching.put(key, matchedBy.get(distinct.get(condition))));
            answers.put(watcher, matching);
        });
        prospectRows.writeConditionChecks(ids, checks);
        Set<Long> evaluated = Set.copyOf(facts.keySet());
        answers.forEach((watcher, matching) -> watcher.apply(evaluated, matching, now));
    }

    /** Whether some watched condition tests list membership (a change of membership must then be re-evaluated). */
    public boolean watchesLists() {
        Map<ConditionWatcher, Map<Long, Condition>> watched = definitions.get();
        if (watched == null) {
            watched = readDefinitions();
        }
        return watched.values().stream()
                .anyMatch(conditions -> ConditionNeeds.of(conditions.values()).lists());
    }
}
