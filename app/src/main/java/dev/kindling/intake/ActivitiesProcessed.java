package dev.kindling.intake;

import dev.kindling.conditions.ConditionFactsChanged;
import java.util.Set;

/** Published inside the processing transaction when activities of these prospects were processed or attributed to them (conditions count stored activities). */
public record ActivitiesProcessed(Set<Long> prospectIds) implements ConditionFactsChanged {

    public ActivitiesProcessed {
        prospectIds = Set.copyOf(prospectIds);
    }
}
