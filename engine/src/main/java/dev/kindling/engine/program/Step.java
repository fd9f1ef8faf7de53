package dev.kindling.engine.program;

import dev.kindling.engine.automation.Action;
import dev.kindling.engine.condition.Condition;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * One step of a program's graph. Targets are step ids; a missing (null) target is a branch that leads nowhere,
 * which {@link ProgramValidator} refuses. The records accept anything so that validation can report every problem
 * at once; {@link ProgramRunner} runs only valid definitions.
 */
public sealed interface Step {

    /** The step's id, unique in its program: letters, digits, {@code -} and {@code _}. */
    String id();

    /** The outgoing branches in display order: {@code next}, or {@code yes} then {@code no}; none for END. */
    List<Branch> branches();

    /** Where the branch {@code label} leads: its target, or null when the step has no such branch or it leads nowhere. */
    default String target(String label) {
        return branches().stream()
                .filter(b -> b.label().equals(label))
                .findFirst()
                .map(Branch::target)
                .orElse(null);
    }

    /** Whether the step has an outgoing branch called {@code label}. */
    default boolean hasBranch(String label) {
        return branches().stream().anyMatch(b -> b.label().equals(label));
    }

    /** This step with its branch {@code label} leading to {@code target}; the same step when it has no such branch. */
    default Step withBranch(String label, String target) {
        return switch (this) {
            case ActionStep a when label.equals("next") -> new ActionStep(a.id(), a.action(), target);
            case WaitStep w when label.equals("next") -> new WaitStep(w.id(), w.days(), w.until(), target);
            case TriggerStep t
            when label.equals("yes") -> new TriggerStep(t.id(), t.event(), t.timing(), t.days(), target, t.no());
            case TriggerStep t
            when label.equals("no") -> new TriggerStep(t.id(), t.event(), t.timing(), t.days(), t.yes(), target);
            case RuleStep r when label.equals("yes") -> new RuleStep(r.id(), r.condition(), target, r.no());
            case RuleStep r when label.equals("no") -> new RuleStep(r.id(), r.condition(), r.yes(), target);
            default -> this;
        };
    }

    /** A labelled outgoing edge; {@code target} is null when the branch leads nowhere. */
    record Branch(String label, String target) {}

    /** Runs an action at once (a send outside the program's business hours waits for the next window). */
    record ActionStep(String id, Action action, String next) implements Step {
        public List<Branch> branches() {
            return List.of(new Branch("next", next));
        }
    }

    /**
     * Waits for the prospect to do something, then branches yes/no. {@link Timing#UP_TO}: "up to N days", moves on
     * (yes) as soon as it happens, otherwise (no) after N days. {@link Timing#EXACTLY}: "N days", always waits the
     * full N days, then yes if it happened in that time, else no.
     */
    record TriggerStep(String id, TriggerEvent event, Timing timing, int days, String yes, String no) implements Step {
        public List<Branch> branches() {
            return Arrays.asList(new Branch("yes", yes), new Branch("no", no));
        }
    }

    /** How long a trigger waits: see {@link TriggerStep}. */
    enum Timing {
        UP_TO,
        EXACTLY
    }

    /** Evaluates a condition at once and branches yes/no. */
    record RuleStep(String id, Condition condition, String yes, String no) implements Step {
        public List<Branch> branches() {
            return Arrays.asList(new Branch("yes", yes), new Branch("no", no));
        }
    }

    /** Waits {@code days} days, or until the instant {@code until} (exactly one of them). */
    record WaitStep(String id, Integer days, Instant until, String next) implements Step {
        public static WaitStep days(String id, int days, String next) {
            return new WaitStep(id, days, null, next);
        }

        public static WaitStep until(String id, Instant until, String next) {
            return new WaitStep(id, null, until, next);
        }

        public List<Branch> branches() {
            return List.of(new Branch("next", next));
        }
    }

    /** Completes the enrollment. */
    record EndStep(String id) implements Step {
        public List<Branch> branches() {
            return List.of();
        }
    }
}
