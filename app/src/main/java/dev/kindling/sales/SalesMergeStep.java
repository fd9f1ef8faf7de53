package dev.kindling.sales;

import dev.kindling.prospects.MergeStep;
import java.sql.Timestamp;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge moves the loser's hand-offs (with their SLA clocks), sales attempts and tasks to the survivor. A prospect
 * has at most one open hand-off: when both have one, the one assigned first stays open (its clock has run longest, the
 * person has waited since) and the other closes as {@code REASSIGNED}.
 */
@Component
class SalesMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    SalesMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("sales_handoff.prospect_id", "sales_attempt.prospect_id", "sales_task.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("""
                        UPDATE sales_handoff h
                           SET open = false, outcome = 'REASSIGNED', outcome_at = :at, sla_check_at = NULL
                         WHERE h.id = (SELECT id FROM sales_handoff
                                        WHERE prospect_id IN (:s, :l) AND open
                                        ORDER BY assigned_at DESC, id DESC
                                        OFFSET 0 LIMIT 1)
                           AND (SELECT count(*) FROM sales_handoff WHERE prospect_id IN (:s, :l) AND open) = 2""")
                .param("s", pair.survivorId())
                .param("l", pair.loserId())
                .param("at", Timestamp.from(pair.at()))
                .update();
        MergeStep.repoint(jdbc, pair, columns());
    }
}
