package dev.kindling.engine.program;

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

    /** A labelled outgoing edge; {@code target} is null when the branch leads nowhere. */
    record Branch(String label, String target) {
    }

    /** Runs an action at once (a send outside the program's business hours waits for the next window). */
    record ActionStep(String id, ProgramAction action, String next) implements Step {
        public List<Branch> branches() {
            return List.of(new Branch("next", next));
        }
    }

    /**
     * Waits for the prospect to do something, then branches yes/no. {@link Timing#UP_TO}: "up to N days", moves on
     * (yes) as soon as it happens, otherwise (no) after N days. {@link Timing#EXACTLY}: "N days", always waits the
     * full N days, then yes if it happened in that time, else no.
     */
    record TriggerStep(String id, TriggerEvent event, Timing timing, int days, String yes, String no)
            implements Step {
        public List<Branch> branches() {
            return Arrays.asList(new Branch("yes", yes), new Branch("no", no));
        }
    }

    /** How long a trigger waits: see {@link TriggerStep}. */
    enum Timing { UP_TO, EXACTLY }

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
