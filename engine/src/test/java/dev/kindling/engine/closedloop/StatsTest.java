package dev.kindling.engine.closedloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.scoring.DecayPolicy;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.engine.scoring.ScoringRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void closeRateAndLiftAreWonOverProspectsAndRateOverAverage() {
        assertThat(Stats.closeRate(12, 40)).isEqualTo(0.3);
        assertThat(Stats.lift(0.3, 0.1)).isCloseTo(3.0, within(1e-9));
        assertThat(Stats.lift(0.3, 0)).isNull();
        assertThat(Stats.closeRate(0, 0)).isZero();
    }

    @Test
    void suggestedPointsAreTwentyPerDoublingOfTheShrunkLiftCapped() {
        // average 0.1; 12 of 40: shrunk (12 + 1) / 50 = 0.26, lift 2.6, 20 × log2 2.6 = 27.57 → 28
        assertThat(Stats.suggestedPoints(12, 40, 0.1)).isEqualTo(28);
        // 2 of 20 at an average of 0.1: shrunk (2 + 1) / 30 = 0.1, lift 1 → 0
        assertThat(Stats.suggestedPoints(2, 20, 0.1)).isZero();
        // 0 of 30: shrunk 1 / 40 = 0.025, lift 0.25, −40 → capped at −20
        assertThat(Stats.suggestedPoints(0, 30, 0.1)).isEqualTo(-20);
        // 90 of 100 at 0.1: shrunk 91 / 110 = 0.827, lift 8.27, 60.9 → capped at 50
        assertThat(Stats.suggestedPoints(90, 100, 0.1)).isEqualTo(50);
        // nobody won in the cohort: no signal
        assertThat(Stats.suggestedPoints(0, 30, 0)).isZero();
    }

    @Test
    void aucCountsWonAboveNotWonPairsWithTiesAsHalf() {
        // won 3, 5 against not won 1, 3, 4: (1 + 0.5 + 0) + (1 + 1 + 1) = 4.5 of 6 pairs
        List<Stats.Scored> scored = List.of(
                new Stats.Scored(3, true),
                new Stats.Scored(5, true),
                new Stats.Scored(1, false),
                new Stats.Scored(3, false),
                new Stats.Scored(4, false));
        assertThat(Stats.auc(scored)).isCloseTo(0.75, within(1e-9));
        assertThat(Stats.auc(List.of(new Stats.Scored(1, true)))).isNull();
    }

    @Test
    void theThresholdIsTheLowestEdgeWhoseProspectsAtOrAboveCloseAtTwiceTheAverage() {
        // average 0.1; ≥ 0: 10 %, ≥ 25: (2 + 3) / (20 + 10) = 16.7 %, ≥ 50: 3 / 10 = 30 % ≥ 20 %
        List<Stats.Band> bands =
                List.of(new Stats.Band(0, 70, 2), new Stats.Band(25, 20, 2), new Stats.Band(50, 10, 3));
        assertThat(Stats.threshold(bands, 0.1, 5)).isEqualTo(50);
        assertThat(Stats.threshold(bands, 0.1, 11)).isNull();
    }

    @Test
    void gradingWeightsFollowTheLift() {
        assertThat(Stats.criterionWeight(1.4)).isZero();
        assertThat(Stats.criterionWeight(1.5)).isEqualTo(1);
        assertThat(Stats.criterionWeight(2.0)).isEqualTo(2);
        assertThat(Stats.criterionWeight(3.5)).isEqualTo(3);
        assertThat(Stats.criterionWeight(null)).isZero();
    }

    private static final Instant T = Instant.parse("2026-03-02T00:00:00Z");

    private static Activity act(ActivityType type, int minutes, Map<String, String> props) {
        return new Activity(minutes, type, null, T.plusSeconds(60L * minutes), null, props, false);
    }

    @Test
    void actionsAreTypeAndFacetWithNormalisedPathsAndTheBandsReachedInOneWindow() {
        List<Activity> history = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            history.add(act(ActivityType.PAGE_VIEW, i, Map.of("url", "https://a.example/Pricing/?x=" + i)));
        }
        history.add(act(ActivityType.FORM_SUBMIT, 9, Map.of("formName", "Demo")));
        history.add(act(ActivityType.EMAIL_SENT, 10, Map.of("emailId", "e1")));
        assertThat(Action.of(history))
                .containsExactlyInAnyOrder(
                        new Action(ActivityType.PAGE_VIEW, "urlPath", "/pricing", null, null),
                        new Action(ActivityType.FORM_SUBMIT, "formName", "Demo", null, null),
                        new Action(ActivityType.PAGE_VIEW, null, null, 5, 30));
    }

    @Test
    void theAnalysisCountsPoolsSuggestsAndCarriesRuleBodies() {
        ScoringModel model = new ScoringModel(
                List.of(
                        ScoringRule.of(1, "form", ActivityType.FORM_SUBMIT, 50),
                        new ScoringRule(
                                2,
                                "demo form",
                                ActivityType.FORM_SUBMIT,
                                null,
                                null,
                                "Demo",
                                null,
                                null,
                                null,
                                7,
                                null,
                                false,
                                null,
                                null)),
                DecayPolicy.DEFAULT,
                0);
        List<ClosedLoop.Subject> cohort = new ArrayList<>();
        // 10 prospects; 4 submitted the Demo form, 3 of them won; 1 other won; one did a rare download
        for (int i = 0; i < 10; i++) {
            List<Activity> acts = new ArrayList<>();
            if (i < 4) {
                acts.add(act(ActivityType.FORM_SUBMIT, i, Map.of("formName", "Demo")));
            }
            if (i == 9) {
                acts.add(act(ActivityType.FILE_DOWNLOAD, i, Map.of("assetName", "Rare")));
            }
            boolean won = i < 3 || i == 5;
            cohort.add(ClosedLoop.Subject.of(
                    i,
                    T.plusSeconds(i),
                    won,
                    acts,
                    Map.of("industry", i < 5 ? "Banking" : "Retail"),
                    T.plusSeconds(86_400)));
        }
        ClosedLoop.Result r = ClosedLoop.analyse(cohort, 2, model);

        assertThat(r.cohort()).isEqualTo(10);
        assertThat(r.won()).isEqualTo(4);
        assertThat(r.averageCloseRate()).isEqualTo(0.4);
        assertThat(r.actions()).hasSize(1);
        ClosedLoop.ActionRow demo = r.actions().getFirst();
        // 3 of 4: rate 0.75, lift 1.875; shrunk (3 + 4) / 14 = 0.5, lift 1.25, 20 × log2 1.25 = 6.44 → 6
        assertThat(demo.closeRate()).isEqualTo(0.75);
        assertThat(demo.lift()).isCloseTo(1.875, within(1e-9));
        assertThat(demo.suggestedPoints()).isEqualTo(6);
        assertThat(demo.currentPoints()).isEqualTo(57);
        // the Demo-form rule scores exactly this action: it changes from 7 to 6 − 57 + 7 = −44, so the total is 6
        assertThat(demo.rule())
                .containsEntry("activityType", "FORM_SUBMIT")
                .containsEntry("formName", "Demo")
                .containsEntry("points", -44L);
        assertThat(demo.ruleId()).isEqualTo(2L);
        assertThat(r.pooled().actions()).isEqualTo(1);
        assertThat(r.pooled().prospects()).isEqualTo(1);
        // Banking: 3 of 5 = 0.6, lift 1.5 → weight 1
        assertThat(r.fit()).first().satisfies(f -> {
            assertThat(f.value()).isEqualTo("Banking");
            assertThat(f.lift()).isCloseTo(1.5, within(1e-9));
            assertThat(f.criterion())
                    .containsEntry(
                            "condition", Map.of("field", "industryOrAccount", "op", "in", "value", List.of("Banking")))
                    .containsEntry("weight", 1L);
        });
        // held out: the 2 newest (8, 9), neither won → no AUC, and said plainly
        assertThat(r.validation().holdoutProspects()).isEqualTo(2);
        assertThat(r.validation().currentModelAuc()).isNull();
        assertThat(r.validation().trustworthy()).isFalse();
        assertThat(r.validation().note()).contains("Too few outcomes");
    }

    /**
     * Hand-computed validation. 100 prospects captured one second apart: the oldest 80 are fitted on, the newest 20
     * held out. Fitting part: 20 viewed /pricing, 16 of them won; of the 60 others 4 won (average 0.25; /pricing:
     * shrunk (16 + 2.5) / 30 = 0.617, lift 2.47, 20 × log2 2.47 = 26.1 → 26 points). Held out: 10 won (6 viewed
     * /pricing, 2 submitted the Demo form, 10 downloaded "Late") and 10 not won (2 viewed /pricing, 4 submitted the
     * Demo form). The current model gives the Demo form 50 points, nothing else.
     */
    @Test
    void theValidationFitsOnTheOldestFourFifthsAndRanksTheNewestFifthByBothModels() {
        ScoringModel model = new ScoringModel(
                List.of(new ScoringRule(
                        1,
                        "demo form",
                        ActivityType.FORM_SUBMIT,
                        null,
                        null,
                        "Demo",
                        null,
                        null,
                        null,
                        50,
                        null,
                        false,
                        null,
                        null)),
                DecayPolicy.DEFAULT,
                0);
        List<ClosedLoop.Subject> cohort = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            boolean held = i >= 80;
            int h = i - 80;
            boolean won = held ? h < 10 : (i < 16 || (i >= 20 && i < 24));
            boolean pricing = held ? (h < 6 || h == 10 || h == 11) : i < 20;
            boolean demo = held && ((h >= 6 && h < 8) || (h >= 12 && h < 16));
            List<Activity> acts = new ArrayList<>();
            if (pricing) {
                acts.add(act(ActivityType.PAGE_VIEW, 1, Map.of("url", "https://a.example/pricing")));
            }
            if (demo) {
                acts.add(act(ActivityType.FORM_SUBMIT, 2, Map.of("formName", "Demo")));
            }
            if (held && won) {
                // an action only the held-out prospects did: it is shown, but the validation's points are fitted
                // without it, so it cannot leak the held-out outcomes into the suggested model's AUC
                acts.add(act(ActivityType.FILE_DOWNLOAD, 3, Map.of("assetName", "Late")));
            }
            cohort.add(ClosedLoop.Subject.of(i, T.plusSeconds(i), won, acts, Map.of(), T.plusSeconds(86_400)));
        }
        ClosedLoop.Result r = ClosedLoop.analyse(cohort, 5, model);

        assertThat(r.actions())
                .as("the held-out prospects' action is a row of the report")
                .anySatisfy(a -> assertThat(a.action().value()).isEqualTo("Late"));
        ClosedLoop.Validation v = r.validation();
        assertThat(v.holdoutProspects()).isEqualTo(20);
        assertThat(v.holdoutWon()).isEqualTo(10);
        // suggested: won 6 × 26, 4 × 0; not won 2 × 26, 8 × 0 → (6 × 8 + ½ × 6 × 2 + ½ × 4 × 8) / 100 = 0.70
        assertThat(v.suggestedModelAuc()).isCloseTo(0.70, within(1e-9));
        // current: won 2 × 50, 8 × 0; not won 4 × 50, 6 × 0 → (2 × 6 + ½ × 2 × 4 + ½ × 8 × 6) / 100 = 0.40
        assertThat(v.currentModelAuc()).isCloseTo(0.40, within(1e-9));
        assertThat(v.trustworthy()).isTrue();
        assertThat(v.note()).isEqualTo("Fitted on the 80 oldest prospects, checked on the 20 newest.");
    }

    @Test
    void theHoldoutIsTheNewestFifthByCaptureThenId() {
        java.util.Map<Long, Instant> captured = new java.util.HashMap<>();
        for (long i = 1; i <= 10; i++) {
            captured.put(i, T.minusSeconds(i)); // 10 is the oldest
        }
        captured.put(11L, T.minusSeconds(1)); // ties with 1: the higher id is newer
        // 11 prospects: floor(8.8) = 8 fitted on, the 3 newest held out
        assertThat(ClosedLoop.holdout(captured)).containsExactlyInAnyOrder(2L, 1L, 11L);
    }

    @Test
    void aFacetTheRulesApiWouldRefuseGivesNoRule() {
        assertThat(ClosedLoop.ruleBody(
                        new Action(ActivityType.FORM_SUBMIT, "formName", "x".repeat(501), null, null), 5))
                .isNull();
        assertThat(ClosedLoop.ruleBody(new Action(ActivityType.FORM_SUBMIT, "formName", "a\u0000b", null, null), 5))
                .isNull();
        assertThat(ClosedLoop.ruleBody(new Action(ActivityType.PAGE_VIEW, "urlPath", "/a b", null, null), 5))
                .isNull();
        assertThat(ClosedLoop.ruleBody(
                        new Action(ActivityType.FORM_SUBMIT, "formName", "x".repeat(500), null, null), 5))
                .containsEntry("formName", "x".repeat(500));
    }

    @Test
    void aBandRuleBodyCarriesItsOccurrenceAndWindow() {
        assertThat(ClosedLoop.ruleBody(new Action(ActivityType.PAGE_VIEW, null, null, 5, 30), 12))
                .containsEntry("occurrence", 5L)
                .containsEntry("withinDays", 30L)
                .containsEntry("points", 12L)
                .doesNotContainKey("urlPattern");
    }

    @Test
    void everySuggestedCriterionIsAValidGradingCriterion() {
        List<Map<String, Object>> bodies = List.of(
                ClosedLoop.criterion("industry", "x".repeat(200), 1),
                ClosedLoop.criterion("country", "JP", 2),
                ClosedLoop.criterion("companySize", "50-249", 3),
                ClosedLoop.criterion("companySize", "1000+", 1),
                ClosedLoop.criterion("seniority", "senior", 2),
                ClosedLoop.criterion("department", "IT", 1));
        for (Map<String, Object> b : bodies) {
            List<dev.kindling.engine.grading.Problem> problems = new ArrayList<>();
            @SuppressWarnings("unchecked")
            var criterion = dev.kindling.engine.grading.Criterion.parse(
                    0,
                    b.get("label"),
                    condition((Map<String, Object>) b.get("condition")),
                    b.get("weight"),
                    "",
                    problems);
            assertThat(problems).as(b.toString()).isEmpty();
            assertThat(criterion).isNotNull();
            assertThat(criterion.isActive()).isTrue();
        }
        assertThat(ClosedLoop.criterion("seniority", "other", 2)).isNull();
        assertThat(ClosedLoop.criterion("industry", "x".repeat(201), 2))
                .as("longer than a condition value")
                .isNull();
        assertThat(ClosedLoop.criterion("industry", "Retail", 0)).isNull();
    }

    @Test
    void aBandsCurrentPointsAreThoseOfTheRulesWithItsOccurrenceAndWindow() {
        ScoringModel model = new ScoringModel(
                List.of(
                        ScoringRule.of(1, "page view", ActivityType.PAGE_VIEW, 1),
                        new ScoringRule(
                                2,
                                "5th view",
                                ActivityType.PAGE_VIEW,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                10,
                                null,
                                false,
                                null,
                                null,
                                5,
                                30)),
                DecayPolicy.DEFAULT,
                0);
        Action band = new Action(ActivityType.PAGE_VIEW, null, null, 5, 30);
        assertThat(ClosedLoop.currentPoints(band, model)).isEqualTo(10);
        assertThat(ClosedLoop.currentPoints(new Action(ActivityType.PAGE_VIEW, "urlPath", "/x", null, null), model))
                .isEqualTo(1);
        // the band rule scores exactly the band: a suggestion of 25 changes it to 25 − 10 + 10
        assertThat(ClosedLoop.exactRule(band, model).id()).isEqualTo(2L);
    }

    @Test
    void sizeBandsAndSeniorityGroupFitValues() {
        assertThat(ClosedLoop.Fit.sizeBand(120)).isEqualTo("50-249");
        assertThat(ClosedLoop.Fit.sizeBand(5000)).isEqualTo("1000+");
        assertThat(ClosedLoop.Fit.sizeBand(null)).isNull();
        assertThat(ClosedLoop.Fit.seniority("Head of IT")).isEqualTo("senior");
        assertThat(ClosedLoop.Fit.seniority("Engineer")).isEqualTo("other");
    }

    /** A suggested criterion's condition (field leaves, maybe under "any") as the condition model. */
    @SuppressWarnings("unchecked")
    private static dev.kindling.engine.condition.Condition condition(Map<String, Object> json) {
        if (json.containsKey("any")) {
            return new dev.kindling.engine.condition.Condition.Any(((List<Map<String, Object>>) json.get("any"))
                    .stream().map(StatsTest::condition).toList());
        }
        String field = (String) json.get("field");
        Object value = json.get("value");
        List<Object> operands = new ArrayList<>();
        for (Object v : value instanceof List<?> l ? l : List.of(value)) {
            operands.add(v instanceof Long n ? java.math.BigDecimal.valueOf(n) : v);
        }
        return new dev.kindling.engine.condition.Condition.FieldCondition(
                field,
                field.startsWith("employees")
                        ? dev.kindling.engine.condition.FieldType.NUMBER
                        : dev.kindling.engine.condition.FieldType.TEXT,
                dev.kindling.engine.condition.Operator.byJson((String) json.get("op")),
                operands);
    }
}
