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
            // the tables' row counters since now, to tell HOT updates from the others (pg_stat_reset would also reset
            // the counters autovacuum goes by, so a snapshot to subtract instead)
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench_stats");
            statement.execute("DROP TABLE IF EXISTS bench_stats.tables");
            statement.execute("""
                    CREATE TABLE bench_stats.tables AS
                    SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables""");
            statement.execute("DROP TABLE IF EXISTS bench_stats.indexes");
            statement.execute("""
                    CREATE TABLE bench_stats.indexes AS
                    SELECT indexrelid, idx_scan, idx_tup_read FROM pg_stat_user_indexes""");
        }
    }

    /**
     * {@code --statements N} (W1's, W5's and W10's): how many statements to profile, 0 for none (the default).
     *
     * @throws IllegalArgumentException for a negative or non-numeric value
     */
    public static int top(java.util.Map<String, String> options) {
        String given = options.getOrDefault("statements", "0");
        int top;
        try {
            top = Integer.parseInt(given);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--statements must be a whole number, not " + given, e);
        }
        if (top < 0) {
            throw new IllegalArgumentException("--statements must be 0 (none) or more, not " + given);
        }
        return top;
    }

    /**
     * The totals and the {@code top} statements by database time since the last {@link #reset}, per intake batch
     * (counted by the statement that marks a batch's activities processed).
     */
    public static String report(Connection connection, int top) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
                         WHERE query LIKE '%UPDATE activity a%SET processed_at%'""")) {
            // the intake's mark, one a batch (since V640 after the WITH that deletes the batch's queue rows)
            rs.next();
            return report(connection, top, "batch", Math.max(1, rs.getLong(1)), "intake batches");
        }
    }

    /**
     * As above, every figure also per {@code unit}, of which the run did {@code units} (W5: "1k transitions", the
     * burst's transitions / 1,000; the columns are headed by the unit's first word); {@code counted} says what was
     * counted in the first line.
     */
    public static String report(Connection connection, int top, String unit, double units, String counted)
            throws SQLException {
        StringBuilder out = new StringBuilder();
        double batches = Math.max(units, 1e-9);
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("""
                    SELECT sum(calls), sum(total_exec_time), sum(rows), sum(total_plan_time),
                           sum(shared_blks_hit + shared_blks_read), sum(wal_bytes) FROM pg_stat_statements
                     WHERE query NOT LIKE '%pg_stat_statements%'""")) {
                rs.next();
                out.append(String.format(
                        Locale.ROOT,
                        "statements: %,.0f %s; %,d calls (%.1f per %s), %,.0f ms database time (%.1f ms per %s), %,d rows,"
                                + " %,.0f ms planning, %,d buffers (%,.0f per %s), %,.1f MB WAL (%,.2f per %s)%n",
                        units,
                        counted,
                        rs.getLong(1),
                        rs.getLong(1) / batches,
                        unit,
                        rs.getDouble(2),
                        rs.getDouble(2) / batches,
                        unit,
                        rs.getLong(3),
                        rs.getDouble(4),
                        rs.getLong(5),
                        rs.getLong(5) / batches,
                        unit,
                        rs.getDouble(6) / 1e6,
                        rs.getDouble(6) / 1e6 / batches,
                        unit));
            }
            out.append(String.format(
                    Locale.ROOT,
                    "%10s %8s %10s %10s %10s %8s %10s %8s %7s  %s%n",
                    "calls",
                    "/" + unit.split(" ")[0],
                    "rows",
                    "total ms",
                    "mean ms",
                    "plan ms",
                    "buffers",
                    "WAL MB",
                    "FPI",
                    "statement"));
            try (ResultSet rs = statement.executeQuery("""
                    SELECT calls, rows, total_exec_time, mean_exec_time, total_plan_time,
                           shared_blks_hit + shared_blks_read, regexp_replace(query, '\\s+', ' ', 'g'),
                           wal_bytes, wal_fpi
                      FROM pg_stat_statements
                     WHERE query NOT LIKE '%pg_stat_statements%'
                     ORDER BY total_exec_time DESC LIMIT\s""" + top)) {
                while (rs.next()) {
                    String query = rs.getString(7);
                    out.append(String.format(
                            Locale.ROOT,
                            "%10d %8.1f %10d %10.0f %10.2f %8.0f %10d %8.1f %7d  %s%n",
                            rs.getLong(1),
                            rs.getLong(1) / batches,
                            rs.getLong(2),
                            rs.getDouble(3),
                            rs.getDouble(4),
                            rs.getDouble(5),
                            rs.getLong(6),
                            rs.getDouble(8) / 1e6,
                            rs.getLong(9),
                            query.length() > 220 ? query.substring(0, 220) + "…" : query));
                }
            }
            out.append(tables(statement, batches, unit));
            out.append(historyIndexes(statement));
        }
        return out.toString();
    }

    /**
     * The tables written most since the last {@link #reset} (the counters reach the statistics within a second or
     * so of each commit): rows inserted, updated — and of those, HOT updates, whose new version stayed on its page
     * and entered no index — and deleted.
     */
    private static String tables(Statement statement, double batches, String unit) throws SQLException {
        StringBuilder out = new StringBuilder();
        statement.execute("SELECT pg_stat_force_next_flush()");
        out.append(String.format(
                Locale.ROOT,
                "%-32s %10s %10s %10s %6s %10s %10s%n",
                "table",
                "inserted",
                "updated",
                "HOT",
                "HOT %",
                "deleted",
                "upd/" + unit.split(" ")[0]));
        try (ResultSet rs = statement.executeQuery("""
                SELECT t.relname, t.n_tup_ins - coalesce(b.n_tup_ins, 0), t.n_tup_upd - coalesce(b.n_tup_upd, 0),
                       t.n_tup_hot_upd - coalesce(b.n_tup_hot_upd, 0), t.n_tup_del - coalesce(b.n_tup_del, 0)
                  FROM pg_stat_user_tables t LEFT JOIN bench_stats.tables b ON b.relname = t.relname
                 WHERE t.schemaname <> 'bench_stats'
                 ORDER BY (t.n_tup_upd - coalesce(b.n_tup_upd, 0)) + (t.n_tup_ins - coalesce(b.n_tup_ins, 0)) DESC
                 LIMIT 15""")) {
            while (rs.next()) {
                long updated = rs.getLong(3);
                out.append(String.format(
                        Locale.ROOT,
                        "%-32s %10d %10d %10d %6.1f %10d %10.1f%n",
                        rs.getString(1),
                        rs.getLong(2),
                        updated,
                        rs.getLong(4),
                        updated == 0 ? 0.0 : 100.0 * rs.getLong(4) / updated,
                        rs.getLong(5),
                        updated / (double) batches));
            }
        }
        return out.toString();
    }

    /**
     * The indexes of the history and queue tables ({@code activity}, {@code activity_queue}, {@code activity_key},
     * {@code score_ledger}; a partitioned table's partitions counted under the parent's index) with the scans and the
     * entries read since the last {@link #reset}, and their size: which the run reads, and which it only writes.
     */
    private static String historyIndexes(Statement statement) throws SQLException {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-44s %10s %12s %10s%n", "index", "scans", "entries read", "MB"));
        try (ResultSet rs = statement.executeQuery("""
                SELECT coalesce(p.relname, i.indexrelname::name) AS name,
                       sum(i.idx_scan - coalesce(b.idx_scan, 0)), sum(i.idx_tup_read - coalesce(b.idx_tup_read, 0)),
                       sum(pg_relation_size(i.indexrelid)) / 1e6
                  FROM pg_stat_user_indexes i
                  LEFT JOIN bench_stats.indexes b ON b.indexrelid = i.indexrelid
                  LEFT JOIN pg_inherits h ON h.inhrelid = i.indexrelid
                  LEFT JOIN pg_class p ON p.oid = h.inhparent
                 WHERE i.relname ~ '^(activity|score_ledger)' AND i.schemaname <> 'bench_stats'
                 GROUP BY 1 ORDER BY 1""")) {
            while (rs.next()) {
                out.append(String.format(
                        Locale.ROOT,
                        "%-44s %10d %12d %10.1f%n",
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getDouble(4)));
            }
        }
        return out.toString();
    }
}
