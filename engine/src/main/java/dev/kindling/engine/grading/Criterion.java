package dev.kindling.engine.grading;

import java.util.List;
import java.util.Objects;

/**
 * One criterion of a grading profile: a labelled condition and a weight in thirds of a letter
 * grade (1 = ⅓, 2 = ⅔, 3 = one letter).
 *
 * @param id 0 for a criterion not stored yet
 */
public record Criterion(long id, String label, Condition condition, int weight) {

    public static final int MAX_LABEL = 100;

    public Criterion {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(condition, "condition");
        if (weight < 1 || weight > 3) {
            throw new IllegalArgumentException("weight must be 1, 2 or 3 thirds");
        }
    }

    public boolean isActive() {
        return condition.isActive();
    }

    /**
     * Checks a raw criterion ({@code label, field, operator, values, weight}) and builds it, or
     * adds every problem (paths prefixed with {@code prefix}) and returns null.
     */
    public static Criterion parse(
            long id,
            Object label,
            Object field,
            Object operator,
            Object values,
            Object weight,
            String prefix,
            List<Problem> problems) {
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
        Condition condition = Condition.parse(field, operator, values, prefix, problems);
        return problems.size() == before ? new Criterion(id, ((String) label).strip(), condition, w) : null;
    }
}
