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

    /**
     * Starts PostgreSQL with fsync and synchronous_commit off, for tests, never for figures: in {@code dataDirectory}
     * (initialised when empty, kept on close) and without the library's JVM shutdown hook, so that its owner stops it
     * (a test JVM's shared server, {@code MigratedDatabase}, stops it at once at the JVM's end instead of waiting for
     * a checkpoint and the directory's removal).
     */
    public static BenchDatabase startFast(java.nio.file.Path dataDirectory) {
        return start(false, false, dataDirectory, null, null, false);
    }

    /**
     * Starts PostgreSQL durable for a profile at size (W7's {@code --data-dir} and {@code --auto-explain}).
     *
     * @param dataDirectory the data directory to use and keep after close (an existing one is started as it is, not
     *     initialised again), or null for a temporary one deleted on close
     * @param autoExplain with {@code auto_explain} loaded (off until {@link #explainSlowStatements}), the plan (actual
     *     times, rows and buffers) of every statement, nested ones too, that takes at least this long goes to the
     *     server's log in {@code logDirectory}; null for none
     * @param logDirectory where the server writes its log ({@code postgresql-*.log}) when {@code autoExplain} is set
     */
    public static BenchDatabase startDurable(
            java.nio.file.Path dataDirectory, java.time.Duration autoExplain, java.nio.file.Path logDirectory) {
        return start(true, false, dataDirectory, autoExplain, logDirectory);
    }

    /** Starts PostgreSQL durable on a kept {@code dataDirectory}, with {@code pg_stat_statements} if asked. */
    public static BenchDatabase startDurable(java.nio.file.Path dataDirectory, boolean statementStats) {
        return start(true, statementStats, dataDirectory, null, null);
    }

    /**
     * Starts PostgreSQL durable in a temporary data directory, with {@code pg_stat_statements} loaded if {@code
     * statementStats} and {@code auto_explain} if {@code autoExplain} is set (W1's {@code --statements} and {@code
     * --auto-explain}; the parameters as in {@link #startDurable(java.nio.file.Path, java.time.Duration,
     * java.nio.file.Path)}).
     */
    public static BenchDatabase startDurable(
            boolean statementStats, java.time.Duration autoExplain, java.nio.file.Path logDirectory) {
        return start(true, statementStats, null, autoExplain, logDirectory);
    }

    private static BenchDatabase start(boolean durable, boolean statementStats) {
        return start(durable, statementStats, null, null, null);
    }

    private static BenchDatabase start(
            boolean durable,
            boolean statementStats,
            java.nio.file.Path dataDirectory,
            java.time.Duration autoExplain,
            java.nio.file.Path logDirectory) {
        return start(durable, statementStats, dataDirectory, autoExplain, logDirectory, true);
    }

    private static BenchDatabase start(
            boolean durable,
            boolean statementStats,
            java.nio.file.Path dataDirectory,
            java.time.Duration autoExplain,
            java.nio.file.Path logDirectory,
            boolean libraryShutdownHook) {
        String onOff = durable ? "on" : "off";
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(libraryShutdownHook);
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            } else {
                builder.setCleanDataDirectory(true);
            }
            if (autoExplain != null) {
                Files.createDirectories(logDirectory);
                // auto_explain.log_min_duration stays at its default, -1 (off), until explainSlowStatements sets it:
                // not on the command line, which would override ALTER SYSTEM
                builder.setServerConfig("auto_explain.log_analyze", "on")
                        .setServerConfig("auto_explain.log_buffers", "on")
                        .setServerConfig("track_io_timing", "on")
                        .setServerConfig("auto_explain.log_timing", "on")
                        .setServerConfig("auto_explain.log_nested_statements", "on")
                        .setServerConfig("auto_explain.log_parameter_max_length", "200")
                        .setServerConfig("logging_collector", "on")
                        .setServerConfig(
                                "log_directory", logDirectory.toAbsolutePath().toString());
            }
            String libraries = preloadLibraries(statementStats, autoExplain != null);
            if (libraries != null) {
                builder.setServerConfig("shared_preload_libraries", libraries);
            }
            if (statementStats) {
                builder.setServerConfig("pg_stat_statements.max", "5000")
                        .setServerConfig("pg_stat_statements.track_planning", "on");
            }
            return new BenchDatabase(builder.setLocaleConfig("locale", "C.UTF-8")
                    .setLocaleConfig("encoding", "UTF8")
                    .setServerConfig("fsync", onOff)
                    .setServerConfig("synchronous_commit", onOff)
                    .setServerConfig("full_page_writes", onOff)
                    .setServerConfig("max_connections", "100")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /** The value of {@code shared_preload_libraries}: one setting names every library to load, or null for none. */
    static String preloadLibraries(boolean statementStats, boolean autoExplain) {
        java.util.List<String> libraries = new java.util.ArrayList<>();
        if (statementStats) {
            libraries.add("pg_stat_statements");
        }
        if (autoExplain) {
            libraries.add("auto_explain");
        }
        return libraries.isEmpty() ? null : String.join(",", libraries);
    }

    /**
     * From now on, {@code auto_explain} logs the plan of every statement of any session that takes at least {@code
     * threshold} (the database must have been started with it loaded); {@code null} turns it off again. Set with
     * {@code ALTER SYSTEM} and a reload, not while loading: its instrumentation would slow the setup's statements.
     */
    public void explainSlowStatements(java.time.Duration threshold) throws SQLException {
        try (Connection connection = connect()) {
            explainSlowStatements(connection, threshold);
        }
    }

    /** As above, through a superuser {@code connection} to the server. */
    public static void explainSlowStatements(Connection connection, java.time.Duration threshold) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (threshold == null) {
                statement.execute("ALTER SYSTEM RESET auto_explain.log_min_duration");
            } else {
                statement.execute("ALTER SYSTEM SET auto_explain.log_min_duration = '" + threshold.toMillis() + "ms'");
            }
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    /**
     * The statistics of what a workload's setup loaded: every table but the partitioned history's (and its parents,
     * whose {@code ANALYZE} goes into every partition). The months' partitions are left as the app's partition job
     * makes them, never analyzed, until autovacuum analyzes the rows the run writes: an {@code ANALYZE} of the whole
     * database recorded the empty ones as empty, and for the first minute of the run (autovacuum's pace) the planner
     * read each as an empty table — in the closed loop summary's band read a sequential scan of a month's partition
     * for each window it read, 465 ms a call and 75 % of the database's time in W1 without rules
     * (docs/benchmarks.md).
     */
    public static void analyzeLoaded(Connection connection) throws SQLException {
        List<String> tables = new java.util.ArrayList<>();
        try (Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("""
                        SELECT format('%I.%I', n.nspname, c.relname)
                          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE c.relkind = 'r' AND NOT c.relispartition AND n.nspname = current_schema()
                         ORDER BY 1""")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE " + String.join(", ", tables));
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** The JDBC URL of another database of this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public Connection connect() throws SQLException {
        return connect("postgres");
    }

    /** A connection to another database of this server. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    /**
     * Applies the app's Flyway migrations from {@code directory} in version order, as the app
     * would on start: for tests that need Kindling's tables without running the app.
     */
    public void migrate(Path directory) throws SQLException, IOException {
        migrate(directory, "postgres");
    }

    /** {@link #migrate(Path)} into another database of this server. */
    public void migrate(Path directory, String database) throws SQLException, IOException {
        List<Path> migrations;
        try (Stream<Path> files = Files.list(directory)) {
            migrations = files.filter(
                            f -> MIGRATION.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(BenchDatabase::version))
                    .toList();
        }
        try (Connection connection = connect(database);
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
