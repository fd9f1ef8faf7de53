package dev.kindling.bench.harness;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throw-away embedded PostgreSQL in a temporary data directory, deleted on close. Benchmarks
 * run it durable (fsync and synchronous_commit on, as BENCHMARKS.md requires); tests may turn
 * durability off for speed.
 */
public final class BenchDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.*\\.sql");

    private final EmbeddedPostgres postgres;

    private BenchDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL with fsync and synchronous_commit on. */
    public static BenchDatabase startDurable() {
        return start(true, false);
    }

    /**
     * Starts PostgreSQL durable, with {@code pg_stat_statements} loaded (for a profile of the statements a run
     * sends: {@link StatementStats}).
     */
    public static BenchDatabase startDurable(boolean statementStats) {
        return start(true, statementStats);
    }

    /** Starts PostgreSQL with fsync and synchronous_commit off: for tests, never for figures. */
    public static BenchDatabase startFast() {
        return start(false, false);
    }

    private static BenchDatabase start(boolean durable, boolean statementStats) {
        String onOff = durable ? "on" : "off";
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (statementStats) {
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .setServerConfig("pg_stat_statements.max", "5000")
                        .setServerConfig("pg_stat_statements.track_planning", "on");
            }
            return new BenchDatabase(builder.setLocaleConfig("locale", "C.UTF-8")
                    .setLocaleConfig("encoding", "UTF8")
                    .setServerConfig("fsync", onOff)
                    .setServerConfig("synchronous_commit", onOff)
                    .setServerConfig("full_page_writes", onOff)
                    .setServerConfig("max_connections", "100")
                    .setCleanDataDirectory(true)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /**
     * Applies the app's Flyway migrations from {@code directory} in version order, as the app
     * would on start: for tests that need Kindling's tables without running the app.
     */
    public void migrate(Path directory) throws SQLException, IOException {
        List<Path> migrations;
        try (Stream<Path> files = Files.list(directory)) {
            migrations = files.filter(
                            f -> MIGRATION.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(BenchDatabase::version))
                    .toList();
        }
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (Path migration : migrations) {
                statement.execute(Files.readString(migration));
            }
        }
    }

    private static int version(Path migration) {
        Matcher matcher = MIGRATION.matcher(migration.getFileName().toString());
        matcher.matches();
        return Integer.parseInt(matcher.group(1));
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
