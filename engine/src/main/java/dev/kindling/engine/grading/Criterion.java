package dev.kindling.engine.grading;

import dev.kindling.engine.condition.Condition;
import java.util.List;
import java.util.Objects;

/**
 * One criterion of a grading profile: a label, a condition of the condition language over the fit fields
 * ({@link FitConditions}), and a weight in thirds of a letter grade (1 = ⅓, 2 = ⅔, 3 = one letter). A criterion
 * without a condition (or whose condition reads no field) is <em>inactive</em>: configured, waiting for the
 * organisation to fill it in, and skipped by grading.
 *
 * @param id        0 for a criterion not stored yet
 * @param condition null when inactive
 */
public record Criterion(long id, String label, Condition condition, int weight) {

    public static final int MAX_LABEL = 100;

    public Criterion {
        Objects.requireNonNull(label, "label");
        condition = FitConditions.orNone(condition);
        if (weight < 1 || weight > 3) {
            throw new IllegalArgumentException("weight must be 1, 2 or 3 thirds");
        }
    }

    public boolean isActive() {
        return condition != null;
    }

    /**
     * Checks a raw criterion's label and weight and its already parsed condition (null: inactive) and builds it, or
     * adds every problem (paths prefixed with {@code prefix}, the condition's with {@code prefix + "condition."}) and
     * returns null.
     */
    public static Criterion parse(
            long id, Object label, Condition condition, Object weight, String prefix, List<Problem> problems) {
        int before = problems.size();
        if (!(label instanceof String s) || s.isBlank()) {
            problems.add(new Problem(prefix + "label", "is required"));
        } else if (s.strip().length() > MAX_LABEL) {
            problems.add(new Problem(prefix + "label", "must be at most " + MAX_LABEL + " characters"));
        } else if (s.chars().anyMatch(Character::isISOControl)) {
            problems.add(new Problem(prefix + "label", "must not contain control characters"));
        }
        int w = 0;
        if (weight instanceof Long l && l >= 1 && l <= 3) {
            w = l.intValue();
        } else if (weight instanceof Integer i && i >= 1 && i <= 3) {
            w = i;
        } else {
            problems.add(new Problem(prefix + "weight", "must be 1, 2 or 3 (thirds of a letter grade)"));
        }
        if (condition != null) {
            FitConditions.check(condition, prefix + "condition.", problems);
        }
        return problems.size() == before ? new Criterion(id, ((String) label).strip(), condition, w) : null;
    }
}
