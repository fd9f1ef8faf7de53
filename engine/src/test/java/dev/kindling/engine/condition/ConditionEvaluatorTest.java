package dev.kindling.engine.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.PropertyRuns;
import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.ActivityFilter;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.DaysSinceLastActivity;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.GradeCondition;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.Condition.OpportunityCondition;
import dev.kindling.engine.condition.Condition.QuadrantCondition;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.ProspectFacts.Opportunity;
import dev.kindling.engine.condition.ProspectFacts.OpportunityStatus;
import dev.kindling.engine.grading.Quadrant;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionEvaluatorTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final ConditionEvaluator evaluator = new ConditionEvaluator(Thresholds.DEFAULTS);

    private static ProspectFacts prospect(Map<String, Object> fields) {
        return new ProspectFacts(1, fields, 0, null, LifecycleStage.CAPTURED, null, null, null, null, null, null);
    }

    private static ProspectFacts withActivities(Instant last, Activity... activities) {
        return new ProspectFacts(
                1, Map.of(), 0, null, LifecycleStage.ENGAGED, null, null, List.of(activities), last, null, null);
    }

    private static Activity click(Instant at, boolean bot) {
        return new Activity(1, ActivityType.EMAIL_CLICK, null, at, null, Map.of("url", "https://x.test/Pricing"), bot);
    }

    private static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    private static FieldCondition text(Operator op, Object... operands) {
        return new FieldCondition("industry", FieldType.TEXT, op, List.of(operands));
    }

    @Test
    void lowerCaseOfAsciiTextIsTheSameAsCodePointByCodePoint() {
        java.util.Random random = new java.util.Random(16);
        String alphabet = "abcXYZ019 -_/?=.:AZaz@[`{" + "ÄäΣσİıß部長";
        for (int n = 0, cases = PropertyRuns.cases(5_000, 100_000); n < cases; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            boolean ascii = random.nextBoolean();
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(ascii ? 25 : alphabet.length())));
            }
            StringBuilder expected = new StringBuilder();
            text.codePoints().map(Character::toLowerCase).forEach(expected::appendCodePoint);
            assertThat(ConditionEvaluator.lower(text.toString()))
                    .as(text.toString())
                    .isEqualTo(expected.toString());
        }
    }

    @Test
    void textComparisonsIgnoreCaseIncludingNonAsciiLetters() {
        ProspectFacts prospect = prospect(Map.of("industry", "Ärzte und Software"));

        assertThat(evaluator.matches(text(Operator.STARTS_WITH, "ÄRZTE"), prospect, NOW))
                .isTrue();
        assertThat(evaluator.matches(text(Operator.ENDS_WITH, "SOFTWARE"), prospect, NOW))
                .isTrue();
        assertThat(evaluator.matches(text(Operator.CONTAINS, "und s"), prospect, NOW))
                .isTrue();
        assertThat(evaluator.matches(text(Operator.EQ, "ärzte und software"), prospect, NOW))
                .isTrue();
        assertThat(evaluator.matches(text(Operator.IN, "x", "ÄRZTE UND SOFTWARE"), prospect, NOW))
                .isTrue();
        assertThat(evaluator.matches(text(Operator.EQ, "Ärzte"), prospect, NOW)).isFalse();
    }

    @Test
    void anEmptyStringIsEmptyAndOnlyNegativeComparisonsMatchEmptyValues() {
        Map<String, Object> blank = new HashMap<>();
        blank.put("industry", "");
        for (ProspectFacts empty : List.of(prospect(blank), prospect(Map.of()))) {
            assertThat(evaluator.matches(text(Operator.IS_EMPTY), empty, NOW)).isTrue();
            assertThat(evaluator.matches(text(Operator.NE, "x"), empty, NOW)).isTrue();
            assertThat(evaluator.matches(text(Operator.NOT_IN, "x"), empty, NOW))
                    .isTrue();
            assertThat(evaluator.matches(text(Operator.EQ, "x"), empty, NOW)).isFalse();
            assertThat(evaluator.matches(new Not(text(Operator.EQ, "x")), empty, NOW))
                    .isTrue();
        }
    }

    @Test
    void numbersCompareByValueAndIgnoreValuesOfAnotherType() {
        FieldCondition big = new FieldCondition(
                "custom.budget",
                FieldType.NUMBER,
                Operator.BETWEEN,
                List.of(new BigDecimal("10"), new BigDecimal("10.5")));

        assertThat(evaluator.matches(big, prospect(Map.of("custom.budget", new BigDecimal("10.50"))), NOW))
                .isTrue();
        assertThat(evaluator.matches(big, prospect(Map.of("custom.budget", 10)), NOW))
                .isTrue();
        assertThat(evaluator.matches(big, prospect(Map.of("custom.budget", "10")), NOW))
                .isFalse();
    }

    @Test
    void olderThanDaysIncludesExactlyNDaysAndWithinDaysExcludesIt() {
        FieldCondition older = new FieldCondition("createdAt", FieldType.DATE, Operator.OLDER_THAN_DAYS, List.of(30L));
        FieldCondition within = new FieldCondition("createdAt", FieldType.DATE, Operator.WITHIN_DAYS, List.of(30L));

        ProspectFacts exactly = prospect(Map.of("createdAt", daysAgo(30)));
        ProspectFacts justAfter = prospect(Map.of("createdAt", daysAgo(30).plusMillis(1)));

        assertThat(evaluator.matches(older, exactly, NOW)).isTrue();
        assertThat(evaluator.matches(within, exactly, NOW)).isFalse();
        assertThat(evaluator.matches(older, justAfter, NOW)).isFalse();
        assertThat(evaluator.matches(within, justAfter, NOW)).isTrue();
        assertThat(evaluator.matches(older, prospect(Map.of("createdAt", "2026-01-30")), NOW))
                .isTrue();
    }

    @Test
    void activityCountsOnlyHumanActivitiesInsideTheWindowAndDidNotIsItsOpposite() {
        ActivityCondition twice = new ActivityCondition(
                ActivityType.EMAIL_CLICK, new ActivityFilter(null, "pricing", null, null, null), 2, 30L, true);
        ActivityCondition notTwice = new ActivityCondition(
                ActivityType.EMAIL_CLICK, new ActivityFilter(null, "pricing", null, null, null), 2, 30L, false);

        ProspectFacts inside = withActivities(null, click(daysAgo(29), false), click(daysAgo(1), false));
        ProspectFacts oneAgedOut = withActivities(null, click(daysAgo(30), false), click(daysAgo(1), false));
        ProspectFacts oneBot = withActivities(null, click(daysAgo(2), true), click(daysAgo(1), false));

        assertThat(evaluator.matches(twice, inside, NOW)).isTrue();
        assertThat(evaluator.matches(twice, oneAgedOut, NOW)).isFalse();
        assertThat(evaluator.matches(twice, oneBot, NOW)).isFalse();
        assertThat(evaluator.matches(notTwice, oneBot, NOW)).isTrue();
    }

    @Test
    void daysSinceLastActivityCountsWholeDaysAndNeverMatchesAProspectNeverActive() {
        DaysSinceLastActivity ninety = new DaysSinceLastActivity(Operator.GTE, List.of(90L));
        DaysSinceLastActivity exactly = new DaysSinceLastActivity(Operator.EQ, List.of(90L));

        assertThat(evaluator.matches(ninety, withActivities(daysAgo(90)), NOW)).isTrue();
        assertThat(evaluator.matches(ninety, withActivities(daysAgo(90).plusMillis(1)), NOW))
                .isFalse();
        assertThat(evaluator.matches(exactly, withActivities(daysAgo(91).plusMillis(1)), NOW))
                .isTrue();
        assertThat(evaluator.matches(exactly, withActivities(daysAgo(91)), NOW)).isFalse();
        assertThat(evaluator.matches(ninety, withActivities(null), NOW)).isFalse();
        assertThat(evaluator.matches(new Not(ninety), withActivities(null), NOW))
                .isTrue();
    }

    @Test
    void aProspectWithoutOpportunitiesMatchesNoOpportunityConditionEvenNegated() {
        OpportunityCondition lostRecently =
                new OpportunityCondition(Set.of(OpportunityStatus.LOST), 90L, null, null, Set.of());
        ProspectFacts none = prospect(Map.of());
        ProspectFacts lost = new ProspectFacts(
                1,
                Map.of(),
                0,
                null,
                LifecycleStage.SQL,
                null,
                null,
                null,
                null,
                List.of(new Opportunity(OpportunityStatus.LOST, BigDecimal.TEN, null, daysAgo(10), null)),
                null);
        ProspectFacts won = new ProspectFacts(
                1,
                Map.of(),
                0,
                null,
                LifecycleStage.SQL,
                null,
                null,
                null,
                null,
                List.of(new Opportunity(OpportunityStatus.WON, BigDecimal.TEN, null, daysAgo(10), null)),
                null);

        assertThat(evaluator.matches(lostRecently, none, NOW)).isFalse();
        assertThat(evaluator.matches(new Not(lostRecently), none, NOW)).isFalse();
        assertThat(evaluator.matches(new Not(new Not(lostRecently)), none, NOW)).isFalse();
        assertThat(evaluator.matches(lostRecently, lost, NOW)).isTrue();
        assertThat(evaluator.matches(new Not(lostRecently), won, NOW)).isTrue();
    }

    @Test
    void gradesCompareOnTheScaleAndQuadrantsUseTheThresholds() {
        ProspectFacts cPlusHighScore =
                new ProspectFacts(1, Map.of(), 60, "C+", LifecycleStage.ENGAGED, null, null, null, null, null, null);

        assertThat(evaluator.matches(new GradeCondition(Operator.GTE, List.of("C")), cPlusHighScore, NOW))
                .isTrue();
        assertThat(evaluator.matches(new GradeCondition(Operator.GT, List.of("B-")), cPlusHighScore, NOW))
                .isFalse();
        assertThat(evaluator.matches(new GradeCondition(Operator.IS_EMPTY, List.of()), cPlusHighScore, NOW))
                .isFalse();
        assertThat(evaluator.matches(new QuadrantCondition(true, Set.of(Quadrant.HOT)), cPlusHighScore, NOW))
                .isTrue();
        assertThat(evaluator.matches(
                        new All(List.of(new ScoreCondition(Operator.BETWEEN, List.of(50L, 60L)))), cPlusHighScore, NOW))
                .isTrue();
    }

    @Test
    void withinDaysFlipsWhenTheCountedActivityThatMakesTheDifferenceAgesOut() {
        ActivityCondition twice = new ActivityCondition(ActivityType.EMAIL_CLICK, null, 2, 30L, true);
        ProspectFacts prospect =
                withActivities(null, click(daysAgo(10), false), click(daysAgo(20), false), click(daysAgo(25), false));

        assertThat(evaluator.nextFlip(twice, prospect, NOW))
                .contains(daysAgo(20).plus(Duration.ofDays(30)));
    }

    @Test
    void inactivityFlipsExactlyNinetyDaysAfterTheLastActivity() {
        Instant last = daysAgo(12).plusSeconds(3_600);
        DaysSinceLastActivity ninety = new DaysSinceLastActivity(Operator.GTE, List.of(90L));

        assertThat(evaluator.nextFlip(ninety, withActivities(last), NOW)).contains(last.plus(Duration.ofDays(90)));
        assertThat(evaluator.nextFlip(ninety, withActivities(null), NOW)).isEmpty();
    }

    @Test
    void olderThanDaysOnADateFieldFlipsWhenTheDateIsOldEnough() {
        FieldCondition older = new FieldCondition("createdAt", FieldType.DATE, Operator.OLDER_THAN_DAYS, List.of(30L));

        assertThat(evaluator.nextFlip(older, prospect(Map.of("createdAt", daysAgo(5))), NOW))
                .contains(daysAgo(5).plus(Duration.ofDays(30)));
        assertThat(evaluator.nextFlip(older, prospect(Map.of("createdAt", daysAgo(50))), NOW))
                .isEmpty();
    }

    @Test
    void aConditionWithoutTimeNeverFlipsByTheClock() {
        assertThat(evaluator.nextFlip(text(Operator.EQ, "x"), prospect(Map.of("industry", "x")), NOW))
                .isEmpty();
    }

    /**
     * The event path asks {@code outcome}; its answer must be the definition: the count of matching human
     * activities inside the window, and a next flip where the answer really changes and not before.
     */
    @Test
    void outcomeAgreesWithCountingActivitiesOneByOneAndFlipsExactlyWhenTheAnswerChanges() {
        java.util.Random seeds = new java.util.Random(20261122);
        ActivityType[] types = {ActivityType.EMAIL_CLICK, ActivityType.PAGE_VIEW, ActivityType.FORM_SUBMIT};
        for (int round = 0, rounds = PropertyRuns.cases(500, 10_000); round < rounds; round++) {
            long seed = seeds.nextLong();
            java.util.Random random = new java.util.Random(seed);
            List<Activity> activities = new java.util.ArrayList<>();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                Instant at =
                        NOW.minus(Duration.ofHours(random.nextInt(24 * 60))).plusNanos(random.nextInt(2_000));
                activities.add(new Activity(
                        i,
                        types[random.nextInt(types.length)],
                        null,
                        at,
                        null,
                        Map.of("url", random.nextBoolean() ? "https://x.test/Pricing" : "https://x.test/blog"),
                        random.nextInt(8) == 0));
            }
            ActivityType type = random.nextInt(4) == 0 ? null : types[random.nextInt(types.length)];
            ActivityFilter filter =
                    random.nextBoolean() ? ActivityFilter.NONE : new ActivityFilter(null, "pricing", null, null, null);
            Long within = random.nextInt(4) == 0 ? null : (long) (1 + random.nextInt(45));
            ActivityCondition leaf =
                    new ActivityCondition(type, filter, 1 + random.nextInt(3), within, random.nextBoolean());
            Condition condition = random.nextBoolean()
                    ? leaf
                    : new All(List.of(leaf, new Not(new ActivityCondition(null, null, 2, 7L, true))));
            ProspectFacts facts = withActivities(null, activities.toArray(Activity[]::new));

            ConditionEvaluator.Outcome outcome = evaluator.outcome(condition, facts, NOW);
            String description = "seed " + seed + ", " + condition;
            assertThat(outcome.matches()).as(description).isEqualTo(evaluator.matches(condition, facts, NOW));
            if (condition == leaf) {
                assertThat(outcome.matches()).as(description).isEqualTo(naive(leaf, activities, NOW));
            }
            if (outcome.nextFlip().isPresent()) {
                Instant flip = outcome.nextFlip().get();
                assertThat(evaluator.matches(condition, facts, flip))
                        .as(description)
                        .isNotEqualTo(outcome.matches());
                assertThat(evaluator.matches(condition, facts, flip.minusNanos(1_000)))
                        .as(description)
                        .isEqualTo(outcome.matches());
            } else {
                assertThat(evaluator.matches(condition, facts, NOW.plus(Duration.ofDays(400))))
                        .as(description)
                        .isEqualTo(outcome.matches());
            }
        }
    }

    private static boolean naive(ActivityCondition leaf, List<Activity> activities, Instant now) {
        long count = 0;
        for (Activity a : activities) {
            boolean typed = leaf.type() == null || leaf.type() == a.type();
            boolean filtered = leaf.filter().urlContains() == null
                    || a.properties()
                            .get("url")
                            .toLowerCase()
                            .contains(leaf.filter().urlContains());
            boolean inside = leaf.withinDays() == null
                    || a.occurredAt()
                            .truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                            .isAfter(now.minus(Duration.ofDays(leaf.withinDays())));
            if (!a.bot() && typed && filtered && inside) {
                count++;
            }
        }
        return (count >= leaf.atLeast()) == leaf.did();
    }
}
