package dev.kindling.bench.funnel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The twin of W6: the same numbers as the app's report for Pardot's five steps (step counts, median and mean
 * days between consecutive steps, inventory by stage), written by hand for exactly this question — no segment
 * machinery. Two sources: {@link Source#JOURNEY} reads the per-prospect stage times of {@code stage_journey}, as the
 * app does (the fair twin); {@link Source#BASE} is the earlier twin over the base tables, pivoting the three stages
 * it needs from {@code stage_reached} with {@code prospect.captured_at} as the capture, timed for context.
 */
final class FunnelTwin {

    private FunnelTwin() {}

    /** The five step counts, then for each of the four pairs: prospects, median, mean; inventory rows follow. */
    record Figures(List<Long> counts, List<Double> medians, List<Double> means) {}

    /** Where the per-prospect stage times come from. */
    enum Source {
        JOURNEY,
        BASE
    }

    private static final String STORED = """
            j AS (
              SELECT prospect_id AS id, t_visit, t_captured, t_mql, t_sql, t_customer
                FROM stage_journey
               WHERE %s)
            """;

    private static final String JOURNEY = """
            j AS (
              SELECT p.id, p.captured_at AS t_captured,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'MQL') AS t_mql,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'SQL') AS t_sql,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'CUSTOMER') AS t_customer
                FROM prospect p
                LEFT JOIN stage_reached r ON r.prospect_id = p.id AND r.stage IN ('MQL', 'SQL', 'CUSTOMER')
               WHERE %s
               GROUP BY p.id, p.captured_at),
            v AS (
              SELECT vi.prospect_id, min(vi.first_seen_at) AS t_visit
                FROM visitor vi JOIN j ON j.id = vi.prospect_id
               WHERE NOT vi.bot GROUP BY vi.prospect_id)
            """;

    static Figures run(Connection connection, Source source, boolean cohort, Instant start, Instant end)
            throws SQLException {
        String p = source == Source.BASE ? "p." : "";
        String subjects = cohort
                ? p + "captured_at >= :s AND " + p + "captured_at < :e"
                : "(" + p + "captured_at >= :s AND " + p + "captured_at < :e) OR "
                        + (source == Source.BASE ? "p.id" : "prospect_id")
                        + " IN (SELECT prospect_id FROM stage_reached"
                        + " WHERE first_entered_at >= :s AND first_entered_at < :e)";
        String[] t = {"t_visit", "t_captured", "t_mql", "t_sql", "t_customer"};
        StringBuilder select = new StringBuilder(
                "(SELECT count(*) FROM visitor WHERE NOT bot AND first_seen_at >= :s AND first_seen_at < :e)");
        for (int i = 1; i < t.length; i++) {
            select.append(
                    cohort
                            ? ", count(" + t[i] + ")"
                            : ", count(*) FILTER (WHERE " + t[i] + " >= :s AND " + t[i] + " < :e)");
        }
        for (int i = 1; i < t.length; i++) {
            String both = t[i - 1] + " <= " + t[i] + (cohort ? "" : " AND " + t[i] + " >= :s AND " + t[i] + " < :e");
            String days = "extract(epoch FROM " + t[i] + " - " + t[i - 1] + ") / 86400.0";
            select.append(", percentile_cont(0.5) WITHIN GROUP (ORDER BY ")
                    .append(days)
                    .append(") FILTER (WHERE ")
                    .append(both)
                    .append("), avg(")
                    .append(days)
                    .append(") FILTER (WHERE ")
                    .append(both)
                    .append(")");
        }
        String sql = "WITH " + (source == Source.BASE ? JOURNEY : STORED).formatted(subjects) + " SELECT " + select
                + (source == Source.BASE ? " FROM j LEFT JOIN v ON v.prospect_id = j.id" : " FROM j");
        List<Long> counts = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(positional(sql, start, end));
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            for (int i = 1; i <= 5; i++) {
                counts.add(rs.getLong(i));
            }
            for (int i = 0; i < 4; i++) {
                medians.add(nullable(rs, 6 + 2 * i));
                means.add(nullable(rs, 7 + 2 * i));
            }
        }
        try (PreparedStatement statement =
                        connection.prepareStatement("SELECT stage, count(*) FROM prospect GROUP BY stage");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rs.getLong(2);
            }
        }
        return new Figures(counts, medians, means);
    }

    private static Double nullable(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : Math.round(v * 100) / 100.0;
    }

    /** The query with its period inlined as literals (fixed instants, not input), so it is plain SQL to read. */
    private static String positional(String sql, Instant start, Instant end) {
        return sql.replace(":s", "'" + Timestamp.from(start).toInstant() + "'::timestamptz")
                .replace(":e", "'" + Timestamp.from(end).toInstant() + "'::timestamptz");
    }
}
