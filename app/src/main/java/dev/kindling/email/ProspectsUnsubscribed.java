package dev.kindling.email;

import dev.kindling.conditions.ConditionFactsChanged;
import java.util.Set;

/** Published inside the writing transaction when these prospects unsubscribed from marketing email. */
public record ProspectsUnsubscribed(Set<Long> prospectIds) implements ConditionFactsChanged {

    public ProspectsUnsubscribed {
        prospectIds = Set.copyOf(prospectIds);
    }
}
