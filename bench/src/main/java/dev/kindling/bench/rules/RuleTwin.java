package dev.kindling.bench.rules;

import dev.kindling.dataset.Dataset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.postgresql.PGConnection;

/**
 * W3's SQL: the setup that gives every copied prospect its last activity and a score, the physics twin (one
 * hand-written set-based {@code UPDATE} of a copy of {@code prospect}), and the checks of the engine's result.
 *
 * <p>The twin writes into {@value #TABLE}, created {@code LIKE prospect} with its indexes and filled with the
 * prospects as they were before the rule ran, so it updates rows of the same width with the same indexes as the
 * engine does — but nothing else: no ledger entry, no match row, no claim row.
 */
final class RuleTwin {

    static final String TABLE = "w3_twin";

    /**
     * The setup's score: {@value #BASE_SCORE} plus {@value #POINTS_PER_ACTIVITY} per activity, at most
     * {@value #MAX_SCORE}; so a quiet prospect with at most 4 activities ends at the floor (0) after −100.
     */
    static final int BASE_SCORE = 50;

    static final int POINTS_PER_ACTIVITY = 10;
    static final int MAX_SCORE = 400;

    /** The timed statement: the rule's action with the model's floor, for every prospect meeting its condition. */
    static final String UPDATE = """
            UPDATE w3_twin
               SET score = greatest(?, score - 100)
             WHERE last_activity_at <= ?""";

    private RuleTwin() {}

    /**
     * Setup: from the dataset's activity stream (not loaded), each prospect's last activity and a score
     * ({@value #BASE_SCORE} + {@value #POINTS_PER_ACTIVITY} per activity, at most {@value #MAX_SCORE}), written in
     * one COPY and one UPDATE.
     * Returns how many prospects got a last activity.
     */
    static long summarise(Dataset dataset, long[] prospectIds, Connection connection) throws SQLException {
        int n = prospectIds.length;
        long[] last = new long[n];
        int[] count = new int[n];
        java.util.Arrays.fill(last, Long.MIN_VALUE);
        dataset.forEachActivity(a -> {
            int i = a.prospectIndex();
            count[i]++;
            last[i] = Math.max(last[i], a.occurredAt().toEpochMilli());
        });
        StringBuilder text = new StringBuilder(n * 48);
        long active = 0;
        for (int i = 0; i < n; i++) {
            if (count[i] > 0) {
                active++;
                text.append(prospectIds[i])
                        .append('\t')
                        .append(Instant.ofEpochMilli(last[i]))
                        .append('\t')
                        .append(score(count[i]))
                        .append('\n');
            }
        }
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TEMP TABLE w3_summary (id bigint, last_activity_at timestamptz, score integer)");
        }
        try {
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY w3_summary FROM STDIN",
                            new java.io.ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new SQLException("COPY of the prospect summary failed", e);
        }
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("""
                    UPDATE prospect p SET last_activity_at = w.last_activity_at, score = w.score
                      FROM w3_summary w WHERE w.id = p.id""");
            s.execute("DROP TABLE w3_summary");
            s.execute("ANALYZE prospect");
        }
        return active;
    }

    static int score(int activities) {
        return Math.min(MAX_SCORE, BASE_SCORE + POINTS_PER_ACTIVITY * activities);
    }

    /** Not timed: {@value #TABLE} as a copy of {@code prospect} now (columns, defaults, indexes), analysed. */
    static void prepare(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("CREATE TABLE " + TABLE + " (LIKE prospect INCLUDING DEFAULTS INCLUDING INDEXES)");
            s.execute("INSERT INTO " + TABLE + " SELECT * FROM prospect");
            s.execute("ANALYZE " + TABLE);
        }
    }

    /** The outcome of the timed statement. */
    record Run(Duration elapsed, long updated) {}

    /** Runs the twin's UPDATE in its own committed transaction (auto-commit) and times it. */
    static Run run(Connection connection, int floor, Instant bound) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            update.setInt(1, floor);
            update.setTimestamp(2, Timestamp.from(bound));
            long started = System.nanoTime();
            long updated = update.executeLargeUpdate();
            return new Run(Duration.ofNanos(System.nanoTime() - started), updated);
        }
    }

    static void drop(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    /** The floor of the scoring model in force. */
    static int floor(Connection connection) throws SQLException {
        return (int) count(connection, "SELECT floor FROM scoring_settings WHERE id = 1");
    }

    /** Prospects whose last activity is at or before {@code bound}: who the rule must match. */
    static long meeting(Connection connection, Instant bound) throws SQLException {
        try (PreparedStatement s =
                connection.prepareStatement("SELECT count(*) FROM prospect WHERE last_activity_at <= ?")) {
            s.setTimestamp(1, Timestamp.from(bound));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static long matchesRecorded(Connection connection, long ruleId) throws SQLException {
        return count(connection, "SELECT count(*) FROM automation_match WHERE rule_id = " + ruleId);
    }

    static long ledgerEntries(Connection connection, long ruleId) throws SQLException {
        return count(
                connection,
                "SELECT count(*) FROM score_ledger WHERE kind = 'AUTOMATION' AND reason = 'rule:" + ruleId + "'");
    }

    /** Prospects whose engine score differs from the twin's (run after the twin: must be 0). */
    static long disagreeing(Connection connection) throws SQLException {
        return count(
                connection,
                "SELECT count(*) FROM prospect p JOIN " + TABLE + " t ON t.id = p.id WHERE t.score <> p.score");
    }

    /** Matched prospects that were already below 100 before: the floor kept them at it instead of going negative. */
    static long atFloor(Connection connection, Instant bound, int floor) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT count(*) FROM prospect p WHERE p.score = ?" + " AND p.last_activity_at <= ?")) {
            s.setInt(1, floor);
            s.setTimestamp(2, Timestamp.from(bound));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static long count(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
