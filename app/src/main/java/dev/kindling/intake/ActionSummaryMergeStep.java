package dev.kindling.intake;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge folds the loser's action summary into the survivor's, as if the survivor had done both histories: per action
 * the earlier first time; then the survivor's bands over its activities, which now include the loser's (two histories
 * in one window can reach a band neither reached alone). After {@link IntakeMergeStep}, which moves the activities;
 * intake adds the loser's pending activities for the survivor when it processes them.
 */
@Component
@Order(1)
class ActionSummaryMergeStep implements MergeStep {

    private final JdbcClient jdbc;
    private final ActionSummary summary;

    ActionSummaryMergeStep(JdbcClient jdbc, ActionSummary summary) {
        this.jdbc = jdbc;
        this.summary = summary;
    }

    @Override
    public Set<String> columns() {
        return Set.of("prospect_action.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("""
                        WITH moved AS (
                            DELETE FROM prospect_action WHERE prospect_id = :l RETURNING type, value, at_least, first_at)
                        INSERT INTO prospect_action (prospect_id, type, value, at_least, first_at)
                        SELECT :s, type, value, at_least, first_at FROM moved
                        ON CONFLICT (prospect_id, type, value, at_least)
                           DO UPDATE SET first_at = least(prospect_action.first_at, excluded.first_at)""").param("s", pair.survivorId()).param("l", pair.loserId()).update();
        summary.refreshBands(pair.survivorId());
    }
}
