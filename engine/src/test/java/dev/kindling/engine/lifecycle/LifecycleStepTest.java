package dev.kindling.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.LastActivityStep;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.scoring.ScoreState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lifecycle inside the intake processor, over many seeded random histories. */
class LifecycleStepTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final long SEED = 20260301L;
    static final int CASES = 500;
    static final ActivityType[] TYPES = ActivityType.values();

    final IntakeProcessor processor = new IntakeProcessor(
            List.of(new LastActivityStep(), new LifecycleStep(StageTable.standard(), () -> LifecyclePolicy.DEFAULTS)));

    @Test
    void theSameActivitiesGiveTheSameStageWhateverOrderTheyArriveIn() {
        Random random = new Random(SEED);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            ProspectState start = start(gen);
            List<Activity> activities = activities(gen);
            List<Activity> shuffled = new ArrayList<>(activities);
            Collections.shuffle(shuffled, gen);
            assertThat(processor.apply(start, shuffled, NOW))
                    .as("case seed %d", caseSeed)
                    .isEqualTo(processor.apply(start, activities, NOW));
        }
    }

    @Test
    void everyChangeFollowsTheTableAndChainsFromThePreviousStage() {
        Random random = new Random(SEED + 1);
        StageTable table = StageTable.standard();
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            ProspectState start = start(gen);
            IntakeProcessor.Result result = processor.apply(start, activities(gen), NOW);
            LifecycleStage stage = start.stage();
            for (IntakeEvent event : result.events()) {
                if (event instanceof IntakeEvent.StageChanged c) {
                    assertThat(c.from()).as("case seed %d", caseSeed).isEqualTo(stage);
                    LifecycleStage from = stage;
                    assertThat(table.rows())
                            .as("case seed %d: %s", caseSeed, c)
                            .anyMatch(t -> t.from().contains(from) && t.to() == c.to());
                    stage = c.to();
                }
            }
            assertThat(result.state().stage()).as("case seed %d", caseSeed).isEqualTo(stage);
        }
    }

    @Test
    void aDisqualifiedProspectNeverAdvancesByItself() {
        Random random = new Random(SEED + 2);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            ProspectState start = start(gen).withStage(LifecycleStage.DISQUALIFIED);
            IntakeProcessor.Result result = processor.apply(start, activities(gen), NOW);
            assertThat(result.state().stage()).as("case seed %d", caseSeed).isEqualTo(LifecycleStage.DISQUALIFIED);
            assertThat(result.events()).noneMatch(e -> e instanceof IntakeEvent.StageChanged);
            assertThat(result.state().lifecycleCheckAt()).isNull();
        }
    }

    @Test
    void theInactivityCheckIsDueOnePeriodAfterTheLastActivityWhileTheStageCanBeRecycled() {
        Random random = new Random(SEED + 3);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            ProspectState start = start(gen);
            List<Activity> activities = activities(gen);
            ProspectState end = processor.apply(start, activities, NOW).state();
            boolean anyHuman = activities.stream().anyMatch(a -> !a.bot());
            if (!anyHuman) {
                assertThat(end.lifecycleCheckAt()).as("case seed %d", caseSeed).isEqualTo(start.lifecycleCheckAt());
            } else if (StageTable.standard()
                    .next(end.stage(), Trigger.INACTIVITY)
                    .isPresent()) {
                assertThat(end.lifecycleCheckAt())
                        .as("case seed %d", caseSeed)
                        .isEqualTo(end.lastActivityAt().plus(Duration.ofDays(90)));
            } else {
                assertThat(end.lifecycleCheckAt()).as("case seed %d", caseSeed).isNull();
            }
        }
    }

    static ProspectState start(Random gen) {
        LifecycleStage[] stages = {
            LifecycleStage.CAPTURED,
            LifecycleStage.ENGAGED,
            LifecycleStage.MQL,
            LifecycleStage.SAL,
            LifecycleStage.SQL,
            LifecycleStage.CUSTOMER,
            LifecycleStage.RECYCLED,
            LifecycleStage.DISQUALIFIED
        };
        LifecycleStage stage = stages[gen.nextInt(stages.length)];
        Grade grade = gen.nextInt(5) == 0 ? null : Grade.values()[gen.nextInt(Grade.values().length)];
        ScoreState score = ScoreState.EMPTY.withValue(gen.nextInt(120));
        return new ProspectState(7, stage, null, score, grade, null);
    }

    static List<Activity> activities(Random gen) {
        int n = gen.nextInt(8);
        List<Activity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ActivityType type = TYPES[gen.nextInt(TYPES.length)];
            Map<String, String> props = type == ActivityType.FORM_SUBMIT && gen.nextBoolean()
                    ? Map.of("formName", gen.nextBoolean() ? "Contact sales" : "Newsletter")
                    : Map.of();
            out.add(new Activity(
                    100 + i,
                    type,
                    null,
                    NOW.minusSeconds(gen.nextInt(200) * 86_400L),
                    null,
                    props,
                    gen.nextInt(6) == 0));
        }
        return out;
    }
}
