package dev.kindling.engine.scoring;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeStep;
import dev.kindling.engine.intake.ProspectState;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Scores each human activity with the current model: decay due by the time the activity occurred is
 * applied first, then every matching rule's points (within its caps), then whatever decay is due now
 * (a back-dated activity's points lose at once what they would have lost by now). Bot activities
 * score nothing. Reports the ledger entries as {@link IntakeEvent.ScoreChanged}.
 */
public final class ScoringStep implements IntakeStep {

    private final Supplier<ScoringModel> model;

    /** @param model the model in force; asked once per activity, so it should be cheap (a cached value) */
    public ScoringStep(Supplier<ScoringModel> model) {
        this.model = model;
    }

    @Override
    public ProspectState apply(ProspectState state, Activity activity, Instant now, Consumer<IntakeEvent> events) {
        if (activity.bot()) {
            return state;
        }
        Work work = new Work(state.score(), model.get());
        int before = state.score().value();
        work.score(activity, now);
        Decay.Scored scored = work.result();
        if (scored.changed()) {
            events.accept(new IntakeEvent.ScoreChanged(state.prospectId(), before, scored.state().value(),
                    scored.entries()));
        }
        return state.withScore(scored.state());
    }
}
