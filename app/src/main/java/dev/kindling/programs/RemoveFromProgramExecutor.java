package dev.kindling.programs;

import dev.kindling.automation.ActionExecutor;
import dev.kindling.automation.ActionSource;
import dev.kindling.engine.automation.Action;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The "remove from nurture program" action: the prospects' open (active or paused) enrollment in the program ends as
 * EXITED, the cause kept as the reason; a prospect not enrolled is left alone.
 */
@Component
class RemoveFromProgramExecutor implements ActionExecutor<Action.RemoveFromProgram> {

    private final Enrollments enrollments;

    RemoveFromProgramExecutor(Enrollments enrollments) {
        this.enrollments = enrollments;
    }

    @Override
    public Class<Action.RemoveFromProgram> kind() {
        return Action.RemoveFromProgram.class;
    }

    @Override
    public void execute(Action.RemoveFromProgram action, List<Long> prospectIds, ActionSource source) {
        enrollments.remove(action.programId(), prospectIds, "removed by " + source.cause());
    }
}
