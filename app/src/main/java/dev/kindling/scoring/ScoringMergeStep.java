package dev.kindling.scoring;

import dev.kindling.engine.scoring.LedgerEntry;
import dev.kindling.engine.scoring.Rescore;
import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.prospects.MergeStep;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge moves the loser's ledger to the survivor and recomputes the survivor's score from the merged history, as
 * retroactive rescoring does (each activity scored when it occurred, decay in between and up to now, the latest
 * reset in force and the hand changes since kept) — never the sum of two totals. A MERGE entry sets the result, also
 * when it equals the score before, so the ledger records every merge. Cap memory is recomputed by the replay.
 */
@Component
@Order(10)
class ScoringMergeStep implements MergeStep {

    private final JdbcClient jdbc;
    private final ScoreStore store;
    private final Rescoring rescoring;
    private final ScoringModels models;

    ScoringMergeStep(JdbcClient jdbc, ScoreStore store, Rescoring rescoring, ScoringModels models) {
        this.jdbc = jdbc;
        this.store = store;
        this.rescoring = rescoring;
        this.models = models;
    }

    @Override
    public Set<String> columns() {
        return Set.of("score_ledger.prospect_id", "score_cap.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        long s = pair.survivorId();
        jdbc.sql("UPDATE score_ledger SET prospect_id = :s WHERE prospect_id = :l")
                .param("s", s)
                .param("l", pair.loserId())
                .update();
        jdbc.sql("DELETE FROM score_cap WHERE prospect_id = :l")
                .param("l", pair.loserId())
                .update();
        ScoreState before = store.lock(List.of(s)).get(s);
        Rescore.Result r =
                rescoring.replay(Map.of(s, before), models.current(), pair.at()).get(s);
        int target = r.after();
        store.writeStates(List.of(s), List.of(r.state()));
        store.append(List.of(new ScoreStore.Entry(
                s,
                new LedgerEntry(
                        LedgerEntry.Kind.MERGE,
                        pair.at(),
                        target - before.value(),
                        target,
                        target,
                        null,
                        null,
                        "merged prospect " + pair.loserId(),
                        null))));
        store.replaceCaps(Map.of(s, r.state().caps()));
    }
}
