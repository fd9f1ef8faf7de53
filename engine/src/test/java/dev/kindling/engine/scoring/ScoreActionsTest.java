package dev.kindling.engine.scoring;

import static dev.kindling.engine.scoring.Fixtures.activity;
import static dev.kindling.engine.scoring.Fixtures.days;
import static dev.kindling.engine.scoring.Fixtures.processor;
import static dev.kindling.engine.scoring.Fixtures.prospect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.activity.ActivityType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreActionsTest {

    private static final ScoringModel MODEL = Fixtures.model(ScoringRule.of(1, "form", ActivityType.FORM_SUBMIT, 50));

    private static ScoreState fifty() {
        return processor(MODEL)
                .apply(prospect(), List.of(activity(1, ActivityType.FORM_SUBMIT, days(0))), days(0))
                .state()
                .score();
    }

    @Test
    void aResetSetsZeroAndItsUndoGivesBackWhatItTook() {
        Decay.Scored reset = ScoreActions.reset(fifty(), MODEL, days(1), "user admin");
        assertThat(reset.entries())
                .containsExactly(
                        new LedgerEntry(LedgerEntry.Kind.RESET, days(1), -50, 0, 0, null, null, "user admin", null));

        Decay.Scored undone =
                ScoreActions.undoReset(reset.state(), MODEL, 77, reset.entries().getFirst(), days(2), "undo by admin");
        assertThat(undone.state().value()).isEqualTo(50);
        assertThat(undone.entries().getFirst().undoes()).isEqualTo(77L);
        assertThat(undone.entries().getFirst().kind()).isEqualTo(LedgerEntry.Kind.RESET);
    }

    @Test
    void recyclingIsAResetEntryThatTheUndoOfAResetGivesBack() {
        Decay.Scored recycled =
                ScoreActions.recycle(fifty(), MODEL, score -> score - 30, days(1), "RECYCLE: -30 points (user:rep)");
        assertThat(recycled.state().value()).isEqualTo(20);
        assertThat(recycled.entries())
                .containsExactly(new LedgerEntry(
                        LedgerEntry.Kind.RESET,
                        days(1),
                        -30,
                        20,
                        20,
                        null,
                        null,
                        "RECYCLE: -30 points (user:rep)",
                        null));
        assertThat(recycled.state().buckets()).isEmpty();

        Decay.Scored undone = ScoreActions.undoReset(
                recycled.state(), MODEL, 9, recycled.entries().getFirst(), days(2), "undo");
        assertThat(undone.state().value()).isEqualTo(50);
    }

    @Test
    void recyclingAScoreAlreadyAtOrBelowTheTargetRecordsNothing() {
        Decay.Scored same = ScoreActions.recycle(fifty(), MODEL, score -> 60, days(1), "RECYCLE");
        assertThat(same.entries()).isEmpty();
        assertThat(same.state().value()).isEqualTo(50);
    }

    @Test
    void onlyAResetCanBeUndone() {
        LedgerEntry manual = new LedgerEntry(LedgerEntry.Kind.MANUAL, days(0), 5, null, 5, null, null, "x", null);
        assertThatThrownBy(() -> ScoreActions.undoReset(fifty(), MODEL, 1, manual, days(1), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aManualAdjustmentIsFloored() {
        Decay.Scored adjusted = ScoreActions.adjust(fifty(), MODEL, LedgerEntry.Kind.MANUAL, -80, days(1), "typo");
        assertThat(adjusted.state().value()).isZero();
        assertThat(adjusted.entries().getFirst().delta()).isEqualTo(-50);
    }

    @Test
    void decayDueBeforeAHandChangeIsRecordedFirst() {
        Decay.Scored adjusted = ScoreActions.adjust(fifty(), MODEL, LedgerEntry.Kind.MANUAL, 10, days(100), "bonus");
        assertThat(adjusted.entries())
                .extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.DECAY, LedgerEntry.Kind.MANUAL);
        assertThat(adjusted.state().value()).isEqualTo(10);
    }
}
