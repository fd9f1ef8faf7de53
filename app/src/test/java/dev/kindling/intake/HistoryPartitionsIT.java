package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The monthly partitions of {@code activity} against a database of each test's own (the retention drops partitions,
 * which no shared database may see): made ahead as the clock moves, old-dated activities kept in the default partition
 * and moved into their month, the retention dropping or detaching whole months with their keys, and the migration of
 * an existing table.
 */
class HistoryPartitionsIT {

    private static final Instant NOW = Instant.parse("2027-03-15T12:00:00Z");

    HikariDataSource dataSource;
    JdbcClient jdbc;
    MutableClock clock;

    @BeforeEach
    void setUp() {
        dataSource = TestDatabase.ownDataSource("history");
        jdbc = JdbcClient.create(dataSource);
        clock = new MutableClock(NOW);
    }

    @AfterEach
    void closePool() {
        dataSource.close();
    }

    /** Migrates, then drops the partitions the migration made by the wall clock: the tests' months are their clock's. */
    private void migrate() {
        Flyway.configure().dataSource(dataSource).load().migrate();
        for (String name : partitionNames()) {
            jdbc.sql("DROP TABLE " + name).update();
        }
        assertThat(partitionNames()).isEmpty();
    }

    private HistoryPartitions partitions(int retentionMonths, boolean archive) {
        return new HistoryPartitions(
                jdbc, new DataSourceTransactionManager(dataSource), clock, retentionMonths, archive);
    }

    @Test
    void partitionsAreMadeAheadOfTheClockMonthByMonth() {
        migrate();
        HistoryPartitions partitions = partitions(0, false);

        assertThat(partitions.ahead()).isEqualTo(4);
        assertThat(partitionNames())
                .containsExactly("activity_p202703", "activity_p202704", "activity_p202705", "activity_p202706");

        clock.set(Instant.parse("2027-05-31T23:59:59Z"));
        assertThat(partitions.ahead()).isEqualTo(2);
        assertThat(partitionNames()).endsWith("activity_p202707", "activity_p202708");
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
        assertThat(partitions.defaultRows(10)).isEqualTo(3);

        assertThat(partitions.splitDefault()).isEqualTo(2);

        assertThat(partitionOf(a)).isEqualTo("activity_p201905");
        assertThat(partitionOf(b)).isEqualTo("activity_p201905");
        assertThat(partitionOf(c)).isEqualTo("activity_p201601");
        assertThat(partitions.defaultRows(10)).isZero();
        assertThat(jdbc.sql("SELECT external_id FROM activity WHERE id = :id")
                        .param("id", b)
                        .query(String.class)
                        .single())
                .isEqualTo("old-b");
        // the pending ones are still the intake's queue, in id order
        assertThat(jdbc.sql("SELECT id FROM activity WHERE processed_at IS NULL ORDER BY id")
                        .query(Long.class)
                        .list())
                .containsExactly(a, b, c);
    }

    @Test
    void theRetentionDropsWholeMonthsOlderThanItAndTheirKeys() {
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
        assertThat(table("activity_p202506")).isNull();
        assertThat(partitionNames()).first().isEqualTo("activity_p202703");

        // a month later the next month goes: its rows get their partition, which is dropped
        clock.set(Instant.parse("2027-04-01T00:00:00Z"));
        assertThat(partitions.retain()).containsExactly("activity_p202603");
        assertThat(externalIds()).isEmpty();
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
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE tableoid = 'activity_legacy'::regclass")
                        .query(Long.class)
                        .single())
                .isEqualTo(100);
        // the identity goes on after the old table's last id
        long next = insert("after-migration", "2027-03-01T00:00:00Z");
        assertThat(next).isEqualTo(102);
    }

    private long insert(String externalId, String occurredAt) {
        Timestamp at = Timestamp.from(Instant.parse(occurredAt));
        jdbc.sql("INSERT INTO activity_key (external_id, occurred_at) VALUES (:x, :at)")
                .param("x", externalId)
                .param("at", at)
                .update();
        return jdbc.sql("""
                        INSERT INTO activity (external_id, type, occurred_at, received_at)
                        VALUES (:x, 'PAGE_VIEW', :at, :at) RETURNING id""")
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
