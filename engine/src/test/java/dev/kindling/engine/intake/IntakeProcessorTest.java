package dev.kindling.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntakeProcessorTest {

    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
    private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    private final IntakeProcessor processor = IntakeProcessor.standard();

    /** Seeded so a failure repeats; the seed of the failing case is in the assertion message. */
    private static final long SEED = 20261122L;

    private static final int CASES = 500;

    @Test
    void theFinalStateDoesNotDependOnTheOrderActivitiesArriveIn() {
        Random random = new Random(SEED);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            List<Activity> activities = activities(gen);
            ProspectState start =
                    new ProspectState(7, LifecycleStage.CAPTURED, gen.nextBoolean() ? null : instant(gen));
            List<Activity> shuffled = new ArrayList<>(activities);
            Collections.shuffle(shuffled, gen);

            assertThat(processor.apply(start, shuffled, NOW))
                    .as("case seed %d, activities %s", caseSeed, activities)
                    .isEqualTo(processor.apply(start, activities, NOW));
        }
    }

    @Test
    void lastActivityIsTheLatestHumanActivityOrWhatItWas() {
        Random random = new Random(SEED + 1);
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            List<Activity> activities = activities(gen);
            Instant before = gen.nextInt(4) == 0 ? null : instant(gen);
            ProspectState start = new ProspectState(7, LifecycleStage.CAPTURED, before);

            Instant expected = activities.stream()
                    .filter(a -> !a.bot())
                    .map(Activity::occurredAt)
                    .reduce(before, (a, b) -> a == null || b.isAfter(a) ? b : a);
            assertThat(processor.apply(start, activities, NOW).state().lastActivityAt())
                    .as("case seed %d, activities %s", caseSeed, activities)
                    .isEqualTo(expected);
        }
    }

    @Test
    void aBackDatedActivityLeavesLastActivityWhereItIs() {
        ProspectState start = new ProspectState(7, LifecycleStage.CAPTURED, Instant.parse("2025-06-01T00:00:00Z"));

        IntakeProcessor.Result result =
                processor.apply(start, List.of(activity(1, "2021-03-01T00:00:00Z", false)), NOW);

        assertThat(result.changed(start)).isFalse();
        assertThat(result.events()).isEmpty();
    }

    @Test
    void aBotActivityNeverCountsAsActivity() {
        ProspectState start = new ProspectState(7, LifecycleStage.CAPTURED, null);

        IntakeProcessor.Result result = processor.apply(start, List.of(activity(1, "2025-06-01T00:00:00Z", true)), NOW);

        assertThat(result.state().lastActivityAt()).isNull();
    }

    @Test
    void activitiesAdvanceLastActivityInOccurrenceOrderWithOneEventPerStep() {
        ProspectState start = new ProspectState(7, LifecycleStage.CAPTURED, null);

        IntakeProcessor.Result result = processor.apply(
                start,
                List.of(
                        activity(3, "2025-06-03T00:00:00Z", false),
                        activity(1, "2025-06-01T00:00:00Z", false),
                        activity(2, "2025-06-02T00:00:00Z", true)),
                NOW);

        assertThat(result.events())
                .containsExactly(
                        new IntakeEvent.LastActivityAdvanced(7, null, Instant.parse("2025-06-01T00:00:00Z")),
                        new IntakeEvent.LastActivityAdvanced(
                                7, Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-06-03T00:00:00Z")));
    }

    /** Up to 30 activities of random types, a quarter of them bots, on few distinct days so ties are common. */
    private static List<Activity> activities(Random gen) {
        List<ActivityType> types = List.of(ActivityType.values()).stream()
                .filter(t -> t != ActivityType.CUSTOM)
                .toList();
        int size = gen.nextInt(31);
        List<Activity> activities = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            activities.add(new Activity(
                    i + 1,
                    types.get(gen.nextInt(types.size())),
                    null,
                    instant(gen),
                    null,
                    Map.of(),
                    gen.nextInt(4) == 0));
        }
        return activities;
    }

    private static Instant instant(Random gen) {
        return EPOCH.plusSeconds(gen.nextInt(41) * 86_400L);
    }

    private static Activity activity(long id, String occurredAt, boolean bot) {
        return new Activity(id, ActivityType.PAGE_VIEW, null, Instant.parse(occurredAt), null, Map.of(), bot);
    }
}
