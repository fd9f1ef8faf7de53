package dev.kindling.engine.program;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.program.Effect.ActionEmitted;
import dev.kindling.engine.program.Effect.SendSkipped;
import dev.kindling.engine.program.Effect.StepExecuted;
import dev.kindling.engine.program.Enrollment.PauseReason;
import dev.kindling.engine.program.Enrollment.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One prospect's enrollment driven as the app drives it: sweeps at due times, events as they happen, list and
 * field changes. Every executed key is checked to be new, so any test doubles as an idempotency check.
 */
final class Journey {

    static final Instant MONDAY = Instant.parse("2026-03-02T10:00:00Z");
    static final ProgramRunner RUNNER = new ProgramRunner(new ConditionEvaluator(Thresholds.DEFAULTS));

    final ProgramDefinition definition;
    Enrollment enrollment;
    Instant now;
    final List<Effect> effects = new ArrayList<>();
    final Set<String> keys = new HashSet<>();
    Set<Long> lists = new HashSet<>();
    final Map<String, Object> fields = new HashMap<>();
    final List<Activity> activities = new ArrayList<>();
    final List<ProspectFacts.Opportunity> opportunities = new ArrayList<>();
    int score;
    LifecycleStage stage = LifecycleStage.ENGAGED;
    private long nextActivityId = 1;
    int mostStepsInOneAdvance;

    Journey(ProgramDefinition definition, Instant start, Long... lists) {
        this.definition = definition;
        this.now = start;
        this.lists.addAll(List.of(lists));
    }

    static Journey of(ProgramDefinition definition, Long... lists) {
        return new Journey(definition, MONDAY, lists);
    }

    /** Enrolls and advances at once, as the event path does. */
    Journey start() {
        return start(7);
    }

    Journey start(long enrollmentId) {
        var enrolled = RUNNER.enroll(definition, enrollmentId, 42, now);
        assertThat(enrolled.enrollment().dueAt())
                .as("a new enrollment is due at once, or when its first step waits")
                .isAfterOrEqualTo(now);
        effects.addAll(enrolled.effects());
        enrollment = enrolled.enrollment();
        return advance(List.of());
    }

    ProspectFacts facts() {
        return new ProspectFacts(42, fields, score, null, stage, null, lists, activities, null, opportunities, null);
    }

    Journey advance(List<Activity> happened) {
        record(RUNNER.advance(definition, enrollment, facts(), happened, now));
        return this;
    }

    void record(Advance advance) {
        record(advance, true);
    }

    /** Records a decision; after an advance an active enrollment is due strictly later (it never spins). */
    void record(Advance advance, boolean advanced) {
        long executedNow = advance.effects().stream()
                .filter(e -> e instanceof StepExecuted)
                .count();
        mostStepsInOneAdvance = Math.max(mostStepsInOneAdvance, (int) executedNow);
        for (Effect effect : advance.effects()) {
            if (effect instanceof StepExecuted executed) {
                assertThat(keys.add(executed.key()))
                        .as("key %s executed twice", executed.key())
                        .isTrue();
            }
        }
        effects.addAll(advance.effects());
        enrollment = advance.enrollment();
        if (enrollment.status() == Status.ACTIVE) {
            if (advanced) {
                assertThat(enrollment.dueAt()).as("an active enrollment waits").isAfter(now);
            } else {
                assertThat(enrollment.dueAt()).isAfterOrEqualTo(now);
            }
        }
    }

    /** Moves the clock, sweeping at every due time on the way as a punctual sweeper would. */
    Journey after(Duration duration) {
        return until(now.plus(duration));
    }

    Journey until(Instant instant) {
        while (enrollment.status() == Status.ACTIVE && !enrollment.dueAt().isAfter(instant)) {
            now = enrollment.dueAt();
            advance(List.of());
        }
        now = instant;
        return this;
    }

    /** Moves the clock without sweeping, then sweeps once (a sweeper running late). */
    Journey lateSweepAt(Instant instant) {
        now = instant;
        if (enrollment.status() == Status.ACTIVE && !enrollment.dueAt().isAfter(now)) {
            advance(List.of());
        }
        return this;
    }

    /** The prospect does something now; its enrollment is advanced on the event. */
    Journey did(ActivityType type, Map<String, String> properties) {
        return did(type, properties, false);
    }

    Journey did(ActivityType type, Map<String, String> properties, boolean bot) {
        Activity activity = activity(type, now, properties, bot);
        activities.add(activity);
        return advance(List.of(activity));
    }

    /** An activity that happened at {@code at} but is only stored, not fed to the enrollment. */
    Journey happenedQuietly(ActivityType type, Instant at, Map<String, String> properties) {
        activities.add(activity(type, at, properties, false));
        return this;
    }

    private Activity activity(ActivityType type, Instant at, Map<String, String> properties, boolean bot) {
        return new Activity(nextActivityId++, type, null, at, null, properties, bot);
    }

    Journey leaveList(long listId) {
        lists.remove(listId);
        return advance(List.of());
    }

    Journey joinList(long listId) {
        lists.add(listId);
        return advance(List.of());
    }

    Journey pauseProgram() {
        record(RUNNER.pause(enrollment, PauseReason.PROGRAM, now));
        return this;
    }

    Journey resumeProgram() {
        record(RUNNER.resume(definition, enrollment, PauseReason.PROGRAM, now), false);
        return this;
    }

    /** The steps executed, in order. */
    List<String> executed() {
        return effects.stream()
                .filter(e -> e instanceof StepExecuted)
                .map(e -> ((StepExecuted) e).stepId())
                .toList();
    }

    List<Action> actions() {
        return effects.stream()
                .filter(e -> e instanceof ActionEmitted)
                .map(e -> ((ActionEmitted) e).action())
                .toList();
    }

    List<SendSkipped> skipped() {
        return effects.stream()
                .filter(e -> e instanceof SendSkipped)
                .map(e -> (SendSkipped) e)
                .toList();
    }

    List<StepExecuted> executions() {
        return effects.stream()
                .filter(e -> e instanceof StepExecuted)
                .map(e -> (StepExecuted) e)
                .toList();
    }

    String at() {
        return enrollment.stepId();
    }
}
