package dev.kindling.sales;

import dev.kindling.automation.ActionExecutor;
import dev.kindling.automation.ActionSource;
import dev.kindling.engine.automation.Action;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/** The "create sales task" action of rules, completion actions and program steps: one task per prospect, in batch. */
@Component
class CreateTaskExecutor implements ActionExecutor<Action.CreateTask> {

    private final Tasks tasks;

    CreateTaskExecutor(Tasks tasks) {
        this.tasks = tasks;
    }

    @Override
    public Class<Action.CreateTask> kind() {
        return Action.CreateTask.class;
    }

    @Override
    public void execute(Action.CreateTask action, List<Long> prospectIds, ActionSource source) {
        tasks.createFor(
                prospectIds, action.userId(), action.subject(), Duration.ofHours(action.dueInHours()), source.cause());
    }
}
