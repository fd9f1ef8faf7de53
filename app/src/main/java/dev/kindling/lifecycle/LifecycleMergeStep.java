package dev.kindling.lifecycle;

import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.prospects.MergeStep;
import dev.kindling.prospects.ProspectRows;
import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge moves the loser's stage history to the survivor (each stage first reached at the earlier of the two) and
 * puts the survivor at the furthest stage of the two on the success path (the order of {@link LifecycleStage});
 * when neither is on it, DISQUALIFIED over RECYCLED. The move is a transition with cause
 * {@code merge}, so the inactivity check is re-derived like any other move.
 */
@Component
@Order(20)
class LifecycleMergeStep implements MergeStep {

    static final String CAUSE = "merge";

    private final JdbcClient jdbc;
    private final StageMoves moves;
    private final ProspectRows prospectRows;

    LifecycleMergeStep(JdbcClient jdbc, StageMoves moves, ProspectRows prospectRows) {
        this.jdbc = jdbc;
        this.moves = moves;
        this.prospectRows = prospectRows;
    }

    @Override
    public Set<String> columns() {
        return Set.of("stage_transition.prospect_id", "stage_reached.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        long s = pair.survivorId();
        long l = pair.loserId();
        LifecycleStage survivorStage = stage(s);
        LifecycleStage target = furthest(survivorStage, stage(l));
        jdbc.sql("UPDATE stage_transition SET prospect_id = :s WHERE prospect_id = :l")
                .param("s", s)
                .param("l", l)
                .update();
        // the survivor's last stage change from its transitions now (its capture may have become the loser's, earlier
        // one, below its own capture's transition) and from both rows (moves of archived months); the prospect's row
        // is the prospects module's to write
        Timestamp last =
                jdbc.sql("""
                        SELECT greatest((SELECT max(at) FROM stage_transition WHERE prospect_id = :s),
                                        (SELECT max(stage_changed_at) FROM prospect WHERE id IN (:s, :l)))""").param("s", s).param("l", l).query(Timestamp.class).single();
        prospectRows.writeStageChangedAt(s, last == null ? null : last.toInstant());
        jdbc.sql("""
                        INSERT INTO stage_reached (prospect_id, stage, first_entered_at)
                        SELECT :s, stage, first_entered_at FROM stage_reached WHERE prospect_id = :l ORDER BY stage
                        ON CONFLICT (prospect_id, stage)
                        DO UPDATE SET first_entered_at = least(stage_reached.first_entered_at, EXCLUDED.first_entered_at)""").param("s", s).param("l", l).update();
        jdbc.sql("DELETE FROM stage_reached WHERE prospect_id = :l")
                .param("l", l)
                .update();
        if (target != survivorStage) {
            moves.automated(List.of(s), target, CAUSE);
        }
    }

    /**
     * The furthest of two stages on the success path; when neither is on it, the later in the stage order
     * (DISQUALIFIED over RECYCLED). Symmetric, so the merge's stage does not depend on which prospect survives.
     */
    static LifecycleStage furthest(LifecycleStage first, LifecycleStage second) {
        if (first.isOnSuccessPath() != second.isOnSuccessPath()) {
            return first.isOnSuccessPath() ? first : second;
        }
        return second.ordinal() > first.ordinal() ? second : first;
    }

    private LifecycleStage stage(long id) {
        return LifecycleStage.valueOf(jdbc.sql("SELECT stage FROM prospect WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single());
    }
}
