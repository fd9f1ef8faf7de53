package dev.kindling.salesforce;

import dev.kindling.conditions.ConditionFactsChanged;
import java.util.Set;

/**
 * Published in the poll's (or push's) transaction when the connector gave these prospects the owner their Salesforce
 * record has: the owner is a condition ("assigned"), so the watchers re-evaluate them. Not an assignment: no SLA clock
 * starts and no assignment notice is sent (Salesforce's own assignment told the owner).
 */
public record SalesforceOwnersSynced(Set<Long> prospectIds) implements ConditionFactsChanged {

    public SalesforceOwnersSynced {
        prospectIds = Set.copyOf(prospectIds);
    }
}
