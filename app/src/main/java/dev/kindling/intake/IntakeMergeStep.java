package dev.kindling.intake;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge moves the loser's activities (processed and queued: intake processes the queued ones for the survivor, and
 * their queue rows name it) and visitors to the survivor. First of the steps: scoring replays the merged activities.
 */
@Component
@Order(0)
class IntakeMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    IntakeMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("activity.prospect_id", "activity_queue.prospect_id", "visitor.prospect_id");
    }

    /**
     * Intake claims activities (their queue rows) before it locks their prospect and marks the activities; the merge
     * takes the same order: the loser's queue rows, then its activities.
     */
    @Override
    public void lock(Pair pair) {
        jdbc.sql("SELECT activity_id FROM activity_queue WHERE prospect_id = :l ORDER BY activity_id FOR UPDATE")
                .param("l", pair.loserId())
                .query(Long.class)
                .list();
        jdbc.sql("SELECT id FROM activity WHERE prospect_id = :l ORDER BY id FOR UPDATE")
                .param("l", pair.loserId())
                .query(Long.class)
                .list();
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("UPDATE activity SET prospect_id = :s WHERE prospect_id = :l")
                .param("s", pair.survivorId())
                .param("l", pair.loserId())
                .update();
        jdbc.sql("UPDATE activity_queue SET prospect_id = :s WHERE prospect_id = :l")
                .param("s", pair.survivorId())
                .param("l", pair.loserId())
                .update();
        jdbc.sql("UPDATE visitor SET prospect_id = :s WHERE prospect_id = :l")
                .param("s", pair.survivorId())
                .param("l", pair.loserId())
                .update();
    }
}
