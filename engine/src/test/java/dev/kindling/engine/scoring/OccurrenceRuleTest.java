package dev.kindling.engine.scoring;

import static dev.kindling.engine.scoring.Fixtures.activity;
import static dev.kindling.engine.scoring.Fixtures.entries;
import static dev.kindling.engine.scoring.Fixtures.prospect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.PropertyRuns;
import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.intake.ProspectState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OccurrenceRuleTest {

    private static final DecayPolicy NO_DECAY =
            new DecayPolicy(null, DecayPolicy.InactivityAction.SET_TO_ZERO, 0, null);
    /** The start of a 30-day window (windows are counted from the epoch). */
    private static final Instant WINDOW = Instant.ofEpochSecond(30L * 86_400 * 700);

    private static ScoringRule fifthPageView(int points) {
        return new ScoringRule(
                20,
                "5 page views in 30 days",
                ActivityType.PAGE_VIEW,
                null,
                null,
                null,
                null,
                null,
                null,
                points,
                null,
                false,
                null,
                null,
                5,
                30);
    }

    private static ScoringModel model(ScoringRule rule) {
        return Fixtures.model(NO_DECAY, 0, rule);
    }

    private static Activity view(long id, Instant at) {
        return activity(id, ActivityType.PAGE_VIEW, at);
    }

    @Test
    void theRuleScoresOnlyTheNthMatchOfItsWindowAndAgainInTheNextWindow() {
        List<Activity> views = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            views.add(view(i + 1, WINDOW.plusSeconds(i * 86_400L)));
        }
        for (int i = 0; i < 5; i++) {
            views.add(view(100 + i, WINDOW.plusSeconds(30L * 86_400 + i * 3600L)));
        }
        var result =
                Fixtures.processor(model(fifthPageView(15))).apply(prospect(), views, WINDOW.plusSeconds(90L * 86_400));

        assertThat(entries(result)).extracting(LedgerEntry::activityId).containsExactly(5L, 104L);
        assertThat(result.state().score().value()).isEqualTo(30);
        long window = Math.floorDiv(WINDOW.getEpochSecond(), 30L * 86_400);
        assertThat(result.state().score().caps())
                .containsEntry("20:n:" + window, 7)
                .containsEntry("20:n:" + (window + 1), 5);
    }

    @Test
    void fourMatchesInAWindowScoreNothing() {
        List<Activity> views = List.of(
                view(1, WINDOW),
                view(2, WINDOW.plusSeconds(10)),
                view(3, WINDOW.plusSeconds(20)),
                view(4, WINDOW.plusSeconds(30)),
                view(5, WINDOW.minusSeconds(1)));
        var result = Fixtures.processor(model(fifthPageView(15))).apply(prospect(), views, WINDOW.plusSeconds(60));
        assertThat(result.state().score().value()).isZero();
    }

    @Test
    void occurrenceAndWithinDaysGoTogetherAndStayInRange() {
        assertThatThrownBy(() -> new ScoringRule(
                        1,
                        "x",
                        ActivityType.PAGE_VIEW,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        1,
                        null,
                        false,
                        null,
                        null,
                        5,
                        null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScoringRule(
                        1,
                        "x",
                        ActivityType.PAGE_VIEW,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        1,
                        null,
                        false,
                        null,
                        null,
                        0,
                        30))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScoringRule(
                        1,
                        "x",
                        ActivityType.PAGE_VIEW,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        1,
                        null,
                        false,
                        null,
                        null,
                        3,
                        400))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Property: over random histories split into random batches, the rule gives its points exactly once per window
     * that holds at least N matches, to that window's N-th match in occurrence order, whatever the batches.
     */
    @Test
    void overRandomHistoriesEachWindowWithNMatchesScoresOnceWhateverTheBatches() {
        Random random = new Random(12);
        for (int run = 0, cases = PropertyRuns.cases(300, 3_000); run < cases; run++) {
            int n = 1 + random.nextInt(6);
            int days = 1 + random.nextInt(40);
            ScoringRule rule = new ScoringRule(
                    7,
                    "nth",
                    ActivityType.PAGE_VIEW,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    3,
                    null,
                    false,
                    null,
                    null,
                    n,
                    days);
            List<Activity> views = new ArrayList<>();
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                views.add(view(i + 1, WINDOW.plusSeconds(random.nextLong(120L * 86_400))));
            }
            views.sort(dev.kindling.engine.intake.IntakeProcessor.OCCURRENCE_ORDER);
            Map<Long, Integer> perWindow = new HashMap<>();
            List<Long> expected = new ArrayList<>();
            for (Activity a : views) {
                long w = Math.floorDiv(a.occurredAt().getEpochSecond(), days * 86_400L);
                if (perWindow.merge(w, 1, Integer::sum) == n) {
                    expected.add(a.id());
                }
            }
            Instant now = WINDOW.plusSeconds(200L * 86_400);
            ProspectState state = prospect();
            List<Long> scored = new ArrayList<>();
            int from = 0;
            while (from < views.size()) {
                int to = Math.min(views.size(), from + 1 + random.nextInt(10));
                var result = Fixtures.processor(model(rule)).apply(state, views.subList(from, to), now);
                entries(result).forEach(e -> scored.add(e.activityId()));
                state = result.state();
                from = to;
            }
            assertThat(scored).as("run %d", run).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(state.score().value()).isEqualTo(3 * expected.size());
        }
    }
}
