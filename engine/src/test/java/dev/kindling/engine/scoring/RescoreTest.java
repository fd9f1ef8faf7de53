package dev.kindling.engine.scoring;

import static dev.kindling.engine.scoring.Fixtures.activity;
import static dev.kindling.engine.scoring.Fixtures.days;
import static dev.kindling.engine.scoring.Fixtures.processor;
import static dev.kindling.engine.scoring.Fixtures.prospect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import java.util.List;
import org.junit.jupiter.api.Test;

class RescoreTest {

    private static final List<Activity> HISTORY = List.of(
            activity(1, ActivityType.FORM_SUBMIT, days(0)),
            activity(2, ActivityType.PAGE_VIEW, days(1)),
            activity(3, ActivityType.PAGE_VIEW, days(2)));

    private static ScoringModel model(int formPoints) {
        return Fixtures.model(
                ScoringRule.of(1, "form", ActivityType.FORM_SUBMIT, formPoints),
                ScoringRule.of(2, "view", ActivityType.PAGE_VIEW, 1));
    }

    @Test
    void replayingWithTheSameModelChangesNothing() {
        ScoreState live =
                processor(model(50)).apply(prospect(), HISTORY, days(3)).state().score();
        Rescore.Result result = Rescore.replay(live, model(50), HISTORY, null, 0, days(3));
        assertThat(result.entry()).isNull();
        assertThat(result.state()).isEqualTo(live);
    }

    @Test
    void replayingWithNewPointsRecordsOneRescoreEntrySettingTheNewScore() {
        ScoreState live =
                processor(model(50)).apply(prospect(), HISTORY, days(3)).state().score();
        Rescore.Result result = Rescore.replay(live, model(80), HISTORY, null, 0, days(3));
        assertThat(result.entry())
                .isEqualTo(new LedgerEntry(
                        LedgerEntry.Kind.RESCORE,
                        days(3),
                        30,
                        82,
                        82,
                        null,
                        null,
                        "rescore with the current model",
                        null));
        assertThat(result.change()).isEqualTo(30);
    }

    @Test
    void decayIsReappliedOnTheRecomputedHistory() {
        ScoreState live =
                processor(model(50)).apply(prospect(), HISTORY, days(3)).state().score();
        Rescore.Result result = Rescore.replay(live, model(80), HISTORY, null, 0, days(200));
        assertThat(result.after()).isZero();
        assertThat(result.state().nextDecayAt()).isNull();
    }

    @Test
    void aResetStandsAndHandChangesAreKept() {
        Rescore.Result result =
                Rescore.replay(ScoreState.EMPTY, model(80), HISTORY, days(1).plusSeconds(1), 7, days(3));
        assertThat(result.after()).isEqualTo(1 + 7);
    }
}
