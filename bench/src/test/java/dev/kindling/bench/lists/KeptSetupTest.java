package dev.kindling.bench.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.KeptSetup;
import dev.kindling.bench.ingest.W1Ingest;
import dev.kindling.dataset.DatasetSize;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * W4's and W5's {@code --data-dir}, without the app: the setup (a stand-in for the app's schema and W4's load, and for
 * installing the configuration) is made by the first run only, every run measures on a fresh copy of it (so a run
 * that changes the data leaves the next one the same starting state), and a directory holding another setup is
 * refused without making anything. What is kept and copied is a whole database, whatever its tables: the stand-in is
 * a few tables (the history partitioned by month, as the app's) with W4's XS numbers of rows, not the app's 76
 * migrations and the dataset's load, which took most of the module's test time on a durable server (docs/testing.md);
 * W4's load itself into the app's schema is {@link ListTwinTest}'s.
 */
class KeptSetupTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
    private static final long ACTIVITIES = 2_000;
    private static final ConfiguredSetup.Spec SPEC =
            new ConfiguredSetup.Spec(DatasetSize.XS, 42, END, ACTIVITIES, new W1Ingest.Configuration(200, 50, 20));

    @TempDir
    Path directory;

    private final AtomicInteger made = new AtomicInteger();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    @Test
    void aSecondRunReusesTheSetupFromTheSameStartingStateAndAnotherSetupIsRefused() throws Exception {
        List<Long> first =
                KeptSetup.run(directory, SPEC.describe(), "W5", false, log, this::make, this::measureAndChange);
        assertThat(made).hasValue(1);
        assertThat(first.subList(0, 4)).containsExactly(1_000L, ACTIVITIES, 1L, 0L);
        assertThat(first.get(4)).isPositive();

        List<Long> second =
                KeptSetup.run(directory, SPEC.describe(), "W4", false, log, this::make, this::measureAndChange);
        assertThat(made).as("the configuration is not installed again").hasValue(1);
        assertThat(second)
                .as("the first run's changes were made on its copy only")
                .isEqualTo(first);
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .contains("W4: reusing the kept setup in " + directory)
                .contains("W4: copied the kept setup bench_setup to bench_run in");

        ConfiguredSetup.Spec other =
                new ConfiguredSetup.Spec(DatasetSize.XS, 43, END, ACTIVITIES, new W1Ingest.Configuration(200, 50, 20));
        assertThatThrownBy(() -> KeptSetup.run(
                        directory, other.describe(), "W4", false, log, this::make, this::measureAndChange))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds another setup (" + SPEC.describe() + "), not " + other.describe());
        assertThat(made).hasValue(1);
        assertThat(Files.readString(directory.resolve("kindling-bench-kept-setup.txt")))
                .isEqualTo(SPEC.describe() + "\n");
    }

    @Test
    void aDirectoryHoldingW7sKeptDatabaseIsRefusedBeforeAnythingStarts(@TempDir Path w7) throws Exception {
        Files.writeString(
                w7.resolve("kindling-bench-w7-setup.txt"), "size XS, seed 42, end " + END + ", activities 20000\n");

        assertThatThrownBy(
                        () -> KeptSetup.run(w7, SPEC.describe(), "W5", false, log, this::make, this::measureAndChange))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds W7's setup (size XS, seed 42");
        assertThat(made).hasValue(0);
        try (var files = Files.list(w7)) {
            assertThat(files).as("no database was made there").hasSize(1);
        }
    }

    /**
     * The setup: 1,000 prospects, {@value #ACTIVITIES} activities over two months' partitions and the prospects' latest
     * activity, and one "installed" row standing for the configuration.
     */
    private void make(BenchDatabase server, String template) throws Exception {
        made.incrementAndGet();
        try (Connection connection = server.connect(template);
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE prospect (id bigint PRIMARY KEY, email text NOT NULL, last_activity_at timestamptz);
                    CREATE TABLE activity (id bigint NOT NULL, prospect_id bigint NOT NULL REFERENCES prospect,
                                           occurred_at timestamptz NOT NULL) PARTITION BY RANGE (occurred_at);
                    CREATE TABLE activity_p202609 PARTITION OF activity
                        FOR VALUES FROM ('2026-09-01T00:00:00Z') TO ('2026-10-01T00:00:00Z');
                    CREATE TABLE activity_p202610 PARTITION OF activity
                        FOR VALUES FROM ('2026-10-01T00:00:00Z') TO ('2026-11-01T00:00:00Z');
                    INSERT INTO prospect (id, email)
                    SELECT g, 'p' || g || '@example.test' FROM generate_series(1, 1000) g;
                    INSERT INTO activity
                    SELECT g, 1 + g %% 1000, timestamptz '2026-09-01T00:00:00Z' + g * interval '30 minutes'
                      FROM generate_series(1, %d) g;
                    UPDATE prospect p SET last_activity_at = a.latest
                      FROM (SELECT prospect_id, max(occurred_at) AS latest FROM activity GROUP BY prospect_id) a
                     WHERE a.prospect_id = p.id;
                    CREATE TABLE bench_installed (id int);
                    INSERT INTO bench_installed VALUES (1)""".formatted(ACTIVITIES));
        }
    }

    /**
     * The starting state (prospects, activities, installed rows, rows a run adds), then what a run does to it: drops
     * half of the history, adds a row, changes every prospect.
     */
    private List<Long> measureAndChange(BenchDatabase server, String copy, boolean reused) throws SQLException {
        assertThat(copy).isEqualTo(KeptSetup.RUN);
        try (Connection connection = server.connect(copy);
                Statement statement = connection.createStatement()) {
            List<Long> state = List.of(
                    count(statement, "SELECT count(*) FROM prospect"),
                    count(statement, "SELECT count(*) FROM activity"),
                    count(statement, "SELECT count(*) FROM bench_installed"),
                    count(statement, "SELECT count(*) FROM bench_installed WHERE id = 2"),
                    count(statement, "SELECT count(*) FROM prospect WHERE last_activity_at IS NOT NULL"));
            statement.execute("DELETE FROM activity WHERE id % 2 = 0");
            statement.execute("INSERT INTO bench_installed VALUES (2)");
            statement.execute("UPDATE prospect SET last_activity_at = NULL");
            return state;
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet r = statement.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
