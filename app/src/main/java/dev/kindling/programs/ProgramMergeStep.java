package dev.kindling.programs;

import dev.kindling.prospects.MergeStep;
import java.sql.Timestamp;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge moves the loser's enrollments (with their step runs) to the survivor. A prospect is in a program at most
 * once at a time: when both are in the same program, the one further along (more steps entered; then the earlier
 * enrolled) goes on and the other exits with reason {@code merged}. Finished enrollments move as they are.
 */
@Component
class ProgramMergeStep implements MergeStep {

    static final String REASON = "merged";

    private final JdbcClient jdbc;

    ProgramMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("program_enrollment.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("""
                        WITH open AS (
                            SELECT e.id, e.program_id, e.enrolled_at,
                                   (SELECT count(*) FROM program_step_entry x WHERE x.enrollment_id = e.id)
                                   + (SELECT count(*) FROM program_step_run r
                                       WHERE r.key = ANY(program_step_keys(e.id, e.version, e.visits)) AND r.entered)
                                   AS steps
                              FROM program_enrollment e
                             WHERE e.prospect_id IN (:s, :l) AND e.status IN ('ACTIVE', 'PAUSED')
                             ORDER BY e.id
                               FOR UPDATE),
                        ranked AS (
                            SELECT id, row_number() OVER (PARTITION BY program_id ORDER BY steps DESC, enrolled_at, id) AS n
                              FROM open)
                        UPDATE program_enrollment e
                           SET status = 'EXITED', due_at = NULL, finished_at = :at, reason = :reason
                          FROM ranked r
                         WHERE e.id = r.id AND r.n > 1""")
                .param("s", pair.survivorId())
                .param("l", pair.loserId())
                .param("at", Timestamp.from(pair.at()))
                .param("reason", REASON)
                .update();
        MergeStep.repoint(jdbc, pair, columns());
    }
}
