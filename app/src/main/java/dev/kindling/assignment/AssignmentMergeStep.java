package dev.kindling.assignment;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A merge moves the loser's assignment history to the survivor (the owner itself is a prospect field). */
@Component
class AssignmentMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    AssignmentMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("assignment.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        MergeStep.repoint(jdbc, pair, columns());
    }
}
