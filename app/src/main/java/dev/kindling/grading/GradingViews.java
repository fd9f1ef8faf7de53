package dev.kindling.grading;

import dev.kindling.engine.grading.AssignmentRule;
import dev.kindling.engine.grading.Criterion;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The JSON shapes of grading configuration in the API. */
final class GradingViews {

    private GradingViews() {}

    /** A criterion; {@code condition} is null and {@code active} false while it waits to be filled in. */
    record CriterionView(
            long id,
            String label,
            @Schema(ref = "#/components/schemas/Condition") JsonNode condition,
            int weight,
            boolean active) {

        static CriterionView of(Criterion c, ConditionCodec conditions) {
            return new CriterionView(
                    c.id(),
                    c.label(),
                    c.condition() == null ? null : conditions.write(c.condition()),
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

        static ProfileView of(StoredProfile p, Grader.Regraded regraded, ConditionCodec conditions) {
            return new ProfileView(
                    p.profile().id(),
                    p.profile().name(),
                    p.isDefault(),
                    p.updatedAt(),
                    p.profile().criteria().stream()
                            .map(c -> CriterionView.of(c, conditions))
                            .toList(),
                    regraded);
        }
    }

    /** An assignment rule; {@code condition} is null while it is inactive. */
    record RuleView(
            long id,
            @Schema(ref = "#/components/schemas/Condition") JsonNode condition,
            long profileId) {

        static RuleView of(AssignmentRule r, ConditionCodec conditions) {
            return new RuleView(r.id(), r.condition() == null ? null : conditions.write(r.condition()), r.profileId());
        }
    }

    record RulesView(List<RuleView> rules, Grader.Regraded regraded) {}
}
