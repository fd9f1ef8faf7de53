package dev.kindling.automation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Runs a list of actions, in order, for a set of prospects, each through the executor of its kind. */
@Component
public class ActionRunner {

    private final Map<Class<?>, ActionExecutor<?>> executors = new HashMap<>();

    ActionRunner(List<ActionExecutor<?>> all) {
        for (ActionExecutor<?> e : all) {
            if (executors.put(e.kind(), e) != null) {
                throw new IllegalStateException("two executors for " + e.kind().getSimpleName());
            }
        }
        for (Class<?> kind : Action.class.getPermittedSubclasses()) {
            if (!executors.containsKey(kind)) {
                throw new IllegalStateException("no executor for " + kind.getSimpleName());
            }
        }
    }

    /** Applies every action to these (existing) prospects in the caller's transaction. */
    public void run(List<Action> actions, List<Long> prospectIds, ActionSource source) {
        if (prospectIds.isEmpty()) {
            return;
        }
        List<Long> ids = prospectIds.stream().sorted().distinct().toList();
        for (Action action : actions) {
            execute(executors.get(action.getClass()), action, ids, source);
        }
    }

    @SuppressWarnings("unchecked")
    private static <A extends Action> void execute(ActionExecutor<A> executor, Action action, List<Long> ids,
            ActionSource source) {
        executor.execute((A) action, ids, source);
    }
}
