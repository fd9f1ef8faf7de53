package dev.kindling.engine.program;

import dev.kindling.engine.automation.Action;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.program.Step.Branch;
import dev.kindling.engine.program.Step.EndStep;
import dev.kindling.engine.program.Step.RuleStep;
import dev.kindling.engine.program.Step.TriggerStep;
import dev.kindling.engine.program.Step.WaitStep;
import dev.kindling.engine.program.TriggerEvent.EmailClicked;
import dev.kindling.engine.program.TriggerEvent.EmailOpened;
import dev.kindling.engine.program.TriggerEvent.FormSubmitted;
import dev.kindling.engine.program.TriggerEvent.PageViewed;
import dev.kindling.engine.program.TriggerEvent.WebinarAttended;
import dev.kindling.engine.scoring.UrlPattern;
import dev.kindling.engine.time.BusinessHours;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a program definition on save, reporting every problem with the step it is about: ids, branches that lead
 * nowhere or to missing steps, unreachable steps, loops without a WAIT of days, steps from which no END can be
 * reached, and each step's settings. {@link #validate} must pass to save; {@link #readyToStart} also requires
 * every email placeholder of a ready-made program to be filled.
 */
public final class ProgramValidator {

    public static final int MAX_STEPS = 500;
    public static final int MAX_DAYS = 36_500;
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private ProgramValidator() {}

    /** Every problem of the definition, in a stable order; empty when it may be saved. */
    public static List<ProgramError> validate(ProgramDefinition definition) {
        List<ProgramError> errors = new ArrayList<>();
        program(definition, errors);
        Map<String, Step> steps = new LinkedHashMap<>();
        for (Step step : definition.steps()) {
            if (step.id() == null || !STEP_ID.matcher(step.id()).matches()) {
                errors.add(new ProgramError(step.id(), "a step id is 1 to 64 letters, digits, '-' or '_'"));
                continue;
            }
            if (steps.putIfAbsent(step.id(), step) != null) {
                errors.add(new ProgramError(step.id(), "two steps have this id"));
            }
        }
        boolean branchesOk = true;
        for (Step step : steps.values()) {
            for (Branch branch : step.branches()) {
                if (branch.target() == null || branch.target().isBlank()) {
                    errors.add(new ProgramError(
                            step.id(),
                            "the " + branch.label()
                                    + " branch leads nowhere: choose the step that follows (an END to stop)"));
                    branchesOk = false;
                } else if (!steps.containsKey(branch.target())) {
                    errors.add(new ProgramError(
                            step.id(),
                            "the " + branch.label() + " branch goes to step '" + branch.target()
                                    + "', which does not exist"));
                    branchesOk = false;
                }
            }
            settings(step, errors);
        }
        if (steps.isEmpty()) {
            return errors;
        }
        if (steps.values().stream().noneMatch(s -> s instanceof EndStep)) {
            errors.add(new ProgramError(null, "the program has no END step"));
        }
        if (!steps.containsKey(definition.start())) {
            return errors;
        }
        Set<String> reachable = reachable(definition.start(), steps);
        for (String id : steps.keySet()) {
            if (!reachable.contains(id)) {
                errors.add(new ProgramError(id, "no path from the first step leads here (unreachable)"));
            }
        }
        for (List<String> loop : loopsWithoutWait(steps)) {
            errors.add(new ProgramError(
                    loop.get(0),
                    "loops back without a WAIT through steps " + String.join(", ", loop)
                            + ": put a WAIT of at least 1 day in the loop"));
        }
        if (branchesOk) {
            Set<String> ending = canEnd(steps);
            for (String id : steps.keySet()) {
                if (reachable.contains(id) && !ending.contains(id)) {
                    errors.add(new ProgramError(id, "never reaches an END: every path from here loops forever"));
                }
            }
        }
        return errors;
    }

