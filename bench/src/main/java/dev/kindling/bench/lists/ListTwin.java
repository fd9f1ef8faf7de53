package dev.kindling.bench.lists;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The physics twin of W4's full rebuild: one hand-written {@code INSERT … SELECT} of the members of "industry in
 * (…), employees ≥ k, clicked an email within D days" into {@value #TABLE}, an empty table created {@code LIKE
 * list_member} with its indexes. It writes no history rows and computes no next-check times.
 */
final class ListTwin {

    static final String TABLE = "w4_twin";

    /** The list's condition as the twin reads it, and as the workload writes it in the API's JSON. */
    record Criteria(List<String> industries, int minEmployees, int clickedWithinDays) {

        String json() {
            StringBuilder values = new StringBuilder();
            for (String industry : industries) {
                values.append(values.isEmpty() ? "" : ", ")
                        .append('"')
                        .append(industry)
                        .append('"');
            }
            return String.format(Locale.ROOT, """
                    {"all": [{"field": "industry", "op": "in", "value": [%s]},
                             {"field": "employees", "op": "gte", "value": %d},
                             {"activity": {"type": "EMAIL_CLICK", "withinDays": %d}}]}""", values, minEmployees, clickedWithinDays);
        }
    }

    /** The timed statement. Industries compare ignoring case, and bot activities never count, as in the engine. */
    static final String INSERT = """
            INSERT INTO w4_twin (list_id, prospect_id, since)
            SELECT ?, p.id, now()
              FROM prospect p
             WHERE lower(p.industry) = ANY (?)
               AND p.employees >= ?
               AND EXISTS (SELECT 1 FROM activity a
                            WHERE a.prospect_id = p.id AND a.type = 'EMAIL_CLICK'
                              AND a.occurred_at > ? AND NOT a.bot)""";

    private ListTwin() {}

    /** Not timed: an empty {@value #TABLE} shaped like {@code list_member}. */
    static void prepare(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("CREATE TABLE " + TABLE + " (LIKE list_member INCLUDING DEFAULTS INCLUDING INDEXES)");
        }
    }

    /** The outcome of the timed statement. */
    record Run(Duration elapsed, long inserted) {}

    /** Fills {@value #TABLE} with the list's members, in its own committed transaction (auto-commit), timed. */
    static Run run(Connection connection, long listId, Criteria criteria, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            Array industries = connection.createArrayOf(
                    "text",
                    criteria.industries().stream()
                            .map(i -> i.toLowerCase(Locale.ROOT))
                            .toArray());
            insert.setLong(1, listId);
            insert.setArray(2, industries);
            insert.setInt(3, criteria.minEmployees());
            insert.setTimestamp(4, Timestamp.from(now.minus(Duration.ofDays(criteria.clickedWithinDays()))));
            long started = System.nanoTime();
            long inserted = insert.executeLargeUpdate();
            return new Run(Duration.ofNanos(System.nanoTime() - started), inserted);
        }
    }

    /** Prospects in exactly one of the list's members and the twin's rows: 0 when both agree. */
    static long differences(Connection connection, long listId) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT count(*) FROM (SELECT prospect_id FROM list_member WHERE list_id = ?) m
                  FULL JOIN (SELECT prospect_id FROM w4_twin WHERE list_id = ?) t USING (prospect_id)
                 WHERE m.prospect_id IS NULL OR t.prospect_id IS NULL""")) {
            s.setLong(1, listId);
            s.setLong(2, listId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static void drop(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }
}
