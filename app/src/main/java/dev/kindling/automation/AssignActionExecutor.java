package dev.kindling.automation;

import dev.kindling.assignment.AssignmentCause;
import dev.kindling.assignment.Assignments;
import java.util.List;
import org.springframework.stereotype.Component;

/** The assign action: one set-based {@link Assignments#assign} for all the rule's prospects, with the rule's cause. */
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
        AssignmentCause how = action.teamId() != null
                ? new AssignmentCause.RoundRobin(action.teamId(), source.cause())
                : new AssignmentCause.ToUser(action.userId(), source.cause());
        assignments.assign(prospectIds, how, action.forced());
    }
}
