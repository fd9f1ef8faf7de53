package dev.kindling.grading;

import dev.kindling.engine.grading.Quadrant;
import dev.kindling.engine.grading.Thresholds;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The fit × interest quadrant counts over every prospect, in one grouped query using the
 * migration's {@code prospect_quadrant()} (the SQL twin of the engine's rule).
 */
@Component
@RestController
class QuadrantReport {

    /** Counts per quadrant (every quadrant present, 0 when empty) and the thresholds that drew the lines. */
    record Counts(Map<String, Long> counts, long total, int mqlScore, String mqlGrade) {}

    private final JdbcClient jdbc;
    private final LifecycleThresholds thresholds;

    QuadrantReport(JdbcClient jdbc, LifecycleThresholds thresholds) {
        this.jdbc = jdbc;
        this.thresholds = thresholds;
    }

    @GetMapping(path = "/api/v1/reports/quadrant", produces = "application/json")
    Counts counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Quadrant q : Quadrant.values()) {
            counts.put(q.name(), 0L);
        }
        jdbc.sql("SELECT prospect_quadrant(score, grade), count(*) FROM prospect GROUP BY 1")
                .query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2)))
                .list();
        Thresholds t = thresholds.current();
        return new Counts(
                counts,
                counts.values().stream().mapToLong(Long::longValue).sum(),
                t.mqlScore(),
                t.mqlGrade().display());
    }
}
