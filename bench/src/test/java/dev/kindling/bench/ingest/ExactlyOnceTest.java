package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.bench.harness.MigratedDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exactly-once check after W1's kill, on the app's own schema. */
class ExactlyOnceTest {

    private static MigratedDatabase database;
    private static Connection connection;

    @BeforeAll
    static void schema() throws Exception {
        database = MigratedDatabase.create();
        connection = database.connect();
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        database.close();
    }

    @BeforeEach
    void threeActivitiesOfOneProspectEachScoredOnceByOneRule() throws SQLException {
        sql("TRUNCATE score_ledger, activity, activity_queue, prospect CASCADE");
        sql("INSERT INTO prospect (id, email, captured_at, created_at, updated_at) OVERRIDING SYSTEM VALUE"
                + " VALUES (1, 'a@example.com', now(), now(), now())");
        for (int i = 1; i <= 3; i++) {
            sql("INSERT INTO activity (id, external_id, email, prospect_id, type, occurred_at, received_at,"
                    + " processed_at) OVERRIDING SYSTEM VALUE VALUES (" + i + ", 'w1-" + i
                    + "', 'a@example.com', 1, 'PAGE_VIEW', now(), now(), now())");
            ledger(i, 7);
        }
        // another run's activity, and another kind of entry for one of these: neither counts
        sql("INSERT INTO activity (id, external_id, email, type, occurred_at, received_at) OVERRIDING SYSTEM VALUE"
                + " VALUES (9, 'warm-1', 'a@example.com', 'PAGE_VIEW', now(), now())");
        sql("INSERT INTO score_ledger (prospect_id, at, kind, delta, result, activity_id)"
                + " VALUES (1, now(), 'RESCORE', 1, 1, 1)");
    }

    @Test
    void holdsWhenEveryActivityIsStoredProcessedAndScoredOnce() throws SQLException {
        ExactlyOnce check = ExactlyOnce.check(connection, "w1-", 3);

        assertThat(check).isEqualTo(new ExactlyOnce(3, 3, 3, 3, 0));
        assertThat(check.holds()).isTrue();
        assertThat(check.describe()).startsWith("yes");
    }

    @Test
    void failsWhenAnActivityWasScoredTwiceByTheSameRule() throws SQLException {
        ledger(2, 7);
        ledger(3, 8); // a second rule scoring the same activity is not a repeat

        ExactlyOnce check = ExactlyOnce.check(connection, "w1-", 3);

        assertThat(check.scoredTwice()).isEqualTo(1);
        assertThat(check.holds()).isFalse();
        assertThat(check.describe()).startsWith("NO");
    }

    @Test
    void failsWhenAnActivityIsStillPendingOrWasLost() throws SQLException {
        sql("UPDATE activity SET processed_at = NULL WHERE id = 3");
        assertThat(ExactlyOnce.check(connection, "w1-", 3).holds()).isFalse();

        sql("UPDATE activity SET processed_at = now() WHERE id = 3");
        assertThat(ExactlyOnce.check(connection, "w1-", 3).holds()).isTrue();

        // attributed at accept: processed_at set from accept on, pending while its queue row is there
        sql("INSERT INTO activity_queue (activity_id, occurred_at, received_at, prospect_id)"
                + " SELECT id, occurred_at, received_at, prospect_id FROM activity WHERE id = 3");
        assertThat(ExactlyOnce.check(connection, "w1-", 3).processed()).isEqualTo(2);
        assertThat(ExactlyOnce.check(connection, "w1-", 3).holds()).isFalse();
        sql("DELETE FROM activity_queue WHERE activity_id = 3");
        assertThat(ExactlyOnce.check(connection, "w1-", 3).holds()).isTrue();
        assertThat(ExactlyOnce.check(connection, "w1-", 4).holds())
                .as("one sent but not stored")
                .isFalse();
    }

    private static void ledger(long activity, long rule) throws SQLException {
        sql("INSERT INTO score_ledger (prospect_id, at, kind, delta, result, rule_id, activity_id)"
                + " VALUES (1, now(), 'ACTIVITY', 1, 1, " + rule + ", " + activity + ")");
    }

    private static void sql(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
