package dev.kindling.bench.nurture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * W5's setup, twin and checks in SQL. Every prospect gets one enrollment standing at the program's first WAIT
 * ({@value #FIRST_WAIT}); every {@value #BURST_EVERY}th (by prospect id) is the burst, parked far in the future until
 * {@link #release} makes the whole burst due at one instant in one statement. The others are due over the next 30
 * days, so the sweep's index holds them but never returns them. The twin moves the same rows of a copy of the table
 * as the sweep would, in batches of the sweep's size: one {@code SELECT … FOR UPDATE SKIP LOCKED} + {@code UPDATE}
 * per batch, each its own committed transaction — no facts, no step records, no action.
 */
final class NurtureTwin {

    static final String TABLE = "w5_twin";
    static final String FIRST_WAIT = "wait-1";
    static final String ACTION = "points";
    static final String SECOND_WAIT = "wait-2";
    static final int BURST_EVERY = 10;
    /**
     * The twin's batch: the sweep's batch when W5 was written (the sweep now defaults to 2,000 rows and two workers);
     * kept at 500 so the twin, and so the ratios, stay comparable between runs.
     */
    static final int BATCH = 500;

    /** The program the workload creates through the API: WAIT 1 day → +1 score → WAIT 1 day → END. */
    static final String PROGRAM = """
            {"name": "W5 nurture", "start": "wait-1", "recipientListIds": [],
             "steps": [
               {"id": "wait-1", "type": "WAIT", "days": 1, "next": "points"},
               {"id": "points", "type": "ACTION", "action": {"type": "adjustScore", "points": 1}, "next": "wait-2"},
               {"id": "wait-2", "type": "WAIT", "days": 1, "next": "end"},
               {"id": "end", "type": "END"}]}""";

    private NurtureTwin() {}

    /** Where the burst waits until released: far enough that no sweep finds it. */
    static Instant parked(Instant now) {
        return now.plus(Duration.ofDays(400)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /**
     * Enrolls every prospect in {@code program} at its first WAIT, set-based (one INSERT … SELECT); returns the
     * number of enrollments. The burst (every {@value #BURST_EVERY}th prospect by id) is due at {@code parked}.
     */
    static long enroll(Connection connection, long program, int version, Instant now, Instant parked)
            throws SQLException {
        return atFirstWait(
                connection,
                program,
                version,
                now,
                "CASE WHEN p.n % ? = 0 THEN CAST(? AS timestamptz)"
                        + " ELSE CAST(? AS timestamptz) + (p.n % 29 + 1) * interval '1 day' END",
                "SELECT id, row_number() OVER (ORDER BY id) AS n FROM prospect",
                BURST_EVERY,
                Timestamp.from(parked),
                Timestamp.from(now));
    }

    /**
     * Enrolls the first {@code count} prospects by id in {@code program} at its first WAIT, due at {@code due} (the
     * warm-up); returns the number of enrollments.
     */
    static long enrollDue(Connection connection, long program, int version, Instant due, int count)
            throws SQLException {
        return atFirstWait(
                connection,
                program,
                version,
                due,
                "CAST(? AS timestamptz)",
                "SELECT id FROM prospect ORDER BY id LIMIT " + count,
                Timestamp.from(due));
    }

    /**
     * One INSERT … SELECT of enrollments at the first WAIT, entered two days before {@code now}, for the prospects
     * {@code prospects} selects, each due at {@code dueAt} (SQL over {@code p}, its parameters {@code dueArgs}).
     */
    private static long atFirstWait(
            Connection connection,
            long program,
            int version,
            Instant now,
            String dueAt,
            String prospects,
            Object... dueArgs)
            throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "INSERT INTO program_enrollment (program_id, version, prospect_id, status, step_id, entered_at, due_at,"
                        + " visits, enrolled_at) SELECT ?, ?, p.id, 'ACTIVE', ?, ?, " + dueAt
                        + ", CAST(? AS jsonb), ? FROM (" + prospects + ") p ORDER BY p.id")) {
            Timestamp entered = Timestamp.from(now.minus(Duration.ofDays(2)));
            int i = 0;
            s.setLong(++i, program);
            s.setInt(++i, version);
            s.setString(++i, FIRST_WAIT);
            s.setTimestamp(++i, entered);
            for (Object arg : dueArgs) {
                s.setObject(++i, arg);
            }
            s.setString(++i, "{\"" + FIRST_WAIT + "\": 1}");
            s.setTimestamp(++i, entered);
            return s.executeUpdate();
        }
    }

    /** A copy of the program's enrollments with the same columns, defaults and (partial) indexes, for the twin. */
    static void prepare(Connection connection, long program) throws SQLException {
        execute(connection, "DROP TABLE IF EXISTS " + TABLE);
        execute(
                connection,
                "CREATE TABLE " + TABLE + " (LIKE program_enrollment INCLUDING DEFAULTS INCLUDING INDEXES)");
        execute(connection, "INSERT INTO " + TABLE + " SELECT * FROM program_enrollment WHERE program_id = " + program);
        execute(connection, "ANALYZE " + TABLE);
    }

    static void drop(Connection connection) throws SQLException {
        execute(connection, "DROP TABLE IF EXISTS " + TABLE);
    }

    /** Makes the parked burst due at {@code due} in one committed statement; returns how many rows it released. */
    static long release(Connection connection, String table, Instant parked, Instant due) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "UPDATE " + table + " SET due_at = ? WHERE status = 'ACTIVE' AND due_at = ?")) {
            s.setTimestamp(1, Timestamp.from(due));
            s.setTimestamp(2, Timestamp.from(parked));
            return s.executeUpdate();
        }
    }

    /** Active enrollments of {@code table} due at or before {@code due}: the burst still to drain. */
    static long remaining(Connection connection, String table, Instant due) throws SQLException {
        return ofDue(connection, "SELECT count(*) FROM " + table + " WHERE " + DUE, due);
    }

    /** Whether any row of {@code table} is still active and due at {@code due} (the poll's cheap question). */
    static boolean anyRemaining(Connection connection, String table, Instant due) throws SQLException {
        return ofDue(connection, "SELECT CAST(EXISTS (SELECT 1 FROM " + table + " WHERE " + DUE + ") AS int)", due) > 0;
    }

    private static final String DUE = "status = 'ACTIVE' AND due_at <= ?";

    private static long ofDue(Connection connection, String sql, Instant due) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(due));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** What the twin did. */
    record Run(long moved, int batches, Duration elapsed) {}

    /**
     * The twin, timed: batches of {@value #BATCH} due rows, oldest first, locked and moved past the ACTION to the
     * second WAIT (step, entered, due a day later, visits), each batch its own transaction, until a batch is short.
     */
    static Run run(Connection connection, Instant now) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        long moved = 0;
        int batches = 0;
        long started = System.nanoTime();
        try (PreparedStatement s = connection.prepareStatement("WITH due AS (SELECT id FROM " + TABLE
                + " WHERE status = 'ACTIVE' AND due_at <= ? ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " UPDATE " + TABLE + " t SET step_id = ?, entered_at = ?, due_at = ?,"
                + " visits = t.visits || CAST(? AS jsonb) FROM due WHERE t.id = due.id")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setInt(2, BATCH);
            s.setString(3, SECOND_WAIT);
            s.setTimestamp(4, Timestamp.from(now));
            s.setTimestamp(5, Timestamp.from(now.plus(Duration.ofDays(1))));
            s.setString(6, "{\"" + ACTION + "\": 1, \"" + SECOND_WAIT + "\": 1}");
            int n;
            do {
                n = s.executeUpdate();
                moved += n;
                batches++;
            } while (n == BATCH);
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return new Run(moved, batches, Duration.ofNanos(System.nanoTime() - started));
    }

    /** {@code program}'s enrollments in {@code table} at the second WAIT, active and due after {@code after}. */
    static long atSecondWait(Connection connection, String table, long program, Instant after) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT count(*) FROM " + table
                        + " WHERE program_id = ? AND status = 'ACTIVE' AND step_id = ? AND due_at > ? AND visits ->> ? = '1'")) {
            s.setLong(1, program);
            s.setString(2, SECOND_WAIT);
            s.setTimestamp(3, Timestamp.from(after));
            s.setString(4, ACTION);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Executed steps the app recorded for {@code program}, per step id: {wait-1, points}. */
    static long[] stepRuns(Connection connection, long program) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FILTER (WHERE step_id = ?),"
                + " count(*) FILTER (WHERE step_id = ?) FROM program_step_run WHERE program_id = ?")) {
            s.setString(1, FIRST_WAIT);
            s.setString(2, ACTION);
            s.setLong(3, program);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new long[] {r.getLong(1), r.getLong(2)};
            }
        }
    }

    static long scalar(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
