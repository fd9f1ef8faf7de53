package dev.kindling.bench.rescore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * After the run, SQL checks that the engine kept the ledger's law: folding each prospect's entries in id order
 * ({@code set_to} when present, else {@code + delta}) gives its {@code score}, and the newest entry's
 * {@code result} is that score. Checks every prospect: at size S that is one query of a few seconds.
 */
final class LedgerCheck {

    /** Prospects whose score the fold of their ledger does not give (starting from 0 without entries). */
    static final String FOLD_MISMATCHES = """
            WITH last_set AS (
                SELECT DISTINCT ON (prospect_id) prospect_id, id, set_to
                  FROM score_ledger
                 WHERE set_to IS NOT NULL
                 ORDER BY prospect_id, id DESC),
            after_set AS (
                SELECT l.prospect_id, sum(l.delta) AS delta
                  FROM score_ledger l
                  LEFT JOIN last_set s ON s.prospect_id = l.prospect_id
                 WHERE l.id > coalesce(s.id, 0)
                 GROUP BY l.prospect_id),
            newest AS (
                SELECT DISTINCT ON (prospect_id) prospect_id, result
                  FROM score_ledger
                 ORDER BY prospect_id, id DESC)
            SELECT count(*)
              FROM prospect p
              LEFT JOIN last_set s ON s.prospect_id = p.id
              LEFT JOIN after_set d ON d.prospect_id = p.id
              LEFT JOIN newest n ON n.prospect_id = p.id
             WHERE p.score <> coalesce(s.set_to, 0) + coalesce(d.delta, 0)
                OR p.score <> coalesce(n.result, 0)""";

    private LedgerCheck() {}

    static long foldMismatches(Connection connection) throws SQLException {
        return count(connection, FOLD_MISMATCHES);
    }

    /** RESCORE entries with an id above {@code afterId}: those a rescore wrote. */
    static long rescoreEntriesAfter(Connection connection, long afterId) throws SQLException {
        return count(connection, "SELECT count(*) FROM score_ledger WHERE kind = 'RESCORE' AND id > ?", afterId);
    }

    static long maxLedgerId(Connection connection) throws SQLException {
        return count(connection, "SELECT coalesce(max(id), 0) FROM score_ledger");
    }

    private static long count(Connection connection, String sql, long... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setLong(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
