package dev.kindling.grading;

import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.grading.Thresholds;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the one-row {@code lifecycle_thresholds} table (MQL score and grade, flame thresholds).
 * Grading created the table; the lifecycle capability owns and edits it.
 */
@Component
public class LifecycleThresholds {

    private final JdbcClient jdbc;

    LifecycleThresholds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Thresholds current() {
        return jdbc.sql("SELECT mql_score, mql_grade, one_flame, two_flames, three_flames FROM lifecycle_thresholds")
                .query((rs, n) -> new Thresholds(
                        rs.getInt(1),
                        Grade.parse(rs.getString(2)).orElse(Grade.C),
                        rs.getInt(3),
                        rs.getInt(4),
                        rs.getInt(5)))
                .optional()
                .orElse(Thresholds.DEFAULTS);
    }
}
