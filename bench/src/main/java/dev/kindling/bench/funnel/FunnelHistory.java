package dev.kindling.bench.funnel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Setup of W6: a lifecycle history for every prospect already copied, written the way the app writes it (one
 * {@code stage_transition} per move, {@code stage_reached} at the first entry, the current stage on the prospect),
 * set-based. Deterministic from the dataset: each prospect's fate and the gaps between its stages come from hashes
 * of its email. Funnel-like: everyone captured, ~30 % engaged 1–31 days later, ~8 % MQL 2–42 days after that, ~3 %
 * SQL 1–31 days later, ~1 % customer 10–70 days later; ~4 % engaged-only and ~2 % MQL-only prospects recycled 90
 * days after their last step. Moves that would fall after the period end are not made. Half the prospects get a
 * visitor first seen 0–10 days before capture, and there are half as many anonymous visitors spread over the period.
 */
final class FunnelHistory {

    private FunnelHistory() {}

    /** Writes the history; returns the number of stage transitions written after capture. */
    static long write(Connection connection, Instant periodStart, Instant periodEnd) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("""
                    CREATE TEMP TABLE bench_journey AS
                    WITH r AS (
                      SELECT id, email, captured_at,
                             (hashtext(email || ':fate') & 2147483647) % 10000 / 10000.0 AS u,
                             (hashtext(email || ':g1') & 2147483647) % 10000 / 10000.0 AS g1,
                             (hashtext(email || ':g2') & 2147483647) % 10000 / 10000.0 AS g2,
                             (hashtext(email || ':g3') & 2147483647) % 10000 / 10000.0 AS g3,
                             (hashtext(email || ':g4') & 2147483647) % 10000 / 10000.0 AS g4
                        FROM prospect),
                    t AS (
                      SELECT id, email, u, captured_at,
                             CASE WHEN u < 0.30 THEN captured_at + (1 + g1 * 30) * interval '1 day' END AS t_engaged,
                             CASE WHEN u < 0.08 THEN captured_at + (3 + g1 * 30 + g2 * 40) * interval '1 day' END AS t_mql,
                             CASE WHEN u < 0.03 THEN captured_at + (4 + g1 * 30 + g2 * 40 + g3 * 30) * interval '1 day'
                             END AS t_sql,
                             CASE WHEN u < 0.01
                                  THEN captured_at + (14 + g1 * 30 + g2 * 40 + g3 * 30 + g4 * 60) * interval '1 day'
                             END AS t_customer
                        FROM r)
                    SELECT id, email, u, captured_at, t_engaged, t_mql, t_sql, t_customer,
                           CASE WHEN u >= 0.08 AND u < 0.12 THEN t_engaged + interval '90 days'
                                WHEN u >= 0.03 AND u < 0.05 THEN t_mql + interval '90 days' END AS t_recycled
                      FROM t""");
        }
        try (PreparedStatement cut = connection.prepareStatement("""
                UPDATE bench_journey SET
                       t_engaged = CASE WHEN t_engaged < ? THEN t_engaged END,
                       t_mql = CASE WHEN t_mql < ? THEN t_mql END,
                       t_sql = CASE WHEN t_sql < ? THEN t_sql END,
                       t_customer = CASE WHEN t_customer < ? THEN t_customer END,
                       t_recycled = CASE WHEN t_recycled < ? THEN t_recycled END""")) {
            for (int i = 1; i <= 5; i++) {
                cut.setTimestamp(i, Timestamp.from(periodEnd));
            }
            cut.executeUpdate();
        }
        long moves;
        try (Statement s = connection.createStatement()) {
            moves = s.executeUpdate("""
                    INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                    SELECT id, from_stage, to_stage, at, 'bench' FROM (
                      SELECT id, 'CAPTURED' AS from_stage, 'ENGAGED' AS to_stage, t_engaged AS at FROM bench_journey
                      UNION ALL SELECT id, 'ENGAGED', 'MQL', t_mql FROM bench_journey
                      UNION ALL SELECT id, 'MQL', 'SQL', t_sql FROM bench_journey
                      UNION ALL SELECT id, 'SQL', 'CUSTOMER', t_customer FROM bench_journey
                      UNION ALL SELECT id, CASE WHEN t_mql IS NULL THEN 'ENGAGED' ELSE 'MQL' END, 'RECYCLED', t_recycled
                                  FROM bench_journey) m
                     WHERE at IS NOT NULL
                     ORDER BY id, at""");
            // the moves of months with no partition yet go to their months' partitions (migration V630)
            s.execute("SELECT history_split_default('stage_transition')");
            s.executeUpdate("""
                    INSERT INTO stage_reached (prospect_id, stage, first_entered_at)
                    SELECT prospect_id, to_stage, at FROM stage_transition WHERE cause = 'bench'
                    ON CONFLICT DO NOTHING""");
            s.executeUpdate("""
                    UPDATE prospect p SET stage = CASE WHEN j.t_recycled IS NOT NULL THEN 'RECYCLED'
                                                       WHEN j.t_customer IS NOT NULL THEN 'CUSTOMER'
                                                       WHEN j.t_sql IS NOT NULL THEN 'SQL'
                                                       WHEN j.t_mql IS NOT NULL THEN 'MQL'
                                                       ELSE 'ENGAGED' END
                      FROM bench_journey j
                     WHERE j.id = p.id AND j.t_engaged IS NOT NULL""");
            s.executeUpdate("""
                    INSERT INTO visitor (id, prospect_id, stage, first_seen_at, last_seen_at)
                    SELECT 'bench-' || id, id, 'CAPTURED',
                           captured_at - ((hashtext(email || ':v') & 2147483647) % 10000 / 1000.0) * interval '1 day',
                           captured_at
                      FROM bench_journey
                     WHERE (hashtext(email || ':visited') & 1) = 0""");
        }
        try (PreparedStatement anonymous = connection.prepareStatement("""
                INSERT INTO visitor (id, prospect_id, stage, first_seen_at, last_seen_at)
                SELECT 'bench-anonymous-' || i, NULL, 'ANONYMOUS', t, t
                  FROM (SELECT i, ?::timestamptz + (? ::timestamptz - ?::timestamptz) * ((i * 7919) % 10007) / 10007.0 AS t
                          FROM generate_series(1, (SELECT count(*) / 4 FROM prospect)) AS i) a""")) {
            anonymous.setTimestamp(1, Timestamp.from(periodStart));
            anonymous.setTimestamp(2, Timestamp.from(periodEnd));
            anonymous.setTimestamp(3, Timestamp.from(periodStart));
            anonymous.executeUpdate();
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE bench_journey");
            s.execute("ANALYZE");
        }
        return moves;
    }
}
