package dev.kindling.bench.attribution;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The hand-written SQL twin of W7: W-shaped credit per campaign (null: no touch) for opportunities created in
 * {@code [start, end)}, touches before the creation within 365 days — the app's definition (docs/attribution.md) in
 * one statement with window functions, without the app's cent rounding.
 */
final class AttributionTwin {

    private AttributionTwin() {}

    static final String SQL = """
            WITH o AS (
                SELECT o.id, o.amount, o.created_at AS milestone,
                       (SELECT min(p.captured_at) FROM opportunity_contact_role cr JOIN prospect p ON p.id = cr.prospect_id
                         WHERE cr.opportunity_id = o.id) AS lead_at
                  FROM opportunity o WHERE o.created_at >= ? AND o.created_at < ?),
            t AS (
                SELECT DISTINCT o.id AS opp, x.campaign_id, x.at, x.prospect_id
                  FROM o JOIN opportunity_contact_role cr ON cr.opportunity_id = o.id
                  CROSS JOIN LATERAL (
                      SELECT a.campaign_id, a.occurred_at AS at, a.prospect_id FROM activity a
                       WHERE a.prospect_id = cr.prospect_id AND a.campaign_id IS NOT NULL AND NOT a.bot
                         AND a.occurred_at < o.milestone AND a.occurred_at >= o.milestone - interval '365 days'
                      UNION ALL
                      SELECT p.campaign_id, p.captured_at, p.id FROM prospect p
                       WHERE p.id = cr.prospect_id AND p.campaign_id IS NOT NULL
                         AND p.captured_at < o.milestone AND p.captured_at >= o.milestone - interval '365 days') x),
            r AS (
                SELECT t.*, row_number() OVER (PARTITION BY opp ORDER BY at, campaign_id, prospect_id) AS rn,
                       count(*) OVER (PARTITION BY opp) AS n
                  FROM t),
            k AS (
                SELECT r.opp, r.n, coalesce(max(r.rn) FILTER (WHERE r.at <= o.lead_at), 1) AS lead
                  FROM r JOIN o ON o.id = r.opp GROUP BY r.opp, r.n),
            w AS (
                SELECT r.opp, r.campaign_id,
                       (CASE WHEN r.rn = 1 THEN 30 ELSE 0 END + CASE WHEN r.rn = k.lead THEN 30 ELSE 0 END
                        + CASE WHEN r.rn = k.n THEN 30 ELSE 0 END) AS key_weight,
                       k.n - (SELECT count(DISTINCT x) FROM unnest(ARRAY[1, k.lead, k.n]) x) AS others
                  FROM r JOIN k ON k.opp = r.opp)
            SELECT w.campaign_id,
                   sum(o.amount * CASE WHEN w.others = 0 THEN w.key_weight / 90.0
                                       WHEN w.key_weight > 0 THEN w.key_weight / 100.0
                                       ELSE 0.10 / w.others END) AS credit
              FROM w JOIN o ON o.id = w.opp GROUP BY w.campaign_id
            UNION ALL
            SELECT NULL, sum(o.amount) FROM o WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.opp = o.id)""";

    /** Credit per campaign (null key: no touch), rounded to the cent. */
    static Map<Long, BigDecimal> run(Connection connection, Instant start, Instant end) throws SQLException {
        Map<Long, BigDecimal> credits = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement(SQL)) {
            s.setTimestamp(1, Timestamp.from(start));
            s.setTimestamp(2, Timestamp.from(end));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    BigDecimal credit = rs.getBigDecimal(2);
                    if (credit != null) {
                        credits.put(rs.getObject(1, Long.class), credit.setScale(2, java.math.RoundingMode.HALF_UP));
                    }
                }
            }
        }
        return credits;
    }
}
