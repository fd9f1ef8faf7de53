package dev.kindling.intake;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge folds the loser's action summary into the survivor's, as if the survivor had done both histories: per
 * action the earlier first time, per type and day the activities added. (Intake processes the loser's pending
 * activities for the survivor, adding them then.)
 */
@Component
class ActionSummaryMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    ActionSummaryMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("prospect_action.prospect_id", "prospect_action_day.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("""
                        WITH moved AS (DELETE FROM prospect_action WHERE prospect_id = :l RETURNING type, value, first_at)
                        INSERT INTO prospect_action (prospect_id, type, value, first_at)
                        SELECT :s, type, value, first_at FROM moved
                        ON CONFLICT (prospect_id, type, value)
                           DO UPDATE SET first_at = least(prospect_action.first_at, excluded.first_at)""").param("s", pair.survivorId()).param("l", pair.loserId()).update();
        jdbc.sql("""
                        WITH moved AS (DELETE FROM prospect_action_day WHERE prospect_id = :l RETURNING type, day, activities)
                        INSERT INTO prospect_action_day (prospect_id, type, day, activities)
                        SELECT :s, type, day, activities FROM moved
                        ON CONFLICT (prospect_id, type, day)
                           DO UPDATE SET activities = prospect_action_day.activities + excluded.activities""").param("s", pair.survivorId()).param("l", pair.loserId()).update();
    }
}
