package dev.kindling.scoring;

import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import dev.kindling.engine.lifecycle.LifecyclePolicy;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.scoring.Decay;
import dev.kindling.engine.scoring.ScoreActions;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.lifecycle.LifecycleSettings;
import dev.kindling.lifecycle.StagesEntered;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Applies the lifecycle's recycle policy ({@link dev.kindling.engine.lifecycle.RecyclePolicy}) to the score of every
 * prospect moved into RECYCLED, in the moving transaction and in batch: one lock, one update, one ledger insert.
 * Only prospects still RECYCLED are touched (intake may recycle a long-silent prospect and re-engage it with the same
 * activity). The ledger entry is a RESET whose reason starts with {@code RECYCLE} and names the move's cause; it is
 * undone like any reset ({@code POST /api/v1/prospects/{id}/score/undo-reset}).
 */
@Component
class RecycledScores {

    private final ScoreStore store;
    private final ScoringModels models;
    private final LifecycleSettings lifecycle;
    private final java.time.Clock clock;

    RecycledScores(ScoreStore store, ScoringModels models, LifecycleSettings lifecycle, java.time.Clock clock) {
        this.store = store;
        this.models = models;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    @EventListener
    void on(StagesEntered entered) {
        Map<Long, String> causes = new LinkedHashMap<>();
        for (StageChanged c : entered.changes()) {
            if (c.to() == LifecycleStage.RECYCLED) {
                causes.put(c.prospectId(), c.cause());
            } else {
                causes.remove(c.prospectId());
            }
        }
        if (causes.isEmpty()) {
            return;
        }
        LifecyclePolicy policy = lifecycle.policy();
        ScoringModel model = models.current();
        Instant now = clock.instant();
        List<Long> ids = new ArrayList<>();
        List<dev.kindling.engine.scoring.ScoreState> after = new ArrayList<>();
        List<ScoreStore.Entry> entries = new ArrayList<>();
        store.lock(causes.keySet(), "p.stage = 'RECYCLED'").forEach((id, state) -> {
            Decay.Scored scored = ScoreActions.recycle(
                    state,
                    model,
                    score -> policy.recycle().scoreAfter(score, policy.mqlScore(), model.floor()),
                    now,
                    policy.recycle().describe() + " (" + causes.get(id) + ")");
            if (!scored.entries().isEmpty()) {
                ids.add(id);
                after.add(scored.state());
                scored.entries().forEach(e -> entries.add(new ScoreStore.Entry(id, e)));
            }
        });
        store.writeStates(ids, after);
        store.append(entries);
    }
}
