package dev.kindling.lists;

import dev.kindling.conditions.ConditionJson;
import dev.kindling.conditions.ConditionNeeds;
import dev.kindling.conditions.ConditionSql;
import dev.kindling.conditions.ConditionWatcher;
import dev.kindling.conditions.ProspectFactsLoader;
import dev.kindling.engine.condition.CompiledConditions;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ConditionReads;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.engine.condition.Operator;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.Prospects;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps dynamic lists' members current. As a {@link ConditionWatcher} it moves exactly the evaluated prospects in
 * or out (reason {@code condition}) within the processing of the change that caused it and at time-relative flips;
 * after a condition edit, {@link #rebuild} recomputes a whole list set-based with the compiled condition.
 */
@Component
class DynamicLists implements ConditionWatcher {

    private static final Logger log = LoggerFactory.getLogger(DynamicLists.class);

    /** What a rebuild did; {@code at} is the instant its condition was evaluated at. */
    record Rebuild(long joined, long left, long millis, Instant at) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final Prospects prospects;
    private final LifecycleThresholds thresholds;
    private final Memberships memberships;
    private final ProspectFactsLoader loader;
    /** Parsed conditions by their stored JSON text: parsing once per edit, not once per intake batch. */
    private final Map<String, Optional<Condition>> parsed = new ConcurrentHashMap<>();

    DynamicLists(
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            Prospects prospects,
            LifecycleThresholds thresholds,
            Memberships memberships,
            ProspectFactsLoader loader) {
        this.loader = loader;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.prospects = prospects;
        this.thresholds = thresholds;
        this.memberships = memberships;
    }

    @Override
    public Map<Long, Condition> watched() {
        Map<Long, Condition> conditions = new TreeMap<>();
        jdbc.sql("SELECT id, CAST(condition AS text) AS condition FROM list WHERE kind = 'DYNAMIC'")
                .query((java.sql.ResultSet rs) -> {
                    long id = rs.getLong("id");
                    parse(id, rs.getString("condition")).ifPresent(c -> conditions.put(id, c));
                });
        return conditions;
    }

    /** The stored condition read back; a condition that no longer validates (a custom field was deleted) is skipped. */
    Optional<Condition> parse(long listId, String text) {
        if (parsed.size() > 10_000) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(text, t -> {
            try {
                return Optional.of(ConditionJson.parse(json.readTree(t), prospects.customFields(), ""));
            } catch (InvalidInputException e) {
                log.warn("The condition of list {} is no longer valid and is not applied: {}", listId, e.errors());
                return Optional.empty();
            }
        });
    }

    /** Forgets parsed conditions (custom fields changed meaning). */
    void forget() {
        parsed.clear();
    }

    @Override
    public void apply(Set<Long> evaluated, Map<Long, Set<Long>> matching, Instant now) {
        apply(evaluated, matching, now, Map.of(), null);
    }

    /**
     * Moves the evaluated prospects in or out of the lists in {@code matching}. Their current members come from
     * {@code lists}, the memberships the settle's facts load read in this transaction, for the prospects it holds
     * (those whose memberships changed since the load are left out of it): every round's load follows the last
     * round's moves, so they are the current ones (docs/lists.md, "Dynamic lists"). The others' (all of them when the
     * round tested no list membership) are read ({@link ProspectFactsLoader#memberships}).
     */
    @Override
    public void apply(
            Set<Long> evaluated,
            Map<Long, Set<Long>> matching,
            Instant now,
            Map<Long, ConditionReads> changed,
            Map<Long, Set<Long>> lists) {
        if (evaluated.isEmpty() || matching.isEmpty()) {
            return;
        }
        Map<Long, Set<Long>> members = new HashMap<>();
        loader.memberships(evaluated, lists).forEach((prospect, of) -> {
            for (Long list : of) {
                if (matching.containsKey(list)) {
                    members.computeIfAbsent(list, k -> new HashSet<>()).add(prospect);
                }
            }
        });
        moves(evaluated, matching, members, now);
    }

    private void moves(Set<Long> evaluated, Map<Long, Set<Long>> matching, Map<Long, Set<Long>> members, Instant now) {
        List<Memberships.Change> joins = new ArrayList<>();
        List<Memberships.Change> leaves = new ArrayList<>();
        matching.forEach((list, matched) -> {
            Set<Long> current = members.getOrDefault(list, Set.of());
            if (current.isEmpty() && matched.isEmpty()) {
                return; // nobody to move (a list of few members tested on prospects none of which meets it)
            }
            // the ids as they are: unboxed, each test below boxed them again (a Long per prospect and list)
            for (Long prospect : evaluated) {
                boolean member = current.contains(prospect);
                boolean matches = matched.contains(prospect);
                if (matches && !member) {
                    joins.add(new Memberships.Change(list, prospect));
                } else if (!matches && member) {
                    leaves.add(new Memberships.Change(list, prospect));
                }
            }
        });
        memberships.join(joins, now, "condition");
        memberships.leave(leaves, now, "condition");
    }

    /**
     * Recomputes the members of a dynamic list from its condition, set-based, in the caller's transaction: one
     * {@code DELETE} of the members that no longer match and one {@code INSERT … SELECT} of the prospects that
     * match and are not members, each writing its history rows (reason {@code rebuild}) in the same statement.
     */
    Rebuild rebuild(long listId, Condition condition) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        ConditionSql.Compiled compiled = ConditionSql.compile(condition, now, thresholds.current());
        Map<String, Object> params = new HashMap<>(compiled.params());
        params.put("list", listId);
        params.put("at", Timestamp.from(now));
        List<Long> left = jdbc.sql("""
                        WITH gone AS (
                            DELETE FROM list_member m
                             WHERE m.list_id = :list
                               AND NOT EXISTS (SELECT 1 FROM\s""" + ConditionSql.FROM + " " + """
                                                WHERE p.id = m.prospect_id AND\s""" + compiled.sql() + " " + """
                                              )
                            RETURNING m.prospect_id)
                        INSERT INTO list_membership_event (list_id, prospect_id, at, change, reason)
                        SELECT :list, prospect_id, :at, 'LEFT', 'rebuild' FROM gone
                        RETURNING prospect_id""")
                .params(params)
                .query(Long.class)
                .list();
        List<Long> joined = jdbc.sql("""
                        WITH joined AS (
                            INSERT INTO list_member (list_id, prospect_id, since)
                            SELECT :list, p.id, :at FROM\s""" + ConditionSql.FROM + " " + """
                             WHERE\s""" + compiled.sql() + " " + """
                            ON CONFLICT DO NOTHING
                            RETURNING prospect_id)
                        INSERT INTO list_membership_event (list_id, prospect_id, at, change, reason)
                        SELECT :list, prospect_id, :at, 'JOINED', 'rebuild' FROM joined
                        RETURNING prospect_id""")
                .params(params)
                .query(Long.class)
                .list();
        List<Memberships.Change> changes = new ArrayList<>();
        left.forEach(p -> changes.add(new Memberships.Change(listId, p)));
        joined.forEach(p -> changes.add(new Memberships.Change(listId, p)));
        memberships.changed(changes);
        return new Rebuild(joined.size(), left.size(), (System.nanoTime() - started) / 1_000_000, now);
    }

    /**
     * The next instant after {@code at} the clock alone changes the answer of {@code condition}, for those of
     * {@code ids} it can change for (absent otherwise): one load of their facts, only what this condition reads, and
     * the condition evaluated in memory ({@code ConditionEvaluator.nextFlip}, as the event path computes it).
     */
    Map<Long, Instant> nextFlips(List<Long> ids, Condition condition, Instant at) {
        Map<Long, Instant> flips = new HashMap<>();
        if (ids.isEmpty()) {
            return flips;
        }
        CompiledConditions compiled = new ConditionEvaluator(thresholds.current()).compile(List.of(condition));
        loader.load(ids, ConditionNeeds.of(condition), at)
                .forEach((id, facts) ->
                        compiled.outcomes(facts, at).getFirst().nextFlip().ifPresent(flip -> flips.put(id, flip)));
        return flips;
    }

    /**
     * A predicate true for every prospect whose answer to {@code condition} the clock alone can still change,
     * at {@code now} or later: the prospects with a dated fact some time-relative leaf reads that is newer than now
     * minus that leaf's window (or in the future). It mirrors the instants {@code ConditionEvaluator.nextFlip} tries
     * — a date field plus its days, a counted activity plus its window, the last activity plus each operand (and a
     * day), a closed opportunity plus its window — so every other prospect's answer is settled for good. Activity
     * leaves are bounded by {@code last_activity_at}, the latest real activity (intake keeps it; an activity not yet
     * taken in re-evaluates its prospect when it is). Empty when no leaf is time-relative.
     */
    ConditionSql.Compiled mayStillFlip(Condition condition, Instant now) {
        List<Condition> dated = new ArrayList<>();
        datedFacts(condition, dated);
        return ConditionSql.compile(new Condition.Any(dated), now, thresholds.current());
    }

    private static void datedFacts(Condition condition, List<Condition> into) {
        switch (condition) {
            case Condition.All all -> all.conditions().forEach(c -> datedFacts(c, into));
            case Condition.Any any -> any.conditions().forEach(c -> datedFacts(c, into));
            case Condition.Not not -> datedFacts(not.condition(), into);
            case Condition.FieldCondition field
            when field.op() == Operator.OLDER_THAN_DAYS || field.op() == Operator.WITHIN_DAYS ->
                into.add(new Condition.FieldCondition(
                        field.field(),
                        field.type(),
                        Operator.WITHIN_DAYS,
                        List.of(field.operands().get(0))));
            case Condition.ActivityCondition activity
            when activity.withinDays() != null -> into.add(lastActivityWithin(activity.withinDays()));
            case Condition.DaysSinceLastActivity days ->
                days.operands().stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .ifPresent(most -> into.add(lastActivityWithin(most + 1)));
            // every opportunity's close counts, whatever the leaf's other criteria (as in nextFlip)
            case Condition.OpportunityCondition opportunity
            when opportunity.closedWithinDays() != null ->
                into.add(new Condition.OpportunityCondition(
                        Set.of(), opportunity.closedWithinDays(), null, null, Set.of()));
            default -> {
                // the other leaves do not depend on the clock
            }
        }
    }

    private static Condition lastActivityWithin(long days) {
        return new Condition.FieldCondition("lastActivityAt", FieldType.DATE, Operator.WITHIN_DAYS, List.of(days));
    }

    /** Whether the truth of {@code condition} can change with the clock alone (it has a time window). */
    static boolean timeRelative(Condition condition) {
        return switch (condition) {
            case Condition.All all -> all.conditions().stream().anyMatch(DynamicLists::timeRelative);
            case Condition.Any any -> any.conditions().stream().anyMatch(DynamicLists::timeRelative);
            case Condition.Not not -> timeRelative(not.condition());
            case Condition.FieldCondition field ->
                field.op() == Operator.OLDER_THAN_DAYS || field.op() == Operator.WITHIN_DAYS;
            case Condition.ActivityCondition activity -> activity.withinDays() != null;
            case Condition.DaysSinceLastActivity days -> true;
            case Condition.OpportunityCondition opportunity -> opportunity.closedWithinDays() != null;
            default -> false;
        };
    }
}
