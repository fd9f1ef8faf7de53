package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kindling.reports.LifecycleFunnel;
import dev.kindling.reports.LifecycleQuery;
import dev.kindling.reports.LifecycleQuery.Model;
import dev.kindling.reports.LifecycleQuery.View;
import dev.kindling.reports.LifecycleReports;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The monthly partitions of {@code activity} and the other history tables ({@code score_ledger},
 * {@code stage_transition}, {@code list_membership_event}) against a database of each test's own (the retention drops
 * partitions, which no shared database may see): made ahead as the clock moves, old-dated rows kept in the default
 * partition and moved into their month, the retention dropping or detaching whole months (with the activities' keys)
 * while scores, stages and the lifecycle report stay as they were, and the migrations of existing tables.
 */
class HistoryPartitionsIT {

    private static final Instant NOW = Instant.parse("2027-03-15T12:00:00Z");

    HikariDataSource dataSource;
    JdbcClient jdbc;
    MutableClock clock;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(NOW);
    }

    @AfterEach
    void closePool() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    /** An empty database of the test's own: for the tests of the migrations themselves. */
    private void emptyDatabase() {
        use(TestDatabase.ownDataSource("history"));
    }

    private void use(HikariDataSource database) {
        dataSource = database;
        jdbc = JdbcClient.create(dataSource);
    }

    /**
     * A database of the test's own with every migration applied (a copy of the run's migrated one, as Flyway leaves an
     * empty database), then without the partitions the migrations made by the wall clock: the tests' months are their
     * clock's.
     */
    private void migrate() {
        use(TestDatabase.ownMigratedDataSource("history"));
        for (String name : jdbc.sql("SELECT name FROM history_partitions")
                .query(String.class)
                .list()) {
            jdbc.sql("DROP TABLE " + name).update();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM history_partitions")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private HistoryPartitions partitions(int retentionMonths, boolean archive) {
        return new HistoryPartitions(
                jdbc, new DataSourceTransactionManager(dataSource), clock, retentionMonths, archive);
    }

    @Test
    void partitionsAreMadeAheadOfTheClockMonthByMonth() {
        migrate();
        HistoryPartitions partitions = partitions(0, false);

        assertThat(partitions.ahead()).as("four months of four tables").isEqualTo(16);
        assertThat(partitionNames())
                .containsExactly("activity_p202703", "activity_p202704", "activity_p202705", "activity_p202706");
        for (String table : List.of("score_ledger", "stage_transition", "list_membership_event")) {
            assertThat(partitionNames(table))
                    .containsExactly(table + "_p202703", table + "_p202704", table + "_p202705", table + "_p202706");
        }

        clock.set(Instant.parse("2027-05-31T23:59:59Z"));
        assertThat(partitions.ahead()).isEqualTo(8);
        assertThat(partitionNames()).endsWith("activity_p202707", "activity_p202708");
        assertThat(partitionNames("stage_transition")).endsWith("stage_transition_p202707", "stage_transition_p202708");
        assertThat(partitions.ahead()).as("a second run makes nothing").isZero();
        // an activity of a month made ahead lands in it
        long id = insert("ahead-1", "2027-08-31T23:59:59Z");
        assertThat(partitionOf(id)).isEqualTo("activity_p202708");
    }

    @Test
    void oldDatedActivitiesLandInTheDefaultPartitionAndMoveIntoTheirMonthsKeepingTheirIds() {
        migrate();
        HistoryPartitions partitions = partitions(0, false);
        long a = insert("old-a", "2019-05-10T08:00:00Z");
        long b = insert("old-b", "2019-05-31T23:59:59Z");
        long c = insert("old-c", "2016-01-01T00:00:00Z");

        assertThat(List.of(partitionOf(a), partitionOf(b), partitionOf(c))).containsOnly("activity_default");
        assertThat(partitions.defaultRows(HistoryPartitions.TABLES.getFirst(), 10))
                .isEqualTo(3);

        assertThat(partitions.splitDefault()).isEqualTo(2);

        assertThat(partitionOf(a)).isEqualTo("activity_p201905");
        assertThat(partitionOf(b)).isEqualTo("activity_p201905");
        assertThat(partitionOf(c)).isEqualTo("activity_p201601");
        assertThat(partitions.defaultRows(HistoryPartitions.TABLES.getFirst(), 10))
                .isZero();
        assertThat(jdbc.sql("SELECT external_id FROM activity WHERE id = :id")
                        .param("id", b)
                        .query(String.class)
                        .single())
                .isEqualTo("old-b");
        // the queued ones are still the intake's queue, in id order, found by their keys in their new partitions
        assertThat(jdbc.sql("""
                        SELECT a.id FROM activity_queue q JOIN activity a ON a.id = q.activity_id
                                                                 AND a.occurred_at = q.occurred_at
                         WHERE a.processed_at IS NULL ORDER BY a.id""").query(Long.class).list()).containsExactly(a, b, c);
    }

    @Test
    void theRetentionDropsWholeMonthsOlderThanItAndTheirKeysAndQueueRows() {
        migrate();
        HistoryPartitions partitions = partitions(12, false);
        partitions.ahead();
        insert("r-2025-06", "2025-06-10T00:00:00Z");
        partitions.splitDefault(); // activity_p202506
        insert("r-2026-02", "2026-02-28T23:59:59Z"); // in the default partition
        insert("r-2026-03", "2026-03-01T00:00:00Z"); // the first month kept, in the default partition too

        // the cut is 2026-03-01: twelve months before the current month's start
        assertThat(partitions.retain()).containsExactly("activity_p202506", "activity_p202602");

        assertThat(externalIds()).containsExactly("r-2026-03");
        assertThat(jdbc.sql("SELECT external_id FROM activity_key ORDER BY 1")
                        .query(String.class)
                        .list())
                .containsExactly("r-2026-03");
        assertThat(queued()).as("the queue keeps no row of an activity dropped").containsExactly("r-2026-03");
        assertThat(table("activity_p202506")).isNull();
        assertThat(partitionNames()).first().isEqualTo("activity_p202703");

        // a month later the next month goes: its rows get their partition, which is dropped
        clock.set(Instant.parse("2027-04-01T00:00:00Z"));
        assertThat(partitions.retain()).containsExactly("activity_p202603");
        assertThat(externalIds()).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM activity_queue")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM activity_key")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void archivingDetachesTheOldMonthsAsTablesOfTheirOwn() {
        migrate();
        insert("a-2025-06", "2025-06-10T00:00:00Z");
        insert("a-2027-03", "2027-03-10T00:00:00Z");

        assertThat(partitions(12, true).retain()).containsExactly("activity_p202506");

        assertThat(externalIds()).containsExactly("a-2027-03");
        assertThat(jdbc.sql("SELECT external_id FROM archived_activity_p202506")
                        .query(String.class)
                        .list())
                .containsExactly("a-2025-06");
        assertThat(partitionNames()).doesNotContain("activity_p202506");
    }

    @Test
    void theRetentionIsOffByDefault() {
        migrate();
        insert("k-1990", "1990-01-01T00:00:00Z");
        partitions(0, false).run();
        assertThat(externalIds()).containsExactly("k-1990");
    }

    @Test
    void theMigrationKeepsAnExistingTableAsThePartitionOfItsMonthsWithItsIdsAndKeys() {
        emptyDatabase();
        Flyway.configure()
                .dataSource(dataSource)
                .target(MigrationVersion.fromVersion("573"))
                .load()
                .migrate();
        jdbc.sql("""
                        INSERT INTO activity (external_id, type, occurred_at, received_at, processed_at)
                        SELECT 'legacy-' || g, 'PAGE_VIEW', now() - g * interval '10 days', now(),
                               CASE WHEN g % 2 = 0 THEN now() END
                          FROM generate_series(1, 100) g""").update();
        // an activity dated after next month: not kept in the old table, whose range ends with next month
        jdbc.sql("""
                        INSERT INTO activity (external_id, type, occurred_at, received_at)
                        VALUES ('legacy-future', 'PAGE_VIEW', now() + interval '2 years', now())""").update();
        List<String> before = jdbc.sql("SELECT id || ' ' || external_id || ' ' || (processed_at IS NULL) FROM activity"
                        + " ORDER BY id")
                .query(String.class)
                .list();

        Flyway.configure().dataSource(dataSource).load().migrate();

        assertThat(jdbc.sql("SELECT id || ' ' || external_id || ' ' || (processed_at IS NULL) FROM activity"
                                + " ORDER BY id")
                        .query(String.class)
                        .list())
                .isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM activity_key")
                        .query(Long.class)
                        .single())
                .isEqualTo(101);
        // the pending ones (odd g, and the future one) are queued by V640, with their keys and receipt times
        assertThat(jdbc.sql("""
                        SELECT a.external_id FROM activity_queue q
                          JOIN activity a ON a.id = q.activity_id AND a.occurred_at = q.occurred_at
                                         AND a.received_at = q.received_at
                         WHERE a.processed_at IS NULL ORDER BY a.id""").query(String.class).list())
                .hasSize(51)
                .contains("legacy-1", "legacy-99", "legacy-future")
                .doesNotContain("legacy-2");
        assertThat(jdbc.sql("SELECT count(*) FROM activity_queue")
                        .query(Long.class)
                        .single())
                .isEqualTo(51);
        assertThat(jdbc.sql("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%pending%'")
                        .query(Long.class)
                        .single())
                .as("the partial indexes of the queue inside the history are gone")
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE tableoid = 'activity_legacy'::regclass")
                        .query(Long.class)
                        .single())
                .isEqualTo(100);
        // the identity goes on after the old table's last id
        long next = insert("after-migration", "2027-03-01T00:00:00Z");
        assertThat(next).isEqualTo(102);
    }

    @Test
    void theOtherHistoryTablesLandInTheirMonthsAndTheRetentionArchivesThemLeavingScoresAndReportsAsTheyWere() {
        migrate();
        HistoryPartitions partitions = partitions(12, true);
        partitions.ahead();
        // a prospect captured long ago, scored then, and an MQL this month; one captured this month
        long old = prospect("old@history.example", "2025-06-10T09:00:00Z", "MQL", 40);
        long recent = prospect("new@history.example", "2027-03-02T09:00:00Z", "CAPTURED", 0);
        long list = jdbc.sql("""
                        INSERT INTO list (name, kind, created_at, updated_at)
                        VALUES ('History', 'STATIC', :at, :at) RETURNING id""")
                .param("at", Timestamp.from(Instant.parse("2025-06-01T00:00:00Z")))
                .query(Long.class)
                .single();
        long oldActivity = insert("h-2025-06", "2025-06-11T09:00:00Z");
        long[] ledger = {
            ledger(old, "2025-06-11T09:00:05Z", "ACTIVITY", 30, 30, oldActivity),
            ledger(old, "2027-03-05T10:00:00Z", "MANUAL", 10, 40, null)
        };
        reached(old, "CAPTURED", "2025-06-10T09:00:00Z");
        reached(old, "MQL", "2027-03-05T10:00:00Z");
        reached(recent, "CAPTURED", "2027-03-02T09:00:00Z");
        long[] transitions = {
            transition(old, null, "CAPTURED", "2025-06-10T09:00:00Z"),
            transition(old, "CAPTURED", "MQL", "2027-03-05T10:00:00Z"),
            transition(recent, null, "CAPTURED", "2027-03-02T09:00:00Z")
        };
        jdbc.sql("INSERT INTO list_member (list_id, prospect_id, since) VALUES (:l, :p, :at)")
                .param("l", list)
                .param("p", old)
                .param("at", Timestamp.from(Instant.parse("2025-06-12T00:00:00Z")))
                .update();
        long[] events = {
            listEvent(list, old, "2025-06-12T00:00:00Z", "JOINED"),
            listEvent(list, recent, "2027-03-03T00:00:00Z", "JOINED")
        };

        // each row in its month's partition; the months with none made yet in the default partitions
        assertThat(partitionOf("score_ledger", ledger[0])).isEqualTo("score_ledger_default");
        assertThat(partitionOf("score_ledger", ledger[1])).isEqualTo("score_ledger_p202703");
        assertThat(partitionOf("stage_transition", transitions[0])).isEqualTo("stage_transition_default");
        assertThat(partitionOf("stage_transition", transitions[1])).isEqualTo("stage_transition_p202703");
        assertThat(partitionOf("list_membership_event", events[0])).isEqualTo("list_membership_event_default");
        assertThat(partitionOf("list_membership_event", events[1])).isEqualTo("list_membership_event_p202703");
        assertThat(partitions.splitDefault()).as("2025-06 of the four tables").isEqualTo(4);
        assertThat(partitionOf("score_ledger", ledger[0])).isEqualTo("score_ledger_p202506");
        assertThat(partitionOf("stage_transition", transitions[0])).isEqualTo("stage_transition_p202506");
        assertThat(partitionOf("list_membership_event", events[0])).isEqualTo("list_membership_event_p202506");

        String before = outcome(old, recent, list);
        LifecycleQuery cohort = new LifecycleQuery(
                LocalDate.parse("2025-01-01"), LocalDate.parse("2027-03-15"), View.COHORT, Model.STAGES, null, null);
        LifecycleQuery flow = new LifecycleQuery(
                LocalDate.parse("2025-01-01"), LocalDate.parse("2027-03-15"), View.FLOW, Model.STAGES, null, null);
        LifecycleFunnel cohortBefore = LifecycleReports.run(dataSource, clock, cohort);
        LifecycleFunnel flowBefore = LifecycleReports.run(dataSource, clock, flow);
        assertThat(cohortBefore.total().steps())
                .filteredOn(step -> List.of("CAPTURED", "MQL").contains(step.stage()))
                .extracting(LifecycleFunnel.Step::count)
                .as("captured, MQL")
                .containsExactly(2L, 1L);

        assertThat(partitions.retain())
                .containsExactly(
                        "activity_p202506",
                        "score_ledger_p202506",
                        "stage_transition_p202506",
                        "list_membership_event_p202506");

        // the old months are tables of their own for the archive, out of the history
        assertThat(jdbc.sql("SELECT id FROM archived_score_ledger_p202506")
                        .query(Long.class)
                        .list())
                .containsExactly(ledger[0]);
        assertThat(jdbc.sql("SELECT id FROM archived_stage_transition_p202506")
                        .query(Long.class)
                        .list())
                .containsExactly(transitions[0]);
        assertThat(jdbc.sql("SELECT id FROM archived_list_membership_event_p202506")
                        .query(Long.class)
                        .list())
                .containsExactly(events[0]);
        assertThat(jdbc.sql("SELECT id FROM score_ledger ORDER BY id")
                        .query(Long.class)
                        .list())
                .containsExactly(ledger[1]);
        assertThat(jdbc.sql("SELECT id FROM stage_transition ORDER BY id")
                        .query(Long.class)
                        .list())
                .containsExactly(transitions[1], transitions[2]);
        assertThat(jdbc.sql("SELECT id FROM list_membership_event ORDER BY id")
                        .query(Long.class)
                        .list())
                .containsExactly(events[1]);
        // scores, stages, stages reached and list memberships are where they live, untouched; the report likewise
        assertThat(outcome(old, recent, list)).isEqualTo(before);
        LifecycleFunnel cohortAfter = LifecycleReports.run(dataSource, clock, cohort);
        LifecycleFunnel flowAfter = LifecycleReports.run(dataSource, clock, flow);
        assertThat(cohortAfter.total()).isEqualTo(cohortBefore.total());
        assertThat(flowAfter.total()).isEqualTo(flowBefore.total());

        // new rows go on landing in their months
        long next = ledger(old, "2027-03-15T12:00:00Z", "MANUAL", 1, 41, null);
        assertThat(partitionOf("score_ledger", next)).isEqualTo("score_ledger_p202703");
        assertThat(next).isGreaterThan(ledger[1]);
    }

    @Test
    void theMigrationKeepsTheExistingLedgerTransitionsAndListHistoryAsTheirOldPartitions() {
        emptyDatabase();
        Flyway.configure()
                .dataSource(dataSource)
                .target(MigrationVersion.fromVersion("610"))
                .load()
                .migrate();
        long p = prospect("legacy@history.example", "2026-01-10T00:00:00Z", "CAPTURED", 5);
        long list = jdbc.sql("""
                        INSERT INTO list (name, kind, created_at, updated_at)
                        VALUES ('Legacy', 'STATIC', now(), now()) RETURNING id""").query(Long.class).single();
        for (int i = 1; i <= 30; i++) {
            String at = "now() - interval '" + (i * 10) + " days'";
            jdbc.sql("INSERT INTO score_ledger (prospect_id, at, kind, delta, result) VALUES (:p, " + at
                            + ", 'MANUAL', 1, :i)")
                    .param("p", p)
                    .param("i", i)
                    .update();
            jdbc.sql(
                            "INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause) VALUES (:p, 'A', 'B', "
                                    + at + ", 'test')")
                    .param("p", p)
                    .update();
            jdbc.sql("INSERT INTO list_membership_event (list_id, prospect_id, at, change, reason) VALUES (:l, :p, "
                            + at + ", 'JOINED', 'manual')")
                    .param("l", list)
                    .param("p", p)
                    .update();
        }
        // a ledger entry dated after next month: not kept in the old table
        jdbc.sql("INSERT INTO score_ledger (prospect_id, at, kind, delta, result)"
                        + " VALUES (:p, now() + interval '2 years', 'MANUAL', 1, 31)")
                .param("p", p)
                .update();
        List<String> tables = List.of("score_ledger", "stage_transition", "list_membership_event");
        Map<String, List<String>> before = new LinkedHashMap<>();
        tables.forEach(t -> before.put(t, rows(t)));

        Flyway.configure().dataSource(dataSource).load().migrate();

        for (String table : tables) {
            assertThat(rows(table)).as(table).isEqualTo(before.get(table));
            assertThat(jdbc.sql("SELECT relkind::text FROM pg_class WHERE oid = CAST(:t AS regclass)")
                            .param("t", table)
                            .query(String.class)
                            .single())
                    .as(table + " is partitioned")
                    .isEqualTo("p");
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE tableoid = CAST(:t AS regclass)")
                            .param("t", table + "_legacy")
                            .query(Long.class)
                            .single())
                    .as(table + "'s old table holds its rows")
                    .isEqualTo(30);
            // the indexes of the old table became the partitioned table's
            assertThat(jdbc.sql("SELECT count(*) FROM pg_indexes WHERE tablename = :t")
                            .param("t", table)
                            .query(Long.class)
                            .single())
                    .isEqualTo(jdbc.sql("SELECT count(*) FROM pg_indexes WHERE tablename = :t")
                            .param("t", table + "_legacy")
                            .query(Long.class)
                            .single());
        }
        // the identity goes on after the old table's last id; the keys and checks hold
        long next = ledger(p, "2026-02-01T00:00:00Z", "MANUAL", 1, 32, null);
        assertThat(next).isEqualTo(32);
        assertThat(transition(p, "B", "C", "2026-02-01T00:00:00Z")).isEqualTo(31);
        assertThat(listEvent(list, p, "2026-02-01T00:00:00Z", "LEFT")).isEqualTo(31);
        assertThatThrownBy(() -> listEvent(list, p, "2026-02-01T00:00:00Z", "STAYED"))
                .as("the check of list_membership_event.change")
                .isInstanceOf(DataIntegrityViolationException.class);
        // the ledger names its prospect without a foreign key since V710 (its writers hold the prospect's row), and a
        // prospect its entries name is still not deleted
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM prospect WHERE id = :p")
                        .param("p", p)
                        .update())
                .as("the ledger's restriction on deleting its prospect")
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("score_ledger");
        // deleting a list still deletes its history, in the old partition and the new
        jdbc.sql("DELETE FROM list WHERE id = :l").param("l", list).update();
        assertThat(jdbc.sql("SELECT count(*) FROM list_membership_event")
                        .query(Long.class)
                        .single())
                .isZero();
        // no trigger on the transitions makes journeys (they come from stage_reached): the one trigger there keeps
        // the prospect's last stage change on its row (V690), which archiving old months leaves as it is
        assertThat(jdbc.sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
                                + " AND tgrelid IN ('stage_transition'::regclass, 'stage_transition_legacy'::regclass)")
                        .query(String.class)
                        .list())
                .containsExactly("prospect_stage_changed");
    }

    private long prospect(String email, String capturedAt, String stage, int score) {
        return jdbc.sql("""
                        INSERT INTO prospect (email, stage, score, captured_at, created_at, updated_at)
                        VALUES (:email, :stage, :score, :at, :at, :at) RETURNING id""")
                .param("email", email)
                .param("stage", stage)
                .param("score", score)
                .param("at", Timestamp.from(Instant.parse(capturedAt)))
                .query(Long.class)
                .single();
    }

    private long ledger(long prospect, String at, String kind, int delta, int result, Long activity) {
        return jdbc.sql("""
                        INSERT INTO score_ledger (prospect_id, at, kind, delta, result, activity_id)
                        VALUES (:p, :at, :kind, :delta, :result, :activity) RETURNING id""")
                .param("p", prospect)
                .param("at", Timestamp.from(Instant.parse(at)))
                .param("kind", kind)
                .param("delta", delta)
                .param("result", result)
                .param("activity", activity)
                .query(Long.class)
                .single();
    }

    private void reached(long prospect, String stage, String at) {
        jdbc.sql("INSERT INTO stage_reached (prospect_id, stage, first_entered_at) VALUES (:p, :stage, :at)")
                .param("p", prospect)
                .param("stage", stage)
                .param("at", Timestamp.from(Instant.parse(at)))
                .update();
    }

    private long transition(long prospect, String from, String to, String at) {
        return jdbc.sql("""
                        INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                        VALUES (:p, :from, :to, :at, 'test') RETURNING id""")
                .param("p", prospect)
                .param("from", from)
                .param("to", to)
                .param("at", Timestamp.from(Instant.parse(at)))
                .query(Long.class)
                .single();
    }

    private long listEvent(long list, long prospect, String at, String change) {
        return jdbc.sql("""
                        INSERT INTO list_membership_event (list_id, prospect_id, at, change, reason)
                        VALUES (:l, :p, :at, :change, 'manual') RETURNING id""")
                .param("l", list)
                .param("p", prospect)
                .param("at", Timestamp.from(Instant.parse(at)))
                .param("change", change)
                .query(Long.class)
                .single();
    }

    /** What the history produced, as it stands: scores, stages, stages reached, journeys and list memberships. */
    private String outcome(long old, long recent, long list) {
        return jdbc.sql("""
                        SELECT string_agg(p.id || ':' || p.score || ':' || p.stage, ',' ORDER BY p.id)
                               || ' | ' || (SELECT string_agg(prospect_id || stage || first_entered_at, ',' ORDER BY prospect_id, stage)
                                              FROM stage_reached)
                               || ' | ' || (SELECT string_agg(j::text, ',' ORDER BY j.prospect_id) FROM stage_journey j)
                               || ' | ' || (SELECT string_agg(prospect_id || '@' || since, ',' ORDER BY prospect_id)
                                              FROM list_member WHERE list_id = :list)
                          FROM prospect p WHERE p.id IN (:old, :recent)""")
                .param("old", old)
                .param("recent", recent)
                .param("list", list)
                .query(String.class)
                .single();
    }

    /** Each row of a history table in id order, with its time. */
    private List<String> rows(String table) {
        return jdbc.sql("SELECT id || ' ' || prospect_id || ' ' || at FROM " + table + " ORDER BY id")
                .query(String.class)
                .list();
    }

    private String partitionOf(String table, long id) {
        return jdbc.sql("SELECT tableoid::regclass::text FROM " + table + " WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }

    private long insert(String externalId, String occurredAt) {
        Timestamp at = Timestamp.from(Instant.parse(occurredAt));
        jdbc.sql("INSERT INTO activity_key (external_id, occurred_at) VALUES (:x, :at)")
                .param("x", externalId)
                .param("at", at)
                .update();
        // queued, as the intake's accept stores it
        return jdbc.sql("""
                        WITH a AS (
                            INSERT INTO activity (external_id, type, occurred_at, received_at)
                            VALUES (:x, 'PAGE_VIEW', :at, :at) RETURNING id, occurred_at, received_at)
                        INSERT INTO activity_queue (activity_id, occurred_at, received_at)
                        SELECT id, occurred_at, received_at FROM a RETURNING activity_id""")
                .param("x", externalId)
                .param("at", at)
                .query(Long.class)
                .single();
    }

    private String partitionOf(long id) {
        return jdbc.sql("SELECT tableoid::regclass::text FROM activity WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }

    private List<String> partitionNames() {
        return jdbc.sql("SELECT name FROM activity_partitions ORDER BY lower")
                .query(String.class)
                .list();
    }

    private List<String> partitionNames(String table) {
        return jdbc.sql("SELECT name FROM history_partitions WHERE parent = :table ORDER BY lower")
                .param("table", table)
                .query(String.class)
                .list();
    }

    /** The queued activities' external ids, by the activities their queue rows find. */
    private List<String> queued() {
        return jdbc.sql("""
                        SELECT a.external_id FROM activity_queue q
                          JOIN activity a ON a.id = q.activity_id AND a.occurred_at = q.occurred_at
                         ORDER BY a.occurred_at""").query(String.class).list();
    }

    private List<String> externalIds() {
        return jdbc.sql("SELECT external_id FROM activity ORDER BY occurred_at")
                .query(String.class)
                .list();
    }

    private String table(String name) {
        return jdbc.sql("SELECT to_regclass(:name)::text")
                .param("name", name)
                .query(String.class)
                .optional()
                .orElse(null);
    }
}
