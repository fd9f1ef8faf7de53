package dev.kindling.engine.scoring;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeStep;
import dev.kindling.engine.intake.ProspectState;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Scores each human activity with the current model, on the activity's own timeline: decay due by the time the
 * activity occurred is applied first, then every matching rule's points (within its caps). The state it leaves is the
 * score as of the activity, which is what the steps after it (lifecycle's MQL thresholds) see — so history processed
 * in one go qualifies when the threshold was actually crossed. Decay due between the last activity and now is applied
 * by {@link #settle}, once the prospect's activities of the batch are in (a back-dated activity's points thus lose by
 * now what they would have lost by now). Bot activities score nothing. Reports the ledger entries as
 * {@link IntakeEvent.ScoreChanged}.
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
            events.accept(new IntakeEvent.ScoreChanged(
                    state.prospectId(), before, scored.state().value(), scored.entries()));
        }
        return state.withScore(scored.state());
    }

    /** Applies the decay due by {@code now}: the score as it stands today. */
    @Override
    public ProspectState settle(ProspectState state, Instant now, Consumer<IntakeEvent> events) {
        Decay.Scored scored = Decay.due(state.score(), model.get(), now);
        if (!scored.changed()) {
            return state.score().equals(scored.state()) ? state : state.withScore(scored.state());
        }
        events.accept(new IntakeEvent.ScoreChanged(
                state.prospectId(), state.score().value(), scored.state().value(), scored.entries()));
        return state.withScore(scored.state());
    }
}
