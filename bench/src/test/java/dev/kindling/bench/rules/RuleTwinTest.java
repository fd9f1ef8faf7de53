package dev.kindling.bench.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.bench.harness.MigratedDatabase;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.DatasetCopy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** W3's setup, twin and checks against Kindling's schema, without the app. */
class RuleTwinTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
    private static final Dataset XS = Dataset.of(DatasetSize.XS, 42, END);
    /** Quiet for 90 days as of the period end, so the expectation does not depend on today. */
    private static final Instant BOUND = END.minus(Duration.ofDays(90));

    private static MigratedDatabase database;
    private static Connection connection;
    private static long[] prospectIds;

    @BeforeAll
    static void loadXsProspectsWithTheirLastActivityAndScore() throws Exception {
        database = MigratedDatabase.create();
        connection = database.connect();
        Instant now = Instant.now();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaigns = copy.copyCampaigns(XS.campaigns(), now);
        long[] accounts = copy.copyAccounts(XS, now);
        prospectIds = copy.copyProspects(XS, accounts, campaigns, "import:bench");
        RuleTwin.summarise(XS, prospectIds, connection);
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        database.close();
    }

    @AfterEach
    void dropTheTwin() throws SQLException {
        RuleTwin.drop(connection);
    }

    @Test
    void setupGivesEachProspectItsLastActivityAndAScoreFromItsActivityCount() throws SQLException {
        Map<Long, Long> expectedLast = new HashMap<>();
        Map<Long, Integer> counts = new HashMap<>();
        XS.forEachActivity(a -> {
            long id = prospectIds[a.prospectIndex()];
            expectedLast.merge(id, a.occurredAt().toEpochMilli(), Math::max);
            counts.merge(id, 1, Integer::sum);
        });
        Map<Long, Integer> expectedScores = new HashMap<>();
        counts.forEach((id, n) -> expectedScores.put(id, RuleTwin.score(n)));

        assertThat(query("SELECT id, (extract(epoch FROM last_activity_at) * 1000)::bigint FROM prospect"
                        + " WHERE last_activity_at IS NOT NULL"))
                .isEqualTo(expectedLast);
        assertThat(query("SELECT id, score FROM prospect WHERE last_activity_at IS NOT NULL")
                        .entrySet())
                .allSatisfy(e -> assertThat(e.getValue()).isEqualTo((long) expectedScores.get(e.getKey())));
        assertThat(expectedScores.values())
                .anySatisfy(s -> assertThat(s).isLessThan(100))
                .anySatisfy(s -> assertThat(s).isGreaterThan(200));
    }

    @Test
    void takesOneHundredFromExactlyTheQuietProspectsNeverBelowTheFloor() throws SQLException {
        Map<Long, Long> before = query("SELECT id, score FROM prospect");
        Map<Long, Long> last = query("SELECT id, (extract(epoch FROM last_activity_at) * 1000)::bigint FROM prospect"
                + " WHERE last_activity_at IS NOT NULL");
        RuleTwin.prepare(connection);

        RuleTwin.Run run = RuleTwin.run(connection, 0, BOUND);

        Map<Long, Long> expected = new HashMap<>();
        long quiet = 0;
        for (Map.Entry<Long, Long> e : before.entrySet()) {
            Long lastMillis = last.get(e.getKey());
            boolean matches = lastMillis != null && lastMillis <= BOUND.toEpochMilli();
            quiet += matches ? 1 : 0;
            expected.put(e.getKey(), matches ? Math.max(0, e.getValue() - 100) : e.getValue());
        }
        assertThat(quiet).isPositive();
        assertThat(run.updated()).isEqualTo(quiet).isEqualTo(RuleTwin.meeting(connection, BOUND));
        assertThat(query("SELECT id, score FROM " + RuleTwin.TABLE)).isEqualTo(expected);
        assertThat(expected.values()).contains(0L);
    }

    @Test
    void leavesTheEnginesProspectsAloneAndCountsWhereTheyDiffer() throws SQLException {
        Map<Long, Long> before = query("SELECT id, score FROM prospect");
        RuleTwin.prepare(connection);

        RuleTwin.Run run = RuleTwin.run(connection, 7, BOUND);

        assertThat(query("SELECT id, score FROM prospect")).isEqualTo(before);
        assertThat(RuleTwin.disagreeing(connection)).isEqualTo(run.updated());
        assertThat(query("SELECT id, score FROM " + RuleTwin.TABLE + " WHERE last_activity_at <= '" + BOUND + "'")
                        .values())
                .allSatisfy(score -> assertThat(score).isGreaterThanOrEqualTo(7));
    }

    @Test
    void countsTheRulesMatchRowsAndLedgerEntriesOnly() throws SQLException {
        execute("INSERT INTO score_ledger (prospect_id, at, kind, delta, result, reason) VALUES"
                + " (" + prospectIds[0] + ", now(), 'AUTOMATION', -100, 0, 'rule:41'),"
                + " (" + prospectIds[1] + ", now(), 'AUTOMATION', -100, 0, 'rule:41'),"
                + " (" + prospectIds[2] + ", now(), 'AUTOMATION', 10, 10, 'rule:42'),"
                + " (" + prospectIds[3] + ", now(), 'MANUAL', -100, 0, 'rule:41')");
        try {
            assertThat(RuleTwin.ledgerEntries(connection, 41)).isEqualTo(2);
            assertThat(RuleTwin.matchesRecorded(connection, 41)).isZero();
        } finally {
            execute("DELETE FROM score_ledger");
        }
    }

    private static Map<Long, Long> query(String sql) throws SQLException {
        Map<Long, Long> rows = new HashMap<>();
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.put(r.getLong(1), r.getLong(2));
            }
        }
        return rows;
    }

    private static void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