    /** {@link #validate}, and every email placeholder filled: what a program needs before it starts. */
    public static List<ProgramError> readyToStart(ProgramDefinition definition) {
        List<ProgramError> errors = new ArrayList<>(validate(definition));
        for (Step step : definition.steps()) {
            if (step instanceof ActionStep a && a.action() instanceof SendEmail send && send.isPlaceholder()) {
                errors.add(new ProgramError(step.id(), "choose the email for '" + send.slot() + "'"));
            }
        }
        return errors;
    }

    private static void program(ProgramDefinition d, List<ProgramError> errors) {
        if (d.name() == null || d.name().isBlank()) {
            errors.add(new ProgramError(null, "the program needs a name"));
        } else if (d.name().length() > 200) {
            errors.add(new ProgramError(null, "the name must be at most 200 characters"));
        }
        if (d.version() < 1) {
            errors.add(new ProgramError(null, "versions start at 1"));
        }
        if (d.steps().isEmpty()) {
            errors.add(new ProgramError(null, "the program has no steps"));
        } else if (d.steps().size() > MAX_STEPS) {
            errors.add(new ProgramError(null, "a program has at most " + MAX_STEPS + " steps"));
        }
        if (d.start() == null || d.start().isBlank()) {
            errors.add(new ProgramError(null, "choose the first step"));
        } else if (d.step(d.start()) == null) {
            errors.add(new ProgramError(null, "the first step '" + d.start() + "' does not exist"));
        }
        for (Long id : d.recipientListIds()) {
            if (id == null || id < 1) {
                errors.add(new ProgramError(null, "recipient list ids are positive"));
            } else if (d.suppressionListIds().contains(id)) {
                errors.add(new ProgramError(null, "list " + id + " is both a recipient and a suppression list"));
            }
        }
        for (Long id : d.suppressionListIds()) {
            if (id == null || id < 1) {
                errors.add(new ProgramError(null, "suppression list ids are positive"));
            }
        }
        BusinessHours hours = d.businessHours();
        if (hours != null) {
            hours.problems().forEach(problem -> errors.add(new ProgramError(null, problem)));
        }
    }

    private static void settings(Step step, List<ProgramError> errors) {
        String id = step.id();
        switch (step) {
            case ActionStep a -> action(id, a.action(), errors);
            case TriggerStep t -> {
                if (t.event() == null) {
                    errors.add(new ProgramError(id, "choose what the trigger waits for"));
                } else {
                    event(id, t.event(), errors);
                }
                if (t.timing() == null) {
                    errors.add(new ProgramError(id, "choose 'up to N days' or 'N days'"));
                }
                days(id, "a trigger", t.days(), errors);
            }
            case RuleStep r -> {
                if (r.condition() == null) {
                    errors.add(new ProgramError(id, "a rule needs a condition"));
                }
            }
            case WaitStep w -> {
                if ((w.days() == null) == (w.until() == null)) {
                    errors.add(new ProgramError(id, "a wait is either a number of days or a date"));
                } else if (w.days() != null) {
                    days(id, "a wait", w.days(), errors);
                }
            }
            case EndStep end -> {}
        }
    }

    private static void days(String id, String what, int days, List<ProgramError> errors) {
        if (days < 1) {
            errors.add(new ProgramError(id, "waits " + days + " days: " + what + " waits at least 1 day"));
        } else if (days > MAX_DAYS) {
            errors.add(new ProgramError(id, what + " waits at most " + MAX_DAYS + " days"));
        }
    }

    private static void event(String id, TriggerEvent event, List<ProgramError> errors) {
        switch (event) {
            case EmailOpened o -> optionalText(id, "the email", o.templateId(), errors);
            case EmailClicked c -> {
                optionalText(id, "the email", c.templateId(), errors);
                if (c.link() != null) {
                    String problem = UrlPattern.problem(c.link());
                    if (problem != null) {
                        errors.add(new ProgramError(id, "the link " + problem));
                    }
                }
            }
            case FormSubmitted f -> optionalText(id, "the form", f.form(), errors);
            case PageViewed p -> {
                String problem = UrlPattern.problem(p.urlPattern());
                if (problem != null) {
                    errors.add(new ProgramError(id, "the page URL " + problem));
                }
            }
            case WebinarAttended w -> optionalText(id, "the webinar", w.webinar(), errors);
        }
    }

