package dev.kindling.bench.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Whether every activity of a run (its external-id prefix) was stored once and processed once, read from the
 * database after the run: W1's check after {@code --kill-one-at}, and ClusterIT's criterion at the benchmark's size.
 *
 * <ul>
 *   <li><b>stored</b>: rows with the prefix. {@code activity.external_id} is unique, so as many rows as activities
 *       sent means none lost and none stored twice (a batch sent again after the kill answers as duplicates);
 *   <li><b>processed</b>: of those, rows marked processed;
 *   <li><b>scored twice</b>: (activity, scoring rule) pairs with more than one {@code ACTIVITY} entry in the score
 *       ledger. The intake writes one per rule that gives an activity points, in the transaction that marks the
 *       activity processed: a batch processed by two instances, or again after a half-done attempt, shows here.
 * </ul>
 */
record ExactlyOnce(long expected, long stored, long processed, long scored, long scoredTwice) {

    static ExactlyOnce check(Connection connection, String prefix, long expected) throws SQLException {
        long stored = count(connection, "SELECT count(*) FROM activity WHERE external_id LIKE ?", prefix);
        long processed = count(connection, W1Ingest.PROCESSED, prefix);
        long scored = count(connection, """
                SELECT count(DISTINCT l.activity_id)
                  FROM score_ledger l JOIN activity a ON a.id = l.activity_id
                 WHERE a.external_id LIKE ? AND l.kind = 'ACTIVITY'""", prefix);
        long scoredTwice = count(connection, """
                SELECT count(*) FROM (
                    SELECT l.activity_id, l.rule_id
                      FROM score_ledger l JOIN activity a ON a.id = l.activity_id
                     WHERE a.external_id LIKE ? AND l.kind = 'ACTIVITY'
                     GROUP BY l.activity_id, l.rule_id
                    HAVING count(*) > 1) twice""", prefix);
        return new ExactlyOnce(expected, stored, processed, scored, scoredTwice);
    }

    boolean holds() {
        return stored == expected && processed == expected && scoredTwice == 0;
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "%s (%,d sent, %,d stored, %,d processed, %,d scored, %,d scored twice)",
                holds() ? "yes" : "NO",
                expected,
                stored,
                processed,
                scored,
                scoredTwice);
    }

    private static long count(Connection connection, String sql, String prefix) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, prefix + "%");
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
