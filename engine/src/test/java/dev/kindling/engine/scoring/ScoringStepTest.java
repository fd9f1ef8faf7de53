package dev.kindling.engine.scoring;

import static dev.kindling.engine.scoring.Fixtures.T0;
import static dev.kindling.engine.scoring.Fixtures.activity;
import static dev.kindling.engine.scoring.Fixtures.days;
import static dev.kindling.engine.scoring.Fixtures.entries;
import static dev.kindling.engine.scoring.Fixtures.model;
import static dev.kindling.engine.scoring.Fixtures.processor;
import static dev.kindling.engine.scoring.Fixtures.prospect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.ProspectState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringStepTest {

    private static final ScoringRule PAGE_VIEW = ScoringRule.of(1, "page view", ActivityType.PAGE_VIEW, 1);
    private static final ScoringRule PRICING = new ScoringRule(
            2,
            "pricing page",
            ActivityType.PAGE_VIEW,
            null,
            new UrlPattern("pricing"),
            null,
            null,
            null,
            null,
            10,
            null,
            false,
            null,
            "pricing");
    private static final ScoringRule UNSUBSCRIBE = ScoringRule.of(3, "unsubscribe", ActivityType.UNSUBSCRIBE, -25);

    private IntakeProcessor.Result run(ScoringModel model, ProspectState state, Activity... activities) {
        return processor(model).apply(state, List.of(activities), T0);
    }

    @Test
    void everyMatchingRuleGivesItsPointsWithOneLedgerEntryEach() {
        var result = run(
                model(PAGE_VIEW, PRICING),
                prospect(),
                activity(11, ActivityType.PAGE_VIEW, T0, Map.of("url", "https://a.example/pricing")));

        assertThat(result.state().score().value()).isEqualTo(11);
        assertThat(entries(result))
                .extracting(
                        LedgerEntry::kind,
                        LedgerEntry::ruleId,
                        LedgerEntry::delta,
                        LedgerEntry::result,
                        LedgerEntry::activityId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.ACTIVITY, 1L, 1, 1, 11L),
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.ACTIVITY, 2L, 10, 11, 11L));
    }

    @Test
    void filtersOnFormAssetEmailCampaignAndCustomNameMustAllHold() {
        ScoringRule webinarForm = new ScoringRule(
                4,
                "webinar form",
                ActivityType.FORM_SUBMIT,
                null,
                null,
                "Webinar",
                null,
                null,
                9L,
                50,
                null,
                false,
                null,
                null);
        ScoringRule whitepaper = new ScoringRule(
                5,
                "whitepaper",
                ActivityType.FILE_DOWNLOAD,
                null,
                null,
                null,
                "Whitepaper",
                null,
                null,
                5,
                null,
                false,
                null,
                null);
        ScoringRule emailClick = new ScoringRule(
                6,
                "newsletter click",
                ActivityType.EMAIL_CLICK,
                null,
                null,
                null,
                null,
                "nl-1",
                null,
                3,
                null,
                false,
                null,
                null);
        ScoringRule trial = new ScoringRule(
                7,
                "trial",
                ActivityType.CUSTOM,
                "trial_started",
                null,
                null,
                null,
                null,
                null,
                40,
                null,
                false,
                null,
                null);
        ScoringModel m = model(webinarForm, whitepaper, emailClick, trial);

        var result = run(
                m,
                prospect(),
                new Activity(1, ActivityType.FORM_SUBMIT, null, T0, 9L, Map.of("formName", "Webinar"), false),
                new Activity(2, ActivityType.FORM_SUBMIT, null, T0, 8L, Map.of("formName", "Webinar"), false),
                activity(3, ActivityType.FILE_DOWNLOAD, T0, Map.of("assetName", "Whitepaper")),
                activity(4, ActivityType.FILE_DOWNLOAD, T0, Map.of("assetName", "Price list")),
                activity(5, ActivityType.EMAIL_CLICK, T0, Map.of("emailId", "nl-1")),
                activity(6, ActivityType.EMAIL_CLICK, T0, Map.of()),
                new Activity(7, ActivityType.CUSTOM, "trial_started", T0, null, Map.of(), false),
                new Activity(8, ActivityType.CUSTOM, "webinar_left", T0, null, Map.of(), false));

        assertThat(entries(result)).extracting(LedgerEntry::activityId).containsExactly(1L, 3L, 5L, 7L);
        assertThat(result.state().score().value()).isEqualTo(50 + 5 + 3 + 40);
    }

    @Test
    void urlPatternFallsBackToTheLinkUrlOfATrackedLink() {
        ScoringRule docs = new ScoringRule(
                8,
                "docs link",
                ActivityType.TRACKED_LINK_CLICK,
                null,
                new UrlPattern("*/docs/*"),
                null,
                null,
                null,
                null,
                4,
                null,
                false,
                null,
                null);
        var result = run(
                model(docs),
                prospect(),
                activity(1, ActivityType.TRACKED_LINK_CLICK, T0, Map.of("linkUrl", "https://a.example/docs/x")));
        assertThat(result.state().score().value()).isEqualTo(4);
    }

    @Test
    void botActivitiesScoreNothing() {
        var result = run(
                model(PAGE_VIEW), prospect(), new Activity(1, ActivityType.PAGE_VIEW, null, T0, null, Map.of(), true));
        assertThat(result.state().score()).isEqualTo(ScoreState.EMPTY);
        assertThat(result.events()).isEmpty();
    }

    @Test
    void oddActivityDataMatchesNothingAndBreaksNothing() {
        ScoringRule strict = new ScoringRule(
                9,
                "strict",
                ActivityType.PAGE_VIEW,
                null,
                new UrlPattern("a*b*c"),
                "F",
                "A",
                "E",
                1L,
                5,
                10,
                true,
                "emailId",
                null);
        var result = run(
                model(strict),
                prospect(),
                activity(1, ActivityType.PAGE_VIEW, T0, Map.of("url", "\u0000".repeat(3000))),
                new Activity(2, ActivityType.CUSTOM, null, T0, null, Map.of(), false));
        assertThat(result.state().score().value()).isZero();
    }

    @Test
    void theScoreNeverFallsBelowTheFloorAndTheEntryRecordsTheEffectiveChange() {
        var result = run(
                model(PAGE_VIEW, UNSUBSCRIBE),
                prospect(),
                activity(1, ActivityType.PAGE_VIEW, T0),
                activity(2, ActivityType.UNSUBSCRIBE, T0.plusSeconds(1)));
        assertThat(result.state().score().value()).isZero();
        assertThat(entries(result)).extracting(LedgerEntry::delta).containsExactly(1, -1);
    }

    @Test
    void aNegativeFloorLetsScoresGoNegativeDownToIt() {
        var result = run(
                Fixtures.model(DecayPolicy.DEFAULT, -10, UNSUBSCRIBE),
                prospect(),
                activity(1, ActivityType.UNSUBSCRIBE, T0));
        assertThat(result.state().score().value()).isEqualTo(-10);
    }

    @Test
    void maxPointsPerDayCapsARulePerUtcDayOfOccurrence() {
        ScoringRule capped = new ScoringRule(
                10,
                "page views, 5 a day",
                ActivityType.PAGE_VIEW,
                null,
                null,
                null,
                null,
                null,
                null,
                2,
                5,
                false,
                null,
                null);
        var result = run(
                model(capped),
                prospect(),
                activity(1, ActivityType.PAGE_VIEW, T0),
                activity(2, ActivityType.PAGE_VIEW, T0.plusSeconds(1)),
                activity(3, ActivityType.PAGE_VIEW, T0.plusSeconds(2)),
                activity(4, ActivityType.PAGE_VIEW, T0.plusSeconds(3)),
                activity(5, ActivityType.PAGE_VIEW, T0.plusSeconds(13 * 3600)));
        // 2 + 2 + 1 (the rest of the 5), then nothing, then a new UTC day
        assertThat(entries(result)).extracting(LedgerEntry::delta).containsExactly(2, 2, 1, 2);
        assertThat(result.state().score().value()).isEqualTo(7);
    }

    @Test
    void theDailyCapHoldsAcrossBatchesThroughTheCapMemory() {
        ScoringRule capped = new ScoringRule(
                10,
                "page views, 3 a day",
                ActivityType.PAGE_VIEW,
                null,
                null,
                null,
                null,
                null,
                null,
                2,
                3,
                false,
                null,
                null);
        ScoringModel m = model(capped);
        var first = run(m, prospect(), activity(1, ActivityType.PAGE_VIEW, T0));
        var second = run(
                m,
                first.state(),
                activity(2, ActivityType.PAGE_VIEW, T0.plusSeconds(60)),
                activity(3, ActivityType.PAGE_VIEW, T0.plusSeconds(120)));
        assertThat(second.state().score().value()).isEqualTo(3);
        assertThat(second.state().score().caps())
                .containsEntry(
                        "10:d:"
                                + T0.atZone(java.time.ZoneOffset.UTC)
                                        .toLocalDate()
                                        .toEpochDay(),
                        3);
    }

    @Test
    void firstTimeOnlyCountsOncePerValueOfItsKeyProperty() {
        ScoringRule open = new ScoringRule(
                11,
                "email open, once per email",
                ActivityType.EMAIL_OPEN,
                null,
                null,
                null,
                null,
                null,
                null,
                1,
                null,
                true,
                "emailId",
                null);
        var result = run(
                model(open),
                prospect(),
                activity(1, ActivityType.EMAIL_OPEN, T0, Map.of("emailId", "a")),
                activity(2, ActivityType.EMAIL_OPEN, T0.plusSeconds(1), Map.of("emailId", "a")),
                activity(3, ActivityType.EMAIL_OPEN, T0.plusSeconds(2), Map.of("emailId", "b")));
        assertThat(entries(result)).extracting(LedgerEntry::activityId).containsExactly(1L, 3L);
    }

    @Test
    void firstTimeOnlyWithoutKeyCountsOncePerProspect() {
        ScoringRule demo = new ScoringRule(
                12,
                "first demo request",
                ActivityType.DEMO_REQUEST,
                null,
                null,
                null,
                null,
                null,
                null,
                50,
                null,
                true,
                null,
                null);
        var result = run(
                model(demo),
                prospect(),
                activity(1, ActivityType.DEMO_REQUEST, T0),
                activity(2, ActivityType.DEMO_REQUEST, T0.plusSeconds(5)));
        assertThat(result.state().score().value()).isEqualTo(50);
    }

    @Test
    void zeroPointRulesWriteNoEntry() {
        var result = run(
                model(ScoringRule.of(13, "email open", ActivityType.EMAIL_OPEN, 0)),
                prospect(),
                activity(1, ActivityType.EMAIL_OPEN, T0));
        assertThat(entries(result)).isEmpty();
    }

    @Test
    void anActivityArmsTheInactivityDecayAtItsOccurrencePlusTheDays() {
        var result = run(model(PAGE_VIEW), prospect(), activity(1, ActivityType.PAGE_VIEW, days(-10)));
        assertThat(result.state().score().nextDecayAt()).isEqualTo(days(80));
        assertThat(result.state().score().activityAt()).isEqualTo(days(-10));
    }

    @Test
    void aBackDatedActivityOlderThanTheInactivityPeriodIsScoredThenDecaysAtOnce() {
        var result = run(model(PAGE_VIEW), prospect(), activity(1, ActivityType.PAGE_VIEW, days(-100)));
        assertThat(entries(result))
                .extracting(LedgerEntry::kind, LedgerEntry::delta, LedgerEntry::at)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.ACTIVITY, 1, T0),
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.DECAY, -1, days(-10)));
        assertThat(result.state().score().value()).isZero();
        assertThat(result.state().score().nextDecayAt()).isNull();
    }

    @Test
    void inactivityDueBeforeANewActivityAppliesFirst() {
        ScoringModel m = model(PAGE_VIEW);
        var first =
                processor(m).apply(prospect(), List.of(activity(1, ActivityType.PAGE_VIEW, days(-200))), days(-200));
        var later = processor(m).apply(first.state(), List.of(activity(2, ActivityType.PAGE_VIEW, T0)), T0);
        assertThat(entries(later))
                .extracting(LedgerEntry::kind, LedgerEntry::result)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.DECAY, 0),
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.ACTIVITY, 1));
    }
}
