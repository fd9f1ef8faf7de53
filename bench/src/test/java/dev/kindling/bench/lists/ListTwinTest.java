package dev.kindling.bench.lists;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.bench.harness.MigratedDatabase;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.GeneratedProspect;
import dev.kindling.engine.activity.ActivityType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** W4's twin and its comparison with a list's members against Kindling's schema, without the app. */
class ListTwinTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
    private static final Dataset XS = Dataset.of(DatasetSize.XS, 42, END);

    private static MigratedDatabase database;
    private static Connection connection;
    private static List<Long> prospectIds;

    @BeforeAll
    static void loadXsWithItsActivities() throws Exception {
        database = MigratedDatabase.create();
        connection = database.connect();
        assertThat(ListWorkload.load(XS, XS.size().activities(), connection))
                .isEqualTo(XS.size().activities());
        prospectIds = new java.util.ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("SELECT id FROM prospect ORDER BY id")) {
            while (r.next()) {
                prospectIds.add(r.getLong(1));
            }
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        database.close();
    }

    @AfterEach
    void cleanUp() throws SQLException {
        ListTwin.drop(connection);
        execute("DELETE FROM list_member");
        execute("DELETE FROM list");
    }

    @Test
    void insertsTheProspectsOfTheIndustriesAndSizeThatClickedAnEmailWithinTheWindow() throws SQLException {
        for (ListTwin.Criteria criteria : List.of(ListWorkload.CREATED, ListWorkload.EDITED)) {
            ListTwin.prepare(connection);
            Set<Long> expected = expected(criteria, END);

            ListTwin.Run run = ListTwin.run(connection, 1, criteria, END);

            assertThat(expected).as("criteria %s", criteria).isNotEmpty();
            assertThat(run.inserted()).isEqualTo(expected.size());
            assertThat(ids("SELECT prospect_id FROM " + ListTwin.TABLE + " WHERE list_id = 1"))
                    .isEqualTo(expected);
        }
    }

    @Test
    void countsTheProspectsInOnlyOneOfTheListAndTheTwin() throws SQLException {
        ListTwin.prepare(connection);
        ListTwin.run(connection, 1, ListWorkload.CREATED, END);
        List<Long> twin = List.copyOf(ids("SELECT prospect_id FROM " + ListTwin.TABLE));
        execute("INSERT INTO list (id, name, kind, created_at, updated_at) OVERRIDING SYSTEM VALUE"
                + " VALUES (1, 'twin test', 'STATIC', now(), now())");
        execute("INSERT INTO list_member (list_id, prospect_id, since) SELECT 1, prospect_id, now() FROM "
                + ListTwin.TABLE);
        assertThat(ListTwin.differences(connection, 1)).isZero();

        execute("DELETE FROM list_member WHERE prospect_id = " + twin.get(0));
        long outsider = prospectIds.stream()
                .filter(id -> !twin.contains(id))
                .findFirst()
                .orElseThrow();
        execute("INSERT INTO list_member (list_id, prospect_id, since) VALUES (1, " + outsider + ", now())");

        assertThat(ListTwin.differences(connection, 1)).isEqualTo(2);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(ListWorkload.percentile(hundred, 50)).isEqualTo(50);
        assertThat(ListWorkload.percentile(hundred, 99)).isEqualTo(99);
        assertThat(ListWorkload.percentile(new long[] {7}, 99)).isEqualTo(7);
    }

    /** The members computed in Java from the generator. */
    private static Set<Long> expected(ListTwin.Criteria criteria, Instant now) {
        Set<String> industries = new HashSet<>();
        criteria.industries().forEach(i -> industries.add(i.toLowerCase(Locale.ROOT)));
        Instant after = now.minus(Duration.ofDays(criteria.clickedWithinDays()));
        Set<Long> members = new HashSet<>();
        XS.forEachActivity(a -> {
            if (a.type() == ActivityType.EMAIL_CLICK && a.occurredAt().isAfter(after)) {
                GeneratedProspect p = XS.prospect(a.prospectIndex());
                if (p.industry() != null
                        && industries.contains(p.industry().toLowerCase(Locale.ROOT))
                        && p.employees() >= criteria.minEmployees()) {
                    members.add(prospectIds.get(a.prospectIndex()));
                }
            }
        });
        return members;
    }

    private static Set<Long> ids(String sql) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    private static void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
