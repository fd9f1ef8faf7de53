package dev.kindling.reports;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge drops the loser's stored journey and recomputes the survivor's from the merged stage history and visitors
 * (after lifecycle and intake have moved them), so the lifecycle report counts the person once.
 */
@Component
@Order(30)
class JourneyMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    JourneyMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("stage_journey.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("DELETE FROM stage_journey WHERE prospect_id = :l")
                .param("l", pair.loserId())
                .update();
        jdbc.sql("SELECT stage_journey_refresh(ARRAY[CAST(:s AS bigint)])")
                .param("s", pair.survivorId())
                .query((rs, n) -> 0)
                .list();
    }
}
