package dev.kindling.engine.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A set of criteria that grades fit. The law: start at {@link Grade#START D}; every active
 * criterion that matches raises the grade by its weight, every one that does not match lowers it
 * by its weight, one whose fields are all empty (UNKNOWN) leaves it unchanged; the moves are summed and the result is
 * clamped to F..A+ once, so the order of the criteria never matters. Inactive criteria (no
 * condition yet) are skipped and left out of the explanation.
 */
public record GradingProfile(long id, String name, List<Criterion> criteria) {

    public GradingProfile {
        Objects.requireNonNull(name, "name");
        criteria = List.copyOf(criteria);
    }

    public GradedFit grade(FitFacts facts) {
        List<CriterionResult> results = new ArrayList<>(criteria.size());
        int thirds = 0;
        for (Criterion c : criteria) {
            if (!c.isActive()) {
                continue;
            }
            CriterionResult r = new CriterionResult(
                    c.id(),
                    c.label(),
                    String.join(", ", FitConditions.fieldsRead(c.condition())),
                    FitConditions.test(c.condition(), facts),
                    FitConditions.seen(c.condition(), facts),
                    c.weight());
            thirds += r.effect();
            results.add(r);
        }
        return new GradedFit(Grade.START.raise(thirds), id, results);
    }
}
