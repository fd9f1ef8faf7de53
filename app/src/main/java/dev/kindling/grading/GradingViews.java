package dev.kindling.grading;

import dev.kindling.engine.grading.AssignmentRule;
import dev.kindling.engine.grading.Criterion;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of grading configuration in the API. */
final class GradingViews {

    private GradingViews() {}

    /** A criterion; {@code active} is false while it has no values (waiting to be filled in). */
    record CriterionView(
            long id, String label, String field, String operator, List<Object> values, int weight, boolean active) {

        static CriterionView of(Criterion c) {
            return new CriterionView(
                    c.id(),
                    c.label(),
                    c.condition().field().fieldName(),
                    c.condition().operator().operatorName(),
                    c.condition().values(),
                    c.weight(),
                    c.isActive());
        }
    }

    /** A profile; {@code regraded} says what saving it did to the prospects on it (null on reads). */
    record ProfileView(
            long id,
            String name,
            boolean isDefault,
            Instant updatedAt,
            List<CriterionView> criteria,
            Grader.Regraded regraded) {

        static ProfileView of(StoredProfile p, Grader.Regraded regraded) {
            return new ProfileView(
                    p.profile().id(),
                    p.profile().name(),
                    p.isDefault(),
                    p.updatedAt(),
                    p.profile().criteria().stream().map(CriterionView::of).toList(),
                    regraded);
        }
    }

    record RuleView(long id, String field, String operator, List<Object> values, long profileId) {

        static RuleView of(AssignmentRule r) {
            return new RuleView(
                    r.id(),
                    r.condition().field().fieldName(),
                    r.condition().operator().operatorName(),
                    r.condition().values(),
                    r.profileId());
        }
    }

    record RulesView(List<RuleView> rules, Grader.Regraded regraded) {}
}
