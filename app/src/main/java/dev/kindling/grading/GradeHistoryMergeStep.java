package dev.kindling.grading;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge keeps the survivor's grade history and drops the loser's: the survivor's grade is the one that stands (it
 * is graded again from the merged fields, and a change is appended then), and the loser's past grades were another
 * record's.
 */
@Component
class GradeHistoryMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    GradeHistoryMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("grade_history.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("DELETE FROM grade_history WHERE prospect_id = :l")
                .param("l", pair.loserId())
                .update();
    }
}
