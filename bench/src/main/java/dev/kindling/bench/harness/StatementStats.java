package dev.kindling.bench.harness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * A profile of the statements a run sent, from {@code pg_stat_statements} (the database started with
 * {@link BenchDatabase#startDurable(boolean) statement stats}): counts, rows and database time, which a shared
 * machine's load disturbs far less than wall-clock time. The intake batches of the run are counted by the statement
 * that marks a batch's activities processed (once per batch that processed any), and every figure is also given per
 * batch.
 */
public final class StatementStats {

    private StatementStats() {}

    /** Installs the extension if needed and forgets what was counted so far. */
    public static void reset(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            statement.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** The totals and the {@code top} statements by database time since the last {@link #reset}. */
    public static String report(Connection connection, int top) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement statement = connection.createStatement()) {
            long batches;
            try (ResultSet rs = statement.executeQuery("""
                    SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
                     WHERE query LIKE '%UPDATE activity a%SET processed_at%'""")) {
                // the intake's mark, one a batch (since V640 after the WITH that deletes the batch's queue rows)
                rs.next();
                batches = Math.max(1, rs.getLong(1));
            }
            try (ResultSet rs = statement.executeQuery("""
                    SELECT sum(calls), sum(total_exec_time), sum(rows), sum(total_plan_time),
                           sum(shared_blks_hit + shared_blks_read), sum(wal_bytes) FROM pg_stat_statements
                     WHERE query NOT LIKE '%pg_stat_statements%'""")) {
                rs.next();
                out.append(String.format(
                        Locale.ROOT,
                        "statements: %d intake batches; %,d calls (%.1f a batch), %,.0f ms database time (%.1f ms a"
                                + " batch), %,d rows, %,.0f ms planning, %,d buffers (%,.0f a batch), %,.1f MB WAL (%,.2f a batch)%n",
                        batches,
                        rs.getLong(1),
                        rs.getLong(1) / (double) batches,
                        rs.getDouble(2),
                        rs.getDouble(2) / batches,
                        rs.getLong(3),
                        rs.getDouble(4),
                        rs.getLong(5),
                        rs.getLong(5) / (double) batches,
                        rs.getDouble(6) / 1e6,
                        rs.getDouble(6) / 1e6 / batches));
            }
            out.append(String.format(
                    Locale.ROOT,
                    "%10s %8s %10s %10s %10s %8s  %s%n",
                    "calls",
                    "/batch",
                    "rows",
                    "total ms",
                    "mean ms",
                    "plan ms",
                    "statement"));
            try (ResultSet rs = statement.executeQuery("""
                    SELECT calls, rows, total_exec_time, mean_exec_time, total_plan_time,
                           shared_blks_hit + shared_blks_read, regexp_replace(query, '\\s+', ' ', 'g')
                      FROM pg_stat_statements
                     WHERE query NOT LIKE '%pg_stat_statements%'
                     ORDER BY total_exec_time DESC LIMIT\s""" + top)) {
                while (rs.next()) {
                    String query = rs.getString(7);
                    out.append(String.format(
                            Locale.ROOT,
                            "%10d %8.1f %10d %10.0f %10.2f %8.0f %10d  %s%n",
                            rs.getLong(1),
                            rs.getLong(1) / (double) batches,
                            rs.getLong(2),
                            rs.getDouble(3),
                            rs.getDouble(4),
                            rs.getDouble(5),
                            rs.getLong(6),
                            query.length() > 220 ? query.substring(0, 220) + "…" : query));
                }
            }
        }
        return out.toString();
    }
}
