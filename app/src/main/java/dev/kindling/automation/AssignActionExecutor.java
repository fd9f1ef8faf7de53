package dev.kindling.automation;

import dev.kindling.assignment.AssignmentCause;
import dev.kindling.assignment.Assignments;
import dev.kindling.engine.automation.Action;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The assign action: one set-based {@link Assignments#assign} for all the source's prospects (to a user, round-robin in a
 * team, or by the territory rules), with the source's cause.
 */
@Component
class AssignActionExecutor implements ActionExecutor<Action.Assign> {

    private final Assignments assignments;

    AssignActionExecutor(Assignments assignments) {
        this.assignments = assignments;
    }

    @Override
    public Class<Action.Assign> kind() {
        return Action.Assign.class;
    }

    @Override
    public void execute(Action.Assign action, List<Long> prospectIds, ActionSource source) {
        AssignmentCause how = switch (action.to()) {
            case TEAM -> new AssignmentCause.RoundRobin(action.id(), source.cause());
            case USER -> new AssignmentCause.ToUser(action.id(), source.cause());
            case TERRITORY_RULES -> new AssignmentCause.Territories(null, source.cause());
        };
        assignments.assign(prospectIds, how, action.forced());
    }
}
