package dev.kindling.programs;

import dev.kindling.automation.ActionExecutor;
import dev.kindling.automation.ActionSource;
import dev.kindling.conditions.ConditionNeeds;
import dev.kindling.conditions.ProspectFactsLoader;
import dev.kindling.engine.automation.Action;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The "add to program" automation action: enrolls the prospects the program admits (running, recipients unless it
 * has no recipient lists, not suppressed, re-entry respected); the sweep takes them from the first step.
 */
@Component
class AddToProgramExecutor implements ActionExecutor<Action.AddToProgram> {

    private final Enrollments enrollments;
    private final ProspectFactsLoader loader;
    private final Clock clock;

    AddToProgramExecutor(Enrollments enrollments, ProspectFactsLoader loader, Clock clock) {
        this.enrollments = enrollments;
        this.loader = loader;
        this.clock = clock;
    }

    @Override
    public Class<Action.AddToProgram> kind() {
        return Action.AddToProgram.class;
    }

    @Override
    public void execute(Action.AddToProgram action, List<Long> prospectIds, ActionSource source) {
        enrollments.enroll(action.programId(), loader.load(prospectIds, ConditionNeeds.LISTS, clock.instant()));
    }
}
