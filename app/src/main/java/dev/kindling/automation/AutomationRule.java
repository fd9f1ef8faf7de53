package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
import dev.kindling.engine.automation.Repeat;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A stored automation rule: its condition (as stored JSON, parsed when watched), its actions, PAUSED or ACTIVE, and
 * how often it may match the same prospect.
 */
public record AutomationRule(
        long id,
        String name,
        JsonNode condition,
        List<Action> actions,
        Status status,
        Repeat repeat,
        Instant createdAt,
        Instant updatedAt) {

    /** A rule is created PAUSED; only an ACTIVE rule matches. */
    public enum Status {
        PAUSED,
        ACTIVE
    }

    public AutomationRule {
        actions = List.copyOf(actions);
    }

    public ActionSource source() {
        return ActionSource.rule(id, name);
    }
}
