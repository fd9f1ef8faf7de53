package dev.kindling.engine.scoring;

import static dev.kindling.engine.scoring.Fixtures.activity;
import static dev.kindling.engine.scoring.Fixtures.days;
import static dev.kindling.engine.scoring.Fixtures.entries;
import static dev.kindling.engine.scoring.Fixtures.processor;
import static dev.kindling.engine.scoring.Fixtures.prospect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.scoring.DecayPolicy.InactivityAction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecayTest {

    private static final ScoringRule FORM = ScoringRule.of(1, "form", ActivityType.FORM_SUBMIT, 50);
    private static final ScoringRule VIEW = ScoringRule.of(2, "view", ActivityType.PAGE_VIEW, 1);

    /** The state after one form submission at day 0, processed at day 0. */
    private static ScoreState scored(ScoringModel model) {
        return processor(model)
                .apply(prospect(), List.of(activity(1, ActivityType.FORM_SUBMIT, days(0))), days(0))
                .state()
                .score();
    }

    @Test
    void nothingIsDueBeforeTheNextDecayInstant() {
        ScoringModel m = Fixtures.model(FORM);
        Decay.Scored result = Decay.due(scored(m), m, days(89));
        assertThat(result.entries()).isEmpty();
        assertThat(result.state().nextDecayAt()).isEqualTo(days(90));
    }

    @Test
    void inactivitySetsTheScoreToZeroOnceAtTheDueInstant() {
        ScoringModel m = Fixtures.model(FORM);
        Decay.Scored result = Decay.due(scored(m), m, days(90));
        assertThat(result.entries())
                .containsExactly(new LedgerEntry(
                        LedgerEntry.Kind.DECAY,
                        days(90),
                        -50,
                        0,
                        0,
                        null,
                        null,
                        "inactivity: no activity for 90 days",
                        null));
        assertThat(result.state().nextDecayAt()).isNull();
        assertThat(Decay.due(result.state(), m, days(400)).entries()).isEmpty();
    }

    @Test
    void inactivityCanSubtractPointsInsteadDownToTheFloor() {
        ScoringModel m = Fixtures.model(new DecayPolicy(30, InactivityAction.SUBTRACT, 20, null), 0, FORM);
        ScoreState s = scored(m);
        Decay.Scored result = Decay.due(s, m, days(31));
        assertThat(result.state().value()).isEqualTo(30);
        ScoringModel harsh = Fixtures.model(new DecayPolicy(30, InactivityAction.SUBTRACT, 100, null), 5, FORM);
        assertThat(Decay.due(scored(harsh), harsh, days(31)).state().value()).isEqualTo(5);
    }

    @Test
    void withoutInactivityPolicyNothingDecays() {
        ScoringModel m = Fixtures.model(new DecayPolicy(null, null, 0, null), 0, FORM);
        ScoreState s = scored(m);
        assertThat(s.nextDecayAt()).isNull();
        assertThat(Decay.due(s, m, days(1000)).entries()).isEmpty();
    }

    @Test
    void halfLifeHalvesActivityPointsAtEachPeriodBoundary() {
        ScoringModel m = Fixtures.model(new DecayPolicy(null, null, 0, 10), 0, FORM);
        ScoreState s = scored(m);
        long period = Decay.period(days(0), 10);
        Instant boundary1 = Decay.periodStart(period + 1, 10);
        assertThat(s.nextDecayAt()).isEqualTo(boundary1);

        Decay.Scored result = Decay.due(s, m, boundary1.plusSeconds(10 * 86_400));
        assertThat(result.entries())
                .extracting(LedgerEntry::at, LedgerEntry::delta, LedgerEntry::result)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(boundary1, -25, 25),
                        org.assertj.core.groups.Tuple.tuple(boundary1.plusSeconds(10 * 86_400), -13, 12));
        assertThat(result.state().nextDecayAt()).isEqualTo(boundary1.plusSeconds(20 * 86_400));
    }

    @Test
    void halfLifeEndsWhenEveryPointIsGone() {
        ScoringModel m = Fixtures.model(new DecayPolicy(null, null, 0, 1), 0, FORM);
        Decay.Scored result = Decay.due(scored(m), m, days(100));
        assertThat(result.state().value()).isZero();
        assertThat(result.entries()).hasSize(6); // 50 → 25 → 12 → 6 → 3 → 1 → 0
        assertThat(result.state().nextDecayAt()).isNull();
    }

    @Test
    void aBackDatedActivityIsWorthWhatItWouldBeWorthHadItArrivedOnTime() {
        ScoringModel m = Fixtures.model(new DecayPolicy(null, null, 0, 10), 0, FORM);
        long p = Decay.period(days(0), 10);
        Instant now = Decay.periodStart(p + 2, 10).plusSeconds(3600);
        var result = processor(m).apply(prospect(), List.of(activity(1, ActivityType.FORM_SUBMIT, days(0))), now);
        assertThat(entries(result))
                .extracting(LedgerEntry::kind, LedgerEntry::delta)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.ACTIVITY, 50),
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.DECAY, -25),
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.DECAY, -13));
        assertThat(result.state().score().value()).isEqualTo(12);
        // the same as scoring it on time and letting it decay
        assertThat(Decay.due(scored(m), m, now).state().value()).isEqualTo(12);
    }

    @Test
    void aBackDatedActivityForAProspectAlreadyInALaterPeriodLosesAtOnceWhatItWouldHaveLost() {
        ScoringModel m = Fixtures.model(new DecayPolicy(null, null, 0, 10), 0, FORM);
        long p = Decay.period(days(0), 10);
        Instant now = Decay.periodStart(p + 2, 10).plusSeconds(3600);
        var recent = processor(m).apply(prospect(), List.of(activity(1, ActivityType.FORM_SUBMIT, now)), now);
        var result = processor(m).apply(recent.state(), List.of(activity(2, ActivityType.FORM_SUBMIT, days(0))), now);
        assertThat(entries(result))
                .extracting(LedgerEntry::kind, LedgerEntry::delta, LedgerEntry::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Kind.ACTIVITY, 50, "form"),
                        org.assertj.core.groups.Tuple.tuple(
                                LedgerEntry.Kind.DECAY, -38, "half-life: back-dated activity"));
        assertThat(result.state().score().value()).isEqualTo(62);
    }

    @Test
    void halfLifeNeverTakesTheScoreBelowTheFloorAndInactivityAndHalfLifeInterleaveInTimeOrder() {
        ScoringModel m = Fixtures.model(new DecayPolicy(25, InactivityAction.SET_TO_ZERO, 0, 10), 0, FORM, VIEW);
        Decay.Scored result = Decay.due(scored(m), m, days(200));
        assertThat(result.entries()).isNotEmpty();
        assertThat(result.entries()).allSatisfy(e -> assertThat(e.result()).isNotNegative());
        assertThat(result.entries()).isSortedAccordingTo(java.util.Comparator.comparing(LedgerEntry::at));
        assertThat(result.entries().getLast().result()).isZero();
        assertThat(result.state().nextDecayAt()).isNull();
    }

    @Test
    void changingTheHalfLifeStartsFreshBuckets() {
        ScoringModel ten = Fixtures.model(new DecayPolicy(null, null, 0, 10), 0, FORM);
        ScoringModel off = Fixtures.model(new DecayPolicy(null, null, 0, null), 0, FORM);
        Decay.Scored result = Decay.due(scored(ten), off, days(100));
        assertThat(result.entries()).isEmpty();
        assertThat(result.state().buckets()).isEmpty();
        assertThat(result.state().value()).isEqualTo(50);
    }
}
