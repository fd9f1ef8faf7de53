package dev.kindling.engine.program;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.program.Effect.ActionEmitted;
import dev.kindling.engine.program.Effect.Passed;
import dev.kindling.engine.program.Effect.SendSkipped;
import dev.kindling.engine.program.Effect.SkipReason;
import dev.kindling.engine.program.Effect.StatusChanged;
import dev.kindling.engine.program.Effect.StepEntered;
import dev.kindling.engine.program.Effect.StepExecuted;
import dev.kindling.engine.program.Enrollment.PauseReason;
import dev.kindling.engine.program.Enrollment.Status;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.program.Step.EndStep;
import dev.kindling.engine.program.Step.RuleStep;
import dev.kindling.engine.program.Step.Timing;
import dev.kindling.engine.program.Step.TriggerStep;
import dev.kindling.engine.program.Step.WaitStep;
import dev.kindling.engine.time.BusinessHours;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The enrollment state machine (SPEC §11). Pure: the app passes the definition of the enrollment's version, the
 * stored enrollment, the prospect's facts, what just happened and the instant; it gets back the new enrollment and
 * the effects to execute ({@link Advance}). The app stores {@link Enrollment#dueAt} and sweeps due enrollments in
 * batches; an event (an activity, a list change) advances the prospect's enrollments at once.
 *
 * <p>The contract of each step, when it is the current step and the enrollment is advanced:
 * <ul>
 *   <li><b>ACTION</b> runs at once: emits its action (a send to a prospect that may not get marketing email is
 *       {@linkplain SendSkipped skipped} instead), then enters {@code next}. A send outside the program's business
 *       hours waits, due at the next window.</li>
 *   <li><b>RULE</b> evaluates its condition on the facts at once and enters {@code yes} or {@code no}.</li>
 *   <li><b>TRIGGER</b> is due N days after it was entered. It counts matching, non-bot activities that occurred
 *       strictly after it was entered and no later than its due time. "Up to N days" passes yes at the first advance
 *       that sees one, else no when due; "N days" always waits until due, then yes if one occurred, else no. A
 *       trigger never passes in the advance that entered it, so a cycle through a trigger cannot spin.</li>
 *   <li><b>WAIT</b> is due N days after it was entered (or at its date), then enters {@code next}.</li>
 *   <li><b>END</b> completes the enrollment.</li>
 * </ul>
 * ACTION and RULE steps chain within one advance until a step waits or the enrollment ends; at most
 * {@value #MAX_STEPS_PER_ADVANCE} steps run per advance, a safety net that exits the enrollment (a valid program,
 * whose loops all pass through a WAIT of days, never gets near it).
 */
public final class ProgramRunner {

    /** The most steps one advance executes before the enrollment is exited as looping. */
    public static final int MAX_STEPS_PER_ADVANCE = 1000;

    private final ConditionEvaluator conditions;

    public ProgramRunner(ConditionEvaluator conditions) {
        this.conditions = Objects.requireNonNull(conditions, "conditions");
    }

    /** Whether a prospect may be enrolled now, and if not, why. */
    public enum EntryDecision {
        ENROLL,
        /** It has an active or paused enrollment in the program: one at a time. */
        ALREADY_ENROLLED,
        /** It was enrolled before and the program does not allow re-entry. */
        NO_RE_ENTRY,
        /** It is in no recipient list of the program. */
        NOT_A_RECIPIENT,
        /** It is in a suppression list of the program. */
        SUPPRESSED
    }

    /**
     * Whether the prospect may be enrolled in this version of the program.
     *
     * @param previous the status of its latest enrollment in the program (any version), or {@code null} for none
     */
    public EntryDecision entry(ProgramDefinition definition, ProspectFacts facts, Status previous) {
        return entry(definition, facts.listIds(), previous);
    }

    /** {@link #entry(ProgramDefinition, ProspectFacts, Status)} from the prospect's list memberships, all it reads. */
    public EntryDecision entry(ProgramDefinition definition, java.util.Set<Long> listIds, Status previous) {
        if (previous != null && !previous.isFinished()) {
            return EntryDecision.ALREADY_ENROLLED;
        }
        if (previous != null && definition.reEntry() == ReEntry.NEVER) {
            return EntryDecision.NO_RE_ENTRY;
        }
        if (definition.isSuppressed(listIds)) {
            return EntryDecision.SUPPRESSED;
        }
        if (!definition.isRecipient(listIds)) {
            return EntryDecision.NOT_A_RECIPIENT;
        }
        return EntryDecision.ENROLL;
    }

    /**
     * A new enrollment on this version, at the start step, due at once (or when the first step is a wait or a
     * trigger, when that waits until). The caller either advances it right away or leaves it to the next sweep, so
     * bulk enrollment stays a batch insert. Check {@link #entry} first.
     */
    public Advance enroll(ProgramDefinition definition, long enrollmentId, long prospectId, Instant now) {
        Enrollment fresh = new Enrollment(
                enrollmentId,
                definition.programId(),
                definition.version(),
                prospectId,
                Status.ACTIVE,
                definition.start(),
                now,
                now,
                null,
                Set.of(),
                null,
                null);
        Enrollment entered =
                fresh.entering(definition.start(), now, dueOnEntry(definition.step(definition.start()), now));
        return new Advance(entered, List.of(new StepEntered(definition.start(), 1, now)));
    }

    /**
     * Moves the enrollment on as far as it can at {@code now}.
     *
     * @param definition the definition of the enrollment's own version
     * @param facts      the prospect now (lists, fields, score…; its activities since the current step was entered
     *                   when the step is a trigger)
     * @param happened   activities that just happened and may not be in {@code facts} yet (may be empty)
     */
    public Advance advance(
            ProgramDefinition definition,
            Enrollment enrollment,
            ProspectFacts facts,
            List<Activity> happened,
            Instant now) {
        if (definition.programId() != enrollment.programId() || definition.version() != enrollment.version()) {
            throw new IllegalArgumentException("enrollment " + enrollment.id() + " runs on program "
                    + enrollment.programId() + " v" + enrollment.version() + ", not " + definition.programId() + " v"
                    + definition.version());
        }
        List<Effect> effects = new ArrayList<>();
        if (enrollment.status().isFinished()) {
            return new Advance(enrollment, effects);
        }
        Enrollment e = enrollment;
        boolean recipient = definition.isRecipient(facts.listIds());
        if (!recipient && !e.pausedBy().contains(PauseReason.NOT_A_RECIPIENT)) {
            e = pause(e, PauseReason.NOT_A_RECIPIENT, now, effects);
        } else if (recipient && e.pausedBy().contains(PauseReason.NOT_A_RECIPIENT)) {
            e = resume(definition, e, PauseReason.NOT_A_RECIPIENT, now, effects);
        }
        if (e.status() != Status.ACTIVE) {
            return new Advance(e, effects);
        }
        List<Activity> activities = activities(facts, happened);
        for (int executed = 0; ; executed++) {
            if (executed == MAX_STEPS_PER_ADVANCE) {
                effects.add(new StatusChanged(
                        Status.ACTIVE,
                        Status.EXITED,
                        "ran " + MAX_STEPS_PER_ADVANCE + " steps in one go: the program loops without a wait",
                        now));
                return new Advance(e.with(Status.EXITED, null, null, Set.of()), effects);
            }
            Step step = definition.step(e.stepId());
            Enrollment next = switch (step) {
                case ActionStep a -> action(definition, e, a, facts, now, effects);
                case RuleStep r ->
                    conditions.matches(r.condition(), facts, now)
                            ? pass(definition, e, Passed.YES, r.yes(), now, effects)
                            : pass(definition, e, Passed.NO, r.no(), now, effects);
                case TriggerStep t -> trigger(definition, e, t, activities, now, effects);
                case WaitStep w ->
                    e.dueAt().isAfter(now) ? null : pass(definition, e, Passed.NEXT, w.next(), now, effects);
                case EndStep end -> {
                    effects.add(new StepExecuted(e.key(), end.id(), e.visit(end.id()), Passed.END, now));
                    effects.add(new StatusChanged(Status.ACTIVE, Status.COMPLETED, "reached " + end.id(), now));
                    yield e.with(Status.COMPLETED, null, null, Set.of());
                }
            };
            if (next == null) {
                return new Advance(e, effects);
            }
            if (next.status() != Status.ACTIVE) {
                return new Advance(next, effects);
            }
            if (next.dueAt().isAfter(now)
                    && next.stepId().equals(e.stepId())
                    && next.visits().equals(e.visits())) {
                return new Advance(next, effects); // rescheduled in place (a send waiting for business hours)
            }
            e = next;
        }
    }

    /**
     * Pauses an enrollment for a reason (the program was paused): the remaining time of its wait is kept. Pausing
     * for a second reason only records it; a finished enrollment stays as it is.
     */
    public Advance pause(Enrollment enrollment, PauseReason reason, Instant now) {
        List<Effect> effects = new ArrayList<>();
        if (enrollment.status().isFinished() || enrollment.pausedBy().contains(reason)) {
            return new Advance(enrollment, effects);
        }
        return new Advance(pause(enrollment, reason, now, effects), effects);
    }

    /**
     * Lifts one pause reason (the program was resumed). When none is left the enrollment is active again: a relative
     * wait (WAIT of days, trigger window) is due its remaining time from now, a date wait at its date, an ACTION or
     * RULE step at once. Advance it (or let the sweep) to carry on.
     */
    public Advance resume(ProgramDefinition definition, Enrollment enrollment, PauseReason reason, Instant now) {
        List<Effect> effects = new ArrayList<>();
        if (!enrollment.pausedBy().contains(reason)) {
            return new Advance(enrollment, effects);
        }
        return new Advance(resume(definition, enrollment, reason, now, effects), effects);
    }

    /** Ends an enrollment before its end (removed from the program). */
    public Advance exit(Enrollment enrollment, String reason, Instant now) {
        if (enrollment.status().isFinished()) {
            return new Advance(enrollment, List.of());
        }
        return new Advance(
                enrollment.with(Status.EXITED, null, null, Set.of()),
                List.of(new StatusChanged(enrollment.status(), Status.EXITED, reason, now)));
    }

    private static Enrollment pause(Enrollment e, PauseReason reason, Instant now, List<Effect> effects) {
        Set<PauseReason> reasons = EnumSet.of(reason);
        reasons.addAll(e.pausedBy());
        if (e.status() == Status.PAUSED) {
            return e.with(Status.PAUSED, null, e.frozen(), reasons);
        }
        Duration left = e.dueAt().isAfter(now) ? Duration.between(now, e.dueAt()) : Duration.ZERO;
        effects.add(new StatusChanged(Status.ACTIVE, Status.PAUSED, pauseText(reason), now));
        return e.with(Status.PAUSED, null, left, reasons);
    }

    private static Enrollment resume(
            ProgramDefinition definition, Enrollment e, PauseReason reason, Instant now, List<Effect> effects) {
        Set<PauseReason> reasons = EnumSet.noneOf(PauseReason.class);
        reasons.addAll(e.pausedBy());
        reasons.remove(reason);
        if (!reasons.isEmpty()) {
            return e.with(Status.PAUSED, null, e.frozen(), reasons);
        }
        Instant due = switch (definition.step(e.stepId())) {
            case WaitStep w when w.until() != null -> w.until().isAfter(now) ? w.until() : now;
            case WaitStep w -> now.plus(e.frozen());
            case TriggerStep t -> now.plus(e.frozen());
            default -> now;
        };
        effects.add(new StatusChanged(Status.PAUSED, Status.ACTIVE, resumeText(reason), now));
        return e.with(Status.ACTIVE, due, null, Set.of());
    }

    private static String pauseText(PauseReason reason) {
        return reason == PauseReason.PROGRAM ? "program paused" : "left the recipients";
    }

    private static String resumeText(PauseReason reason) {
        return reason == PauseReason.PROGRAM ? "program resumed" : "back among the recipients";
    }

    private Enrollment action(
            ProgramDefinition definition,
            Enrollment e,
            ActionStep step,
            ProspectFacts facts,
            Instant now,
            List<Effect> effects) {
        if (step.action() instanceof SendEmail send) {
            SkipReason skip = skipReason(facts);
            if (skip != null) {
                effects.add(new SendSkipped(e.key(), step.id(), send.templateId(), skip));
                return pass(definition, e, Passed.NEXT, step.next(), now, effects);
            }
            BusinessHours hours = definition.businessHours();
            if (hours != null && !hours.isOpen(now)) {
                return e.withDue(hours.nextOpen(now));
            }
            effects.add(new ActionEmitted(e.key(), step.id(), send));
            return pass(definition, e.withLastEmail(send.templateId()), Passed.NEXT, step.next(), now, effects);
        }
        effects.add(new ActionEmitted(e.key(), step.id(), step.action()));
        return pass(definition, e, Passed.NEXT, step.next(), now, effects);
    }

    private static SkipReason skipReason(ProspectFacts facts) {
        if (isTrue(facts, "optedOut")) {
            return SkipReason.OPTED_OUT;
        }
        if (isTrue(facts, "hardBounced")) {
            return SkipReason.HARD_BOUNCED;
        }
        return isTrue(facts, "doNotEmail") ? SkipReason.DO_NOT_EMAIL : null;
    }

    private static boolean isTrue(ProspectFacts facts, String field) {
        return Boolean.TRUE.equals(facts.fields().get(field));
    }

    private static Enrollment trigger(
            ProgramDefinition definition,
            Enrollment e,
            TriggerStep step,
            List<Activity> activities,
            Instant now,
            List<Effect> effects) {
        boolean due = !e.dueAt().isAfter(now);
        Instant windowEnd = due ? e.dueAt() : now;
        boolean happened = false;
        for (Activity activity : activities) {
            if (!activity.bot()
                    && activity.occurredAt().isAfter(e.enteredAt())
                    && !activity.occurredAt().isAfter(windowEnd)
                    && step.event().matches(activity, e.lastEmail())) {
                happened = true;
                break;
            }
        }
        if (due || (happened && step.timing() == Timing.UP_TO)) {
            return happened
                    ? pass(definition, e, Passed.YES, step.yes(), now, effects)
                    : pass(definition, e, Passed.NO, step.no(), now, effects);
        }
        return null;
    }

    /** Records the current step as executed through {@code passed} and enters {@code target}. */
    private static Enrollment pass(
            ProgramDefinition definition,
            Enrollment e,
            Passed passed,
            String target,
            Instant now,
            List<Effect> effects) {
        effects.add(new StepExecuted(e.key(), e.stepId(), e.visit(e.stepId()), passed, now));
        Step next = definition.step(target);
        if (next == null) {
            throw new IllegalStateException("step " + e.stepId() + " of " + definition + " goes to a missing step: "
                    + target + " (validate definitions before running them)");
        }
        Enrollment entered = e.entering(target, now, dueOnEntry(next, now));
        effects.add(new StepEntered(target, entered.visit(target), now));
        return entered;
    }

    /** When a step entered at {@code now} is due: a wait or trigger after its time, any other step at once. */
    private static Instant dueOnEntry(Step step, Instant now) {
        return switch (step) {
            case WaitStep w when w.until() != null -> w.until().isAfter(now) ? w.until() : now;
            case WaitStep w -> now.plus(Duration.ofDays(w.days()));
            case TriggerStep t -> now.plus(Duration.ofDays(t.days()));
            default -> now;
        };
    }

    private static List<Activity> activities(ProspectFacts facts, List<Activity> happened) {
        if (happened == null || happened.isEmpty()) {
            return facts.activities();
        }
        List<Activity> all = new ArrayList<>(facts.activities());
        Set<Long> known = new HashSet<>();
        facts.activities().forEach(a -> known.add(a.id()));
        happened.stream().filter(a -> known.add(a.id())).forEach(all::add);
        return all;
    }
}
