package dev.kindling.automation;

import dev.kindling.conditions.ConditionJson;
import dev.kindling.conditions.ConditionSql;
import dev.kindling.conditions.ConditionWatcher;
import dev.kindling.engine.automation.Repeat;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionReads;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.prospects.Prospects;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
        RETROACTIVE,
        CONTINUOUS
    }

    private final AutomationRules rules;
    private final ActionRunner runner;
    private final JdbcClient jdbc;
    private final Prospects prospects;
    private final LifecycleThresholds thresholds;
    private final SettledPairs settled;
    private final Map<String, Condition> parsed = new ConcurrentHashMap<>();

    RuleMatching(
            AutomationRules rules,
            ActionRunner runner,
            JdbcClient jdbc,
            Prospects prospects,
            LifecycleThresholds thresholds,
            SettledPairs settled) {
        this.settled = settled;
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
            log.warn(
                    "Automation rule {} has a condition that no longer parses and is skipped: {}",
                    rule.id(),
                    e.getMessage());
            return null;
        }
    }

    /**
     * The active rules as {@link #watched()} last read them on this thread: the watchers read the definitions once
     * per evaluation and call {@link #apply} in the same thread and transaction, so apply needs no read per rule.
     */
    private final ThreadLocal<Map<Long, AutomationRule>> activeRead = new ThreadLocal<>();

    @Override
    public Map<Long, Condition> watched() {
        Map<Long, Condition> watched = new LinkedHashMap<>();
        Map<Long, AutomationRule> active = new HashMap<>();
        for (AutomationRule rule : rules.active()) {
            active.put(rule.id(), rule);
            Condition c = condition(rule);
            if (c != null) {
                watched.put(rule.id(), c);
            }
        }
        activeRead.set(active);
        return watched;
    }

    /**
     * A rule that repeats with no days between matches matches again at every later evaluation of a prospect still
     * meeting its condition, whatever changed: it is handed every prospect of every settling round. Any other rule's
     * claim depends on its condition's answer alone (a pair claimed or found ineligible stays so for the transaction).
     */
    @Override
    public ConditionReads dependsOn(long key) {
        Map<Long, AutomationRule> active = activeRead.get();
        AutomationRule rule = active == null ? null : active.get(key);
        return rule == null || (rule.repeat().repeats() && rule.repeat().daysBeforeEligible() == 0)
                ? ConditionReads.ALL
                : ConditionReads.NONE;
    }

    @Override
    public void apply(Set<Long> evaluated, Map<Long, Set<Long>> matching, Instant now) {
        Map<Long, AutomationRule> active = activeRead.get();
        List<Matching> byRule = new ArrayList<>();
        // the rules sharing a condition share its set of matching prospects: each distinct set is put in id order once
        Map<Set<Long>, List<Long>> sorted = new java.util.IdentityHashMap<>();
        // in rule order, whatever the order of the watchers' map (a hash map's changes with the number of rules): the
        // actions of rules matching one change apply in rule order (a -3 before a +10 would be cut off at the floor)
        for (Map.Entry<Long, Set<Long>> e : new TreeMap<>(matching).entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            AutomationRule rule = active != null && active.containsKey(e.getKey())
                    ? active.get(e.getKey())
                    : rules.find(e.getKey()).orElse(null);
            if (rule != null && rule.status() == AutomationRule.Status.ACTIVE) {
                byRule.add(new Matching(
                        rule,
                        sorted.computeIfAbsent(
                                e.getValue(), ids -> ids.stream().sorted().toList())));
            }
        }
        matchAll(byRule, now, Source.CONTINUOUS);
    }

    /** A rule and the prospects meeting its condition, for {@link #matchAll}. */
    record Matching(AutomationRule rule, List<Long> ids) {}

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
        return matchAll(List.of(new Matching(rule, matchingIds)), now, source).getOrDefault(rule.id(), List.of());
    }

    /**
     * {@link #match} for many rules at once, in a fixed number of statements whatever their number: one claim of
     * every (rule, prospect) pair, one insert of the match history, then the actions of all rules together
     * ({@link ActionRunner#runAll}). Answers the claimed prospects by rule id.
     */
    Map<Long, List<Long>> matchAll(List<Matching> matchingByRule, Instant now, Source source) {
        Matched matched = matched();
        List<Long> ruleColumn = new ArrayList<>();
        List<Long> idColumn = new ArrayList<>();
        Map<Long, AutomationRule> byId = new LinkedHashMap<>();
        List<Long> ruleIds = new ArrayList<>();
        List<Boolean> repeats = new ArrayList<>();
        List<Integer> max = new ArrayList<>();
        List<Timestamp> bound = new ArrayList<>();
        matchingByRule.forEach(matching -> {
            AutomationRule rule = matching.rule();
            List<Long> matchingIds = matching.ids();
            Repeat repeat = rule.repeat();
            Set<Long> claimedBefore = matched.claimed.computeIfAbsent(rule.id(), k -> new HashSet<>());
            // Claimed by this rule earlier in this transaction, so not eligible again now: the actions' own changes
            // bring the prospects back to the watchers, and the claim would find nothing to do.
            boolean skipClaimed = !repeat.repeats() || repeat.daysBeforeEligible() > 0;
            // Seen matched for good, or waiting for its days, by a committed transaction (SettledPairs): the claim
            // would find the pair ineligible.
            List<Long> ids = new ArrayList<>();
            boolean ascending = true;
            for (Long id : matchingIds) {
                if ((!skipClaimed || !claimedBefore.contains(id)) && !settled.ineligible(rule, id, now)) {
                    ascending &= ids.isEmpty() || ids.getLast() < id;
                    ids.add(id);
                }
            }
            if (!ascending) {
                // in id order, each once (the watchers hand them so already)
                ids = ids.stream().sorted().distinct().toList();
            }
            if (ids.isEmpty()) {
                return;
            }
            byId.put(rule.id(), rule);
            ruleIds.add(rule.id());
            repeats.add(repeat.repeats());
            max.add(repeat.maxMatches());
            bound.add(Timestamp.from(repeat.lastMatchNoLaterThan(now)));
            for (Long id : ids) {
                ruleColumn.add(rule.id());
                idColumn.add(id);
            }
        });
        if (ruleColumn.isEmpty()) {
            return Map.of();
        }
        Map<Long, List<Long>> claimed = new LinkedHashMap<>();
        byId.keySet().forEach(id -> claimed.put(id, new ArrayList<>()));
        // The repeat settings per rule (r), of the rules that still exist: each rule's row is locked FOR KEY SHARE
        // first, so one deleted since the watchers read the definitions is left out (a delete that committed before) or
        // waits for this transaction and then takes its pairs and matches with it. The prospects of the eligible pairs
        // are locked FOR KEY SHARE too, in id order (held), and a pair whose prospect is gone is left out: the event
        // path's transaction mostly holds them already, a retroactive page does not, and a merge deleting one waits
        // for this transaction or has committed before. Those two locks are what guarantee the claim's and the
        // history's references to rule and prospect (no foreign keys: V751, docs/scaling.md). Pairs whose row already
        // makes them ineligible are left out before the insert (a hash join with r, one index probe per pair): a
        // prospect goes on meeting the conditions it met, so most pairs of an evaluation are rules it matched already,
        // and sending each into the conflict branch cost a speculative insert plus a scan of every rule's settings per
        // pair (W1 in docs/benchmarks.md). The conflict branch still bumps only where the rule's own settings allow: a
        // row another transaction committed since this one's snapshot is decided there, as before. The statement
        // answers the claimed pairs and, besides, the pairs its probe found ineligible, with their matches and last
        // match: those matched for good or waiting for their days are recorded in SettledPairs once this commits.
        Map<Long, List<Long>> forGood = new HashMap<>();
        Map<Long, Map<Long, Instant>> waiting = new HashMap<>();
        jdbc.sql("""
                        WITH r AS (SELECT r.* FROM unnest(CAST(:ruleIds AS bigint[]), CAST(:repeats AS boolean[]),
                                                          CAST(:max AS integer[]), CAST(:bound AS timestamptz[]))
                                                 AS r(rule, repeats, max, bound)
                                     JOIN automation_rule a ON a.id = r.rule
                                    ORDER BY r.rule
                                      FOR KEY SHARE OF a),
                        probed AS MATERIALIZED (
                            SELECT u.rule, u.id, d.matches, d.last_match_at,
                                   d.rule_id IS NULL
                                   OR (r.repeats AND (r.max IS NULL OR d.matches < r.max) AND d.last_match_at <= r.bound)
                                       AS eligible
                              FROM unnest(CAST(:rules AS bigint[]), CAST(:ids AS bigint[])) AS u(rule, id)
                              JOIN r ON r.rule = u.rule
                              LEFT JOIN automation_rule_prospect d ON d.rule_id = u.rule AND d.prospect_id = u.id),
                        held AS MATERIALIZED (
                            SELECT p.id FROM prospect p
                             WHERE p.id IN (SELECT id FROM probed WHERE eligible)
                             ORDER BY p.id
                               FOR KEY SHARE OF p),
                        claimed AS (
                            INSERT INTO automation_rule_prospect AS e (rule_id, prospect_id, matches, last_match_at)
                            SELECT u.rule, u.id, 1, :now FROM probed u
                             WHERE u.eligible AND u.id IN (SELECT id FROM held)
                             ORDER BY u.rule, u.id
                            ON CONFLICT (rule_id, prospect_id) DO UPDATE
                               SET matches = e.matches + 1, last_match_at = excluded.last_match_at
                             WHERE EXISTS (SELECT 1
                                             FROM unnest(CAST(:ruleIds AS bigint[]), CAST(:repeats AS boolean[]),
                                                         CAST(:max AS integer[]), CAST(:bound AS timestamptz[]))
                                                  AS r(rule, repeats, max, bound)
                                            WHERE r.rule = e.rule_id AND r.repeats
                                              AND (r.max IS NULL OR e.matches < r.max) AND e.last_match_at <= r.bound)
                            RETURNING e.rule_id, e.prospect_id, e.matches, e.last_match_at)
                        SELECT rule_id, prospect_id, matches, last_match_at, true FROM claimed
                        UNION ALL
                        SELECT rule, id, matches, last_match_at, false FROM probed
                         WHERE matches IS NOT NULL AND NOT eligible""")
                .param("now", Timestamp.from(now))
                .param("rules", ruleColumn.toArray(Long[]::new))
                .param("ids", idColumn.toArray(Long[]::new))
                .param("ruleIds", ruleIds.toArray(Long[]::new))
                .param("repeats", repeats.toArray(Boolean[]::new))
                .param("max", max.toArray(Integer[]::new))
                .param("bound", bound.toArray(Timestamp[]::new))
                .query((java.sql.ResultSet rs) -> {
                    long ruleId = rs.getLong(1);
                    long prospectId = rs.getLong(2);
                    if (rs.getBoolean(5)) {
                        claimed.get(ruleId).add(prospectId);
                    }
                    Repeat repeat = byId.get(ruleId).repeat();
                    if (SettledPairs.forGood(repeat, rs.getInt(3))) {
                        forGood.computeIfAbsent(ruleId, k -> new ArrayList<>()).add(prospectId);
                    } else if (repeat.repeats() && repeat.daysBeforeEligible() > 0) {
                        waiting.computeIfAbsent(ruleId, k -> new HashMap<>())
                                .put(prospectId, rs.getTimestamp(4).toInstant());
                    }
                });
        recordSettled(forGood, waiting, byId);
        claimed.values().removeIf(List::isEmpty);
        if (claimed.isEmpty()) {
            return claimed;
        }
        List<Long> historyRules = new ArrayList<>();
        List<Long> historyIds = new ArrayList<>();
        List<Integer> historyDepths = new ArrayList<>();
        List<String> historyActions = new ArrayList<>();
        List<ActionRunner.Run> runs = new ArrayList<>();
        Map<Long, Integer> depths = matched.depths;
        claimed.forEach((ruleId, ids) -> {
            ids.sort(null);
            AutomationRule rule = byId.get(ruleId);
            matched.claimed.get(ruleId).addAll(ids);
            String actions = ActionJson.summary(rule.actions());
            for (Long id : ids) {
                historyRules.add(ruleId);
                historyIds.add(id);
                historyDepths.add(depths.merge(id, 1, Integer::sum));
                historyActions.add(actions);
            }
            runs.add(new ActionRunner.Run(rule.actions(), ids, rule.source()));
        });
        jdbc.sql("""
                        INSERT INTO automation_match (rule_id, prospect_id, at, source, depth, actions)
                        SELECT u.rule, u.id, :now, :source, u.depth, u.actions
                          FROM unnest(CAST(:rules AS bigint[]), CAST(:ids AS bigint[]), CAST(:depths AS integer[]),
                                      CAST(:actions AS text[])) WITH ORDINALITY AS u(rule, id, depth, actions, n)
                         ORDER BY u.n""")
                .param("now", Timestamp.from(now))
                .param("source", source.name())
                .param("rules", historyRules.toArray(Long[]::new))
                .param("ids", historyIds.toArray(Long[]::new))
                .param("depths", historyDepths.toArray(Integer[]::new))
                .param("actions", historyActions.toArray(String[]::new))
                .update();
        runner.runAll(runs);
        return claimed;
    }

    /**
     * Records the pairs found matched for good or waiting once the transaction that saw them commits: a row this
     * transaction wrote, or one it merely read after writing it earlier, is not committed before that (and may never
     * be). Outside a transaction with synchronization nothing is recorded (a miss only costs the probe).
     */
    private void recordSettled(
            Map<Long, List<Long>> forGood, Map<Long, Map<Long, Instant>> waiting, Map<Long, AutomationRule> byId) {
        if ((forGood.isEmpty() && waiting.isEmpty()) || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        Runnable record = () -> {
            forGood.forEach((ruleId, ids) -> settled.add(byId.get(ruleId), ids));
            waiting.forEach((ruleId, lastMatches) -> settled.waiting(byId.get(ruleId), lastMatches));
        };
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                record.run();
            }
        });
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
