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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IntakeProcessorTest {

    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
    private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    private final IntakeProcessor processor = IntakeProcessor.standard();

    @Property
    void theFinalStateDoesNotDependOnTheOrderActivitiesArriveIn(
            @ForAll("activities") @Size(max = 30) List<Activity> activities, @ForAll long seed) {
        ProspectState start = new ProspectState(7, LifecycleStage.CAPTURED, null);
        List<Activity> shuffled = new ArrayList<>(activities);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(processor.apply(start, shuffled, NOW)).isEqualTo(processor.apply(start, activities, NOW));
    }

    @Property
    void lastActivityIsTheLatestHumanActivityOrWhatItWas(
            @ForAll("activities") @Size(max = 30) List<Activity> activities, @ForAll("instants") Instant before) {
        ProspectState start = new ProspectState(7, LifecycleStage.CAPTURED, before);

        Instant expected = activities.stream().filter(a -> !a.bot()).map(Activity::occurredAt)
                .reduce(before, (a, b) -> b.isAfter(a) ? b : a);
        assertThat(processor.apply(start, activities, NOW).state().lastActivityAt()).isEqualTo(expected);
    }

    @Test
    void aBackDatedActivityLeavesLastActivityWhereItIs() {
        ProspectState start = new ProspectState(7, LifecycleStage.CAPTURED, Instant.parse("2025-06-01T00:00:00Z"));

        IntakeProcessor.Result result = processor.apply(start,
                List.of(activity(1, "2021-03-01T00:00:00Z", false)), NOW);

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

        IntakeProcessor.Result result = processor.apply(start, List.of(
                activity(3, "2025-06-03T00:00:00Z", false),
                activity(1, "2025-06-01T00:00:00Z", false),
                activity(2, "2025-06-02T00:00:00Z", true)), NOW);

        assertThat(result.events()).containsExactly(
                new IntakeEvent.LastActivityAdvanced(7, null, Instant.parse("2025-06-01T00:00:00Z")),
                new IntakeEvent.LastActivityAdvanced(7, Instant.parse("2025-06-01T00:00:00Z"),
                        Instant.parse("2025-06-03T00:00:00Z")));
    }

    @Provide
    Arbitrary<List<Activity>> activities() {
        Arbitrary<Instant> at = instants();
        Arbitrary<Boolean> bot = Arbitraries.of(true, false, false, false);
        Arbitrary<ActivityType> type = Arbitraries.of(ActivityType.class).filter(t -> t != ActivityType.CUSTOM);
        return Combinators.combine(at, bot, type).as((a, b, t) -> new Activity(0, t, null, a, null, Map.of(), b))
                .list()
                .map(list -> {
                    List<Activity> withIds = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        Activity a = list.get(i);
                        withIds.add(new Activity(i + 1, a.type(), null, a.occurredAt(), null, Map.of(), a.bot()));
                    }
                    return withIds;
                });
    }

    @Provide
    Arbitrary<Instant> instants() {
        // few distinct days, so that ties in occurredAt are common
        return Arbitraries.longs().between(0, 40).map(s -> EPOCH.plusSeconds(s * 86_400));
    }

    private static Activity activity(long id, String occurredAt, boolean bot) {
        return new Activity(id, ActivityType.PAGE_VIEW, null, Instant.parse(occurredAt), null, Map.of(), bot);
    }
}
