package dev.kindling.grading;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Points each prospect gained from activities since an instant, read from the score ledger (for flames). */
@Component
class RecentPoints {

    private final JdbcClient jdbc;

    RecentPoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<Long, Long> since(Collection<Long> prospectIds, Instant since) {
        Map<Long, Long> points = new HashMap<>();
        if (prospectIds.isEmpty()) {
            return points;
        }
        jdbc.sql("""
                        SELECT prospect_id, sum(delta) FROM score_ledger
                         WHERE prospect_id = ANY(:ids) AND at > :since AND kind = 'ACTIVITY'
                         GROUP BY prospect_id""")
                .param("ids", prospectIds.toArray(Long[]::new))
                .param("since", Timestamp.from(since))
                .query((rs, n) -> points.put(rs.getLong(1), rs.getLong(2)))
                .list();
        return points;
    }
}