    private static void optionalText(String id, String what, String text, List<ProgramError> errors) {
        if (text != null && (text.isBlank() || text.length() > 500)) {
            errors.add(new ProgramError(id, what + " is left out for any, or named in 1 to 500 characters"));
        }
    }

    /**
     * An action step needs an action; what the action says (points, lists, users, URLs...) is checked where it is read,
     * by the app's one action codec, the same for rules, completion actions and program steps.
     */
    private static void action(String id, Action action, List<ProgramError> errors) {
        if (action == null) {
            errors.add(new ProgramError(id, "choose an action"));
        }
    }

    private static List<String> targets(Step step, Map<String, Step> steps) {
        List<String> out = new ArrayList<>();
        for (Branch branch : step.branches()) {
            if (branch.target() != null && steps.containsKey(branch.target())) {
                out.add(branch.target());
            }
        }
        return out;
    }

    private static Set<String> reachable(String start, Map<String, Step> steps) {
        Set<String> seen = new HashSet<>(Set.of(start));
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            for (String target : targets(steps.get(todo.pop()), steps)) {
                if (seen.add(target)) {
                    todo.push(target);
                }
            }
        }
        return seen;
    }

    /** Steps from which some path reaches an END. */
    private static Set<String> canEnd(Map<String, Step> steps) {
        Map<String, List<String>> incoming = new HashMap<>();
        steps.values()
                .forEach(s -> targets(s, steps)
                        .forEach(t -> incoming.computeIfAbsent(t, k -> new ArrayList<>())
                                .add(s.id())));
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        steps.values().stream().filter(s -> s instanceof EndStep).forEach(s -> {
            seen.add(s.id());
            todo.push(s.id());
        });
        while (!todo.isEmpty()) {
            for (String from : incoming.getOrDefault(todo.pop(), List.of())) {
                if (seen.add(from)) {
                    todo.push(from);
                }
            }
        }
        return seen;
    }

    /**
     * The strongly connected groups of steps that loop without passing a WAIT of days (a wait until a date does not
     * count: once the date has passed it no longer waits), each in definition order. Edges out of a WAIT of days are
     * cut, so any remaining cycle lacks one (Tarjan's algorithm).
     */
    private static List<List<String>> loopsWithoutWait(Map<String, Step> steps) {
        Map<String, List<String>> edges = new HashMap<>();
        for (Step step : steps.values()) {
            boolean waits = step instanceof WaitStep w && w.days() != null && w.until() == null && w.days() >= 1;
            edges.put(step.id(), waits ? List.of() : targets(step, steps));
        }
        List<String> order = new ArrayList<>(steps.keySet());
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<List<String>> loops = new ArrayList<>();
        int[] counter = {0};
        for (String id : order) {
            if (!index.containsKey(id)) {
                strongConnect(id, edges, index, low, stack, onStack, counter, loops, order);
            }
        }
        loops.sort((a, b) -> Integer.compare(order.indexOf(a.get(0)), order.indexOf(b.get(0))));
        return loops;
    }

    private static void strongConnect(
            String v,
            Map<String, List<String>> edges,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            Set<String> onStack,
            int[] counter,
            List<List<String>> loops,
            List<String> order) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : edges.get(v)) {
            if (!index.containsKey(w)) {
                strongConnect(w, edges, index, low, stack, onStack, counter, loops, order);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> group = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                group.add(w);
            } while (!w.equals(v));
            if (group.size() > 1 || edges.get(v).contains(v)) {
                group.sort((a, b) -> Integer.compare(order.indexOf(a), order.indexOf(b)));
                loops.add(group);
            }
        }
    }
}
