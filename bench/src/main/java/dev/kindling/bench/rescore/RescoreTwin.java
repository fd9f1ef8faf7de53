package dev.kindling.bench.rescore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The physics twin of rescoring: one hand-written set-based {@code UPDATE} giving every prospect the sum of the
 * points of the rules its processed activities match, read from the same {@code activity} and
 * {@code scoring_rule} tables. It writes into {@code rescore_twin}, an ordinary (logged) copy of
 * {@code prospect}'s id and score, so the engine's result stays untouched.
 *
 * <p>It matches rules as the engine does (type, custom name, URL pattern on {@code url} else {@code linkUrl} —
 * text contained, or a {@code *} glob over the whole URL, case-insensitive —, form, asset, email, campaign) but
 * ignores caps, decay, floors, resets and hand changes: it is the cheapest version of the same bulk work, not
 * the same result.
 */
final class RescoreTwin {

    static final String TABLE = "rescore_twin";

    /** The timed statement. Bot activities score nothing, as in the engine. */
    static final String UPDATE = """
            UPDATE rescore_twin t
               SET score = s.points
              FROM (SELECT a.prospect_id, sum(r.points) AS points
                      FROM activity a
                      JOIN scoring_rule r
                        ON r.activity_type = a.type
                       AND (r.custom_name IS NULL OR r.custom_name = a.custom_name)
                       AND (r.url_pattern IS NULL
                            OR coalesce(a.properties->>'url', a.properties->>'linkUrl') ILIKE
                               CASE WHEN strpos(r.url_pattern, '*') > 0
                                    THEN replace(replace(replace(r.url_pattern, '%', '\\%'), '_', '\\_'), '*', '%')
                                    ELSE '%' || replace(replace(r.url_pattern, '%', '\\%'), '_', '\\_') || '%' END)
                       AND (r.form_name IS NULL OR r.form_name = a.properties->>'formName')
                       AND (r.asset_name IS NULL OR r.asset_name = a.properties->>'assetName')
                       AND (r.email_id IS NULL OR r.email_id = a.properties->>'emailId')
                       AND (r.campaign_id IS NULL OR r.campaign_id = a.campaign_id)
                     WHERE a.prospect_id IS NOT NULL AND a.processed_at IS NOT NULL AND a.failed_reason IS NULL
                       AND NOT a.bot
                     GROUP BY a.prospect_id) s
             WHERE t.id = s.prospect_id""";

    private RescoreTwin() {}

    /** Not timed: a fresh {@code rescore_twin} with every prospect at score 0, analysed. */
    static void prepare(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
            statement.execute("CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, score integer NOT NULL)");
            statement.execute("INSERT INTO " + TABLE + " (id, score) SELECT id, 0 FROM prospect");
            statement.execute("ANALYZE " + TABLE);
        }
    }

    /** The outcome of the timed statement. */
    record Run(Duration elapsed, long updated) {}

    /** Runs the twin's UPDATE in its own committed transaction (auto-commit) and times it. */
    static Run run(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            long updated = statement.executeLargeUpdate(UPDATE);
            return new Run(Duration.ofNanos(System.nanoTime() - started), updated);
        }
    }

    /** How many prospects' engine score equals the twin's (equal where neither decay nor caps played a part). */
    static long agreeing(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM prospect p JOIN " + TABLE
                        + " t ON t.id = p.id WHERE t.score = p.score")) {
            result.next();
            return result.getLong(1);
        }
    }

    static void drop(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }
}
