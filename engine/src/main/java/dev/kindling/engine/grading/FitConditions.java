package dev.kindling.engine.grading;

import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Conditions of the condition language (docs/conditions.md) as grading uses them: in criteria and assignment rules,
 * over the fit fields only ({@link FitFacts#FIELDS}, grouped freely with all, any and not), and three-valued: a
 * condition is {@link Outcome#UNKNOWN} when every field it reads is empty for the prospect, else it matches or not as
 * the condition language says.
 */
public final class FitConditions {

    /** Fit fields hold no dates and no leaf reads the score, grade or clock: the thresholds and instant are unused. */
    private static final ConditionEvaluator EVALUATOR = new ConditionEvaluator(Thresholds.DEFAULTS);

    private FitConditions() {}

    /**
     * Adds a problem for every part of {@code condition} grading cannot evaluate (a leaf that is no field condition, a
     * field outside {@link FitFacts#FIELDS}), at its path in the JSON form under {@code prefix} (e.g.
     * {@code criteria[0].condition.}).
     */
    public static void check(Condition condition, String prefix, List<Problem> problems) {
        switch (condition) {
            case All all -> {
                for (int i = 0; i < all.conditions().size(); i++) {
                    check(all.conditions().get(i), prefix + "all[" + i + "].", problems);
                }
            }
            case Any any -> {
                for (int i = 0; i < any.conditions().size(); i++) {
                    check(any.conditions().get(i), prefix + "any[" + i + "].", problems);
                }
            }
            case Not not -> check(not.condition(), prefix + "not.", problems);
            case FieldCondition field -> {
                if (!FitFacts.FIELDS.contains(field.field())) {
                    problems.add(new Problem(
                            prefix + "field",
                            "is not a field grading reads; one of " + String.join(", ", FitFacts.FIELDS)));
                }
            }
            default ->
                problems.add(new Problem(
                        prefix + kind(condition),
                        "is not a field condition: grading reads only prospect and account fields"));
        }
    }

    /** The fields {@code condition} reads, in the order they first appear. */
    public static Set<String> fieldsRead(Condition condition) {
        Set<String> fields = new LinkedHashSet<>();
        collect(condition, fields);
        return fields;
    }

    private static void collect(Condition condition, Set<String> into) {
        switch (condition) {
            case All all -> all.conditions().forEach(c -> collect(c, into));
            case Any any -> any.conditions().forEach(c -> collect(c, into));
            case Not not -> collect(not.condition(), into);
            case FieldCondition field -> into.add(field.field());
            default -> {
                // check refuses every other leaf
            }
        }
    }

    /** UNKNOWN when every field the condition reads is empty in {@code facts}; else whether it holds. */
    public static Outcome test(Condition condition, FitFacts facts) {
        if (fieldsRead(condition).stream().allMatch(f -> facts.value(f) == null)) {
            return Outcome.UNKNOWN;
        }
        // field conditions read only the fields; the stage and the rest are required by the record and never read
        ProspectFacts prospect = new ProspectFacts(
                0, facts.values(), 0, null, LifecycleStage.CAPTURED, null, null, null, null, null, null);
        return EVALUATOR.matches(condition, prospect, Instant.EPOCH) ? Outcome.MATCHED : Outcome.NOT_MATCHED;
    }

    /**
     * The values the condition saw, as an explanation shows them: the value when it reads one field, else
     * {@code field: value} of each non-empty one joined by commas; null when all are empty (UNKNOWN).
     */
    public static String seen(Condition condition, FitFacts facts) {
        Set<String> fields = fieldsRead(condition);
        if (fields.size() == 1) {
            return facts.shown(fields.iterator().next());
        }
        StringJoiner seen = new StringJoiner(", ");
        seen.setEmptyValue("");
        for (String f : fields) {
            if (facts.value(f) != null) {
                seen.add(f + ": " + facts.shown(f));
            }
        }
        return seen.length() == 0 ? null : seen.toString();
    }

    /** A condition that reads no field (such as an empty group) says nothing about fit: no condition, null. */
    static Condition orNone(Condition condition) {
        return condition == null || fieldsRead(condition).isEmpty() ? null : condition;
    }

    private static String kind(Condition condition) {
        return switch (condition) {
            case Condition.ScoreCondition c -> "score";
            case Condition.GradeCondition c -> "grade";
            case Condition.StageCondition c -> "stage";
            case Condition.QuadrantCondition c -> "quadrant";
            case Condition.OwnerCondition c -> "owner";
            case Condition.ListMembership c -> "list";
            case Condition.ActivityCondition c -> c.did() ? "activity" : "noActivity";
            case Condition.DaysSinceLastActivity c -> "daysSinceLastActivity";
            case Condition.OpportunityCondition c -> "opportunity";
            case Condition.ProgramState c -> "program";
            default -> "field";
        };
    }
}
