package dev.kindling.grading;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Points each prospect gained from activities since an instant, read from scoring's
 * {@code score_ledger} (entries of kind ACTIVITY: {@code prospect_id, at, kind, delta}). Until
 * that table exists every prospect has gained nothing, so flames stay at 0. Whether it exists is
 * checked once: the schema only changes by migrations, before the app serves anything.
 */
@Component
class RecentPoints {

    private final JdbcClient jdbc;
    private volatile Boolean ledgerExists;

    RecentPoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<Long, Long> since(Collection<Long> prospectIds, Instant since) {
        Map<Long, Long> points = new HashMap<>();
        if (prospectIds.isEmpty() || !ledgerExists()) {
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

    private boolean ledgerExists() {
        Boolean exists = ledgerExists;
        if (exists == null) {
            exists = jdbc.sql("""
                            SELECT count(*) = 4 FROM information_schema.columns
                             WHERE table_schema = current_schema() AND table_name = 'score_ledger'
                               AND column_name IN ('prospect_id', 'at', 'kind', 'delta')""")
                    .query(Boolean.class).single();
            ledgerExists = exists;
        }
        return exists;
    }
}
