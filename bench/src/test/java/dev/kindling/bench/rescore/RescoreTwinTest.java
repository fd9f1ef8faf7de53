package dev.kindling.bench.rescore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.bench.harness.MigratedDatabase;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.GeneratedActivity;
import dev.kindling.engine.activity.ActivityType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The twin and the ledger checks against Kindling's schema, without the app. */
class RescoreTwinTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
    private static final Dataset XS = Dataset.of(DatasetSize.XS, 42, END);
    private static final Map<ActivityType, Integer> DEFAULT_POINTS = new EnumMap<>(Map.ofEntries(
            Map.entry(ActivityType.PAGE_VIEW, 1), Map.entry(ActivityType.FILE_DOWNLOAD, 3),
            Map.entry(ActivityType.TRACKED_LINK_CLICK, 3), Map.entry(ActivityType.FORM_SUBMIT, 50),
            Map.entry(ActivityType.FORM_ERROR, -5), Map.entry(ActivityType.EMAIL_CLICK, 3),
            Map.entry(ActivityType.WEBINAR_REGISTERED, 10), Map.entry(ActivityType.WEBINAR_ATTENDED, 25),
            Map.entry(ActivityType.EVENT_ATTENDED, 25), Map.entry(ActivityType.CHAT, 10),
            Map.entry(ActivityType.DEMO_REQUEST, 50), Map.entry(ActivityType.OPPORTUNITY_CREATED, 50),
            Map.entry(ActivityType.OPPORTUNITY_LOST, -100), Map.entry(ActivityType.UNSUBSCRIBE, -25)));

    private static MigratedDatabase database;
    private static Connection connection;
    private static List<Long> prospectIds;

    @BeforeAll
    static void loadXsAsProcessedHistory() throws Exception {
        database = MigratedDatabase.create();
        connection = database.connect();
        assertThat(RescoreWorkload.load(XS, 20_000, connection)).isEqualTo(20_000);
        prospectIds = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet ids = statement.executeQuery("SELECT id FROM prospect ORDER BY id")) {
            while (ids.next()) {
                prospectIds.add(ids.getLong(1));
            }
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        database.close();
    }

    @AfterEach
    void restoreTheDefaultModelAndAnEmptyLedger() throws SQLException {
        execute("UPDATE scoring_rule SET points = 1 WHERE name = 'Page view'");
        execute("DELETE FROM scoring_rule WHERE name = 'test glob'");
        execute("DELETE FROM score_ledger");
        execute("UPDATE prospect SET score = 0");
        RescoreTwin.drop(connection);
    }

    @Test
    void givesEachProspectThePointsOfTheDefaultRulesItsActivitiesMatch() throws SQLException {
        RescoreTwin.prepare(connection);
        RescoreTwin.Run run = RescoreTwin.run(connection);

        Map<Long, Integer> expected = expectedScores(a -> DEFAULT_POINTS.getOrDefault(a.type(), 0)
                + (a.type() == ActivityType.PAGE_VIEW
                                && url(a).toLowerCase(Locale.ROOT).contains("pricing")
                        ? 10
                        : 0));
        assertThat(run.updated()).isEqualTo(expected.size());
        assertThat(twinScores()).isEqualTo(expected);
        assertThat(expected.values()).anySatisfy(points -> assertThat(points).isGreaterThan(100));
    }

    @Test
    void readsTheModelInForceIncludingAGlobPatternMatchedCaseInsensitively() throws SQLException {
        execute("UPDATE scoring_rule SET points = 2 WHERE name = 'Page view'");
        execute("INSERT INTO scoring_rule (name, activity_type, url_pattern, points, created_at, updated_at)"
                + " VALUES ('test glob', 'PAGE_VIEW', 'HTTPS://*/JA/*', 7, now(), now())");
        RescoreTwin.prepare(connection);
        RescoreTwin.run(connection);

        Map<Long, Integer> expected = expectedScores(a -> {
            int points = DEFAULT_POINTS.getOrDefault(a.type(), 0);
            if (a.type() == ActivityType.PAGE_VIEW) {
                String url = url(a).toLowerCase(Locale.ROOT);
                points += 1
                        + (url.contains("pricing") ? 10 : 0)
                        + (url.startsWith("https://") && url.indexOf("/ja/", "https://".length()) > 0 ? 7 : 0);
            }
            return points;
        });
        assertThat(twinScores()).isEqualTo(expected);
    }

    @Test
    void leavesTheEnginesScoresAlone() throws SQLException {
        execute("UPDATE prospect SET score = 5 WHERE id = " + prospectIds.get(0));
        RescoreTwin.prepare(connection);
        RescoreTwin.run(connection);

        assertThat(count("SELECT count(*) FROM prospect WHERE score <> 0")).isEqualTo(1);
        assertThat(RescoreTwin.agreeing(connection)).isLessThan(prospectIds.size());
    }

    @Test
    void findsEveryProspectWhoseScoreIsNotTheFoldOfItsLedger() throws SQLException {
        long kept = prospectIds.get(1);
        long broken = prospectIds.get(2);
        long before = LedgerCheck.maxLedgerId(connection);
        // kept: +5, set to 12, +3 → 15; broken: set to 3 but scored 4
        execute("INSERT INTO score_ledger (prospect_id, at, kind, delta, set_to, result) VALUES"
                + " (" + kept + ", now(), 'ACTIVITY', 5, NULL, 5),"
                + " (" + kept + ", now(), 'RESCORE', 7, 12, 12),"
                + " (" + kept + ", now(), 'ACTIVITY', 3, NULL, 15),"
                + " (" + broken + ", now(), 'RESCORE', 3, 3, 3)");
        execute("UPDATE prospect SET score = 15 WHERE id = " + kept);
        execute("UPDATE prospect SET score = 4 WHERE id = " + broken);

        assertThat(LedgerCheck.foldMismatches(connection)).isEqualTo(1);
        assertThat(LedgerCheck.rescoreEntriesAfter(connection, before)).isEqualTo(2);

        execute("UPDATE prospect SET score = 3 WHERE id = " + broken);
        assertThat(LedgerCheck.foldMismatches(connection)).isZero();
    }

    @Test
    void findsThePlainPageViewRuleAndReadsASummaryAsTheApiWritesThem() {
        String rules = "[{\"id\":1,\"name\":\"Page view\",\"activityType\":\"PAGE_VIEW\",\"customName\":null,"
                + "\"urlPattern\":null,\"formName\":null,\"assetName\":null,\"emailId\":null,\"campaignId\":null,"
                + "\"points\":1},{\"id\":13,\"name\":\"Pricing page\",\"activityType\":\"PAGE_VIEW\","
                + "\"urlPattern\":\"pricing\",\"points\":10}]";
        String pricingFirst = "[{\"id\":13,\"activityType\":\"PAGE_VIEW\",\"urlPattern\":\"pricing\"},"
                + "{\"id\":1,\"activityType\":\"PAGE_VIEW\",\"urlPattern\":null,\"campaignId\":null}]";

        assertThat(RescoreClient.plainRuleOf(rules, "PAGE_VIEW")).isEqualTo(1);
        assertThat(RescoreClient.plainRuleOf(pricingFirst, "PAGE_VIEW")).isEqualTo(1);
        RescoreClient.Summary summary = RescoreClient.summary("{\"prospects\":1000,\"changed\":412,\"minChange\":1,"
                + "\"maxChange\":90,\"meanChange\":6.5,\"buckets\":[{\"from\":null,\"to\":-100,\"prospects\":0}],"
                + "\"applied\":false}");
        assertThat(summary.prospects()).isEqualTo(1000);
        assertThat(summary.changed()).isEqualTo(412);
    }

    private static Map<Long, Integer> expectedScores(ToIntFunction<GeneratedActivity> points) {
        Map<Long, Integer> expected = new HashMap<>();
        XS.activities()
                .forEach(a -> expected.merge(prospectIds.get(a.prospectIndex()), points.applyAsInt(a), Integer::sum));
        return expected;
    }

    private static String url(GeneratedActivity activity) {
        String url = activity.properties().get("url");
        url = url != null ? url : activity.properties().get("linkUrl");
        return url == null ? "" : url;
    }

    private static Map<Long, Integer> twinScores() throws SQLException {
        Map<Long, Integer> scores = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT t.id, t.score FROM " + RescoreTwin.TABLE + " t"
                        + " WHERE EXISTS (SELECT 1 FROM activity a WHERE a.prospect_id = t.id)")) {
            while (rows.next()) {
                scores.put(rows.getLong(1), rows.getInt(2));
            }
        }
        return scores;
    }

    private static long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
