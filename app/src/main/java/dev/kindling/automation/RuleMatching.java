package dev.kindling.automation;

import dev.kindling.conditions.ConditionJson;
import dev.kindling.conditions.ConditionSql;
import dev.kindling.conditions.ConditionWatcher;
import dev.kindling.engine.automation.Repeat;
import dev.kindling.engine.condition.Condition;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.prospects.Prospects;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How a rule matches, for both paths. The continuous path: as a {@link ConditionWatcher}, the active rules are
 * evaluated in memory for exactly the prospects that changed, before their transaction commits. The retroactive
 * path ({@link RuleRuns}) selects matching eligible prospects with {@link ConditionSql}. Both end in {@link #match}:
 * one statement <em>claims</em> the eligible prospects (insert or bump {@code automation_rule_prospect} only where
 * the repeat settings allow, returning those claimed — so a race between the paths cannot match twice), one records
 * the matches, and the actions run for the claimed prospects in batch. Matches are never undone.
 */
@Component
class RuleMatching implements ConditionWatcher {

    private static final Logger log = LoggerFactory.getLogger(RuleMatching.class);

    /** Source of a match in the history. */
    enum Source {
        RETROACTIVE, CONTINUOUS
    }

    private final AutomationRules rules;
    private final ActionRunner runner;
    private final JdbcClient jdbc;
    private final Prospects prospects;
    private final LifecycleThresholds thresholds;
    private final Map<String, Condition> parsed = new ConcurrentHashMap<>();

    RuleMatching(AutomationRules rules, ActionRunner runner, JdbcClient jdbc, Prospects prospects,
            LifecycleThresholds thresholds) {
        this.rules = rules;
        this.runner = runner;
        this.jdbc = jdbc;
        this.prospects = prospects;
        this.thresholds = thresholds;
    }

    /** A rule's parsed condition, cached by rule and version; {@code null} when it no longer parses. */
    Condition condition(AutomationRule rule) {
        String key = rule.id() + "@" + rule.updatedAt();
        Condition cached = parsed.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            Condition c = ConditionJson.parse(rule.condition(), prospects.customFields(), "condition.");
            if (parsed.size() > 10_000) {
                parsed.clear();
            }
            parsed.put(key, c);
            return c;
        } catch (RuntimeException e) {
            log.warn("Automation rule {} has a condition that no longer parses and is skipped: {}", rule.id(),
                    e.getMessage());
            return null;
        }
    }

    @Override
    public Map<Long, Condition> watched() {
        Map<Long, Condition> watched = new LinkedHashMap<>();
        for (AutomationRule rule : rules.active()) {
            Condition c = condition(rule);
            if (c != null) {
                watched.put(rule.id(), c);
            }
        }
        return watched;
    }

    @Override
    public void apply(Set<Long> evaluated, Map<Long, Set<Long>> matching, Instant now) {
        for (Map.Entry<Long, Set<Long>> e : matching.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            AutomationRule rule = rules.find(e.getKey()).orElse(null);
            if (rule != null && rule.status() == AutomationRule.Status.ACTIVE) {
                match(rule, List.copyOf(e.getValue()), now, Source.CONTINUOUS);
            }
        }
    }

    /** The SQL predicate "eligible for this rule now" over {@code p}, for set-based selection. */
    static String eligibleSql(AutomationRule rule, Map<String, Object> params, Instant now) {
        params.put("eligibleRule", rule.id());
        if (!rule.repeat().repeats()) {
            return "NOT EXISTS (SELECT 1 FROM automation_rule_prospect e WHERE e.rule_id = :eligibleRule AND e.prospect_id = p.id)";
        }
        params.put("eligibleBound", Timestamp.from(rule.repeat().lastMatchNoLaterThan(now)));
        params.put("eligibleMax", rule.repeat().maxMatches());
        return """
                NOT EXISTS (SELECT 1 FROM automation_rule_prospect e WHERE e.rule_id = :eligibleRule AND e.prospect_id = p.id
                               AND NOT ((CAST(:eligibleMax AS integer) IS NULL OR e.matches < CAST(:eligibleMax AS integer))
                                        AND e.last_match_at <= :eligibleBound))""";
    }

    /**
     * Claims the eligible ones of these matching prospects, records their matches and applies the rule's actions to
     * them, in the caller's transaction; returns those that matched.
     */
    List<Long> match(AutomationRule rule, List<Long> matchingIds, Instant now, Source source) {
        Repeat repeat = rule.repeat();
        Matched matched = matched();
        Set<Long> claimedBefore = matched.claimed.computeIfAbsent(rule.id(), k -> new HashSet<>());
        if (!repeat.repeats() || repeat.daysBeforeEligible() > 0) {
            // Claimed by this rule earlier in this transaction, so not eligible again now: the actions' own changes
            // bring the prospects back to the watchers, and the claim would find nothing to do (a round trip per page).
            matchingIds = matchingIds.stream().filter(id -> !claimedBefore.contains(id)).toList();
            if (matchingIds.isEmpty()) {
                return List.of();
            }
        }
        List<Long> claimed = jdbc.sql("""
                        INSERT INTO automation_rule_prospect AS e (rule_id, prospect_id, matches, last_match_at)
                        SELECT :rule, u.id, 1, :now FROM unnest(CAST(:ids AS bigint[])) AS u(id)
                         WHERE EXISTS (SELECT 1 FROM prospect p WHERE p.id = u.id)
                         ORDER BY u.id
                        ON CONFLICT (rule_id, prospect_id) DO UPDATE
                           SET matches = e.matches + 1, last_match_at = excluded.last_match_at
                         WHERE :repeats AND (CAST(:max AS integer) IS NULL OR e.matches < CAST(:max AS integer))
                           AND e.last_match_at <= :bound
                        RETURNING e.prospect_id""")
                .param("rule", rule.id()).param("now", Timestamp.from(now))
                .param("ids", matchingIds.stream().sorted().distinct().toArray(Long[]::new))
                .param("repeats", repeat.repeats()).param("max", repeat.maxMatches())
                .param("bound", Timestamp.from(repeat.lastMatchNoLaterThan(now)))
                .query(Long.class).list();
        if (claimed.isEmpty()) {
            return claimed;
        }
        List<Long> ids = claimed.stream().sorted().toList();
        claimedBefore.addAll(ids);
        Map<Long, Integer> depths = matched.depths;
        Integer[] depth = new Integer[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            depth[i] = depths.merge(ids.get(i), 1, Integer::sum);
        }
        jdbc.sql("""
                        INSERT INTO automation_match (rule_id, prospect_id, at, source, depth, actions)
                        SELECT :rule, u.id, :now, :source, u.depth, :actions
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:depths AS integer[])) WITH ORDINALITY AS u(id, depth, n)
                         ORDER BY u.n""")
                .param("rule", rule.id()).param("now", Timestamp.from(now)).param("source", source.name())
                .param("actions", ActionJson.summary(rule.actions()))
                .param("ids", ids.toArray(Long[]::new)).param("depths", depth)
                .update();
        runner.run(rule.actions(), ids, rule.source());
        return ids;
    }

    /**
     * What the current transaction matched so far: per prospect, how many rule matches it had (a match's depth in a
     * chain: 1 = caused by the change itself, 2 = by another rule's actions, …), and per rule the prospects it claimed.
     */
    private static final class Matched {
        final Map<Long, Integer> depths = new HashMap<>();
        final Map<Long, Set<Long>> claimed = new HashMap<>();
    }

    private Matched matched() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return new Matched();
        }
        Matched matched = (Matched) TransactionSynchronizationManager.getResource(this);
        if (matched == null) {
            Matched created = new Matched();
            matched = created;
            TransactionSynchronizationManager.bindResource(this, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(RuleMatching.this);
                }
            });
        }
        return matched;
    }

    /** The compiled condition and eligibility of a rule at {@code now}, for set-based selection. */
    ConditionSql.Compiled compiled(AutomationRule rule, Instant now) {
        Condition c = condition(rule);
        if (c == null) {
            throw new dev.kindling.platform.web.ConflictException(
                    "The rule's condition no longer parses (a custom field it uses was deleted?): edit the rule");
        }
        return ConditionSql.compile(c, now, thresholds.current());
    }

}
