package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Runs a list of actions, in order, for a set of prospects, each through the executor of its kind (every kind but
 * {@code sendEmail}, which only a program step has and sends itself).
 */
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
            // a program step's send goes through the email module under the step's key (programs.ProgramEffects)
            if (!executors.containsKey(kind) && kind != Action.SendEmail.class) {
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

    /** One source's actions for its prospects, for {@link #runAll}. */
    public record Run(List<Action> actions, List<Long> prospectIds, ActionSource source) {}

    /**
     * Runs many sources' actions (several rules matched in one evaluation), each source's actions in order for its
     * prospects as {@link #run} would: the first actions of all runs, then the second ones, …; within one such step
     * the calls of one kind go to their executor together ({@link ActionExecutor#executeAll}), so the step costs a
     * fixed number of statements per kind, not per source.
     */
    public void runAll(List<Run> runs) {
        List<Run> live = runs.stream()
                .filter(r -> !r.prospectIds().isEmpty())
                .map(r -> new Run(
                        r.actions(),
                        r.prospectIds().stream().sorted().distinct().toList(),
                        r.source()))
                .toList();
        int steps = live.stream().mapToInt(r -> r.actions().size()).max().orElse(0);
        for (int step = 0; step < steps; step++) {
            Map<Class<?>, List<ActionExecutor.Call<Action>>> byKind = new LinkedHashMap<>();
            for (Run run : live) {
                if (step < run.actions().size()) {
                    Action action = run.actions().get(step);
                    byKind.computeIfAbsent(action.getClass(), k -> new ArrayList<>())
                            .add(new ActionExecutor.Call<>(action, run.prospectIds(), run.source()));
                }
            }
            byKind.forEach((kind, calls) -> executeAll(executors.get(kind), calls));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void executeAll(ActionExecutor executor, List calls) {
        if (calls.size() == 1) {
            ActionExecutor.Call<Action> call = (ActionExecutor.Call<Action>) calls.get(0);
            executor.execute(call.action(), call.prospectIds(), call.source());
        } else {
            executor.executeAll(calls);
        }
    }

    @SuppressWarnings("unchecked")
    private static <A extends Action> void execute(
            ActionExecutor<A> executor, Action action, List<Long> ids, ActionSource source) {
        executor.execute((A) action, ids, source);
    }
}
