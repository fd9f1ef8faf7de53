package dev.kindling.support;

import com.zaxxer.hikari.HikariDataSource;
import dev.kindling.platform.database.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.springframework.boot.SpringApplication;

/** One throw-away PostgreSQL per test JVM (fsync off), shared by every Spring context. */
public final class TestDatabase {

    private static EmbeddedDatabase database;
    private static String migratedTemplate;
    private static String shared;

    private TestDatabase() {}

    /**
     * The shared context's database ({@link IntegrationTest}): a copy of the migrated template
     * ({@link #createMigrated}), made once for the JVM, so its app's Flyway finds every migration applied — the
     * template is migrated in every whole run anyway (the moving-clock context copies it), and the shared context had
     * applied every migration to a database of its own again (about a second of CPU; docs/testing.md).
     */
    public static synchronized String shared() {
        if (shared == null) {
            shared = createMigrated("shared");
        }
        return shared;
    }

    /** The test server's own database, the server's JDBC URL for creating others. */
    public static synchronized String url() {
        if (database == null) {
            Path dataDir;
            try {
                dataDir = Files.createTempDirectory("kindling-test-pg");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            database = EmbeddedDatabase.start(dataDir, false);
            // stopped and removed when the JVM ends: the embedded server keeps its data directory (the app's data), and
            // a whole run's was about half a gigabyte left in the temporary directory each time. Run by Spring's
            // shutdown hook after it has closed every cached context, not by a JVM hook of its own: the JVM runs its
            // hooks at once, and a context closing against a stopped server waited for its intake threads (blocked on
            // a connection) 15 s — 17–27 s between a whole run's last test and the JVM's end
            SpringApplication.getShutdownHandlers().add(() -> discard(dataDir));
        }
        return database.jdbcUrl();
    }

    /**
     * Stops the server at once (an immediate shutdown: no checkpoint, the data is thrown away) and removes its data
     * directory, in a process that outlives the JVM: the fast stop's checkpoint and the removal had held the end of a
     * whole run 3–5 s. Its output goes nowhere, so the build does not wait for it.
     */
    private static void discard(Path dataDir) {
        try {
            String pid = Files.readAllLines(dataDir.resolve("postmaster.pid"))
                    .getFirst()
                    .strip();
            new ProcessBuilder(
                            "sh",
                            "-c",
                            "kill -QUIT \"$1\"; while kill -0 \"$1\" 2>/dev/null; do sleep 0.05; done; rm -rf \"$2\"",
                            "discard",
                            pid,
                            dataDir.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            // the JVM is going away; the directory stays in the temporary directory
        }
    }

    /**
     * A new, empty database on the same server, for a Spring context that must not share rows with the others (its
     * app migrates it on start); returns its JDBC URL. The name starts with {@code prefix}.
     */
    public static String createOwn(String prefix) {
        return create(prefix, "");
    }

    /**
     * A new database on the same server with every migration applied, as Flyway leaves an empty one (the app's own
     * start, {@code Flyway.configure().dataSource(…).load().migrate()}): a copy of a template migrated once for the
     * JVM, instead of each test applying every migration (docs/testing.md). Returns its JDBC URL.
     */
    public static String createMigrated(String prefix) {
        return create(prefix, " TEMPLATE " + migratedTemplate());
    }

    private static String create(String prefix, String template) {
        String shared = url();
        String name =
                prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(shared, "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + template);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return shared.substring(0, shared.lastIndexOf('/') + 1) + name;
    }

    /** The migrated template's name: migrated by the first test that asks, with no connection left on it after. */
    private static synchronized String migratedTemplate() {
        if (migratedTemplate == null) {
            String url = createOwn("migrated_template");
            try (HikariDataSource pool = pool(url, "migrated_template")) {
                Flyway.configure().dataSource(pool).load().migrate();
            }
            migratedTemplate = url.substring(url.lastIndexOf('/') + 1);
        }
        return migratedTemplate;
    }

    /**
     * A new, empty database on the same server ({@link #createOwn}) behind a small connection pool, for a test that
     * works on it without an app: a plain data source would open a new connection (a new server process) for every
     * statement, which cost a test of thousands of statements minutes. Close it after the class.
     */
    public static HikariDataSource ownDataSource(String prefix) {
        return pool(createOwn(prefix), prefix);
    }

    /** As {@link #ownDataSource}, on a database with every migration applied ({@link #createMigrated}). */
    public static HikariDataSource ownMigratedDataSource(String prefix) {
        return pool(createMigrated(prefix), prefix);
    }

    private static HikariDataSource pool(String url, String name) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername("postgres");
        pool.setPassword("postgres");
        pool.setMaximumPoolSize(4);
        pool.setPoolName(name);
        return pool;
    }
}
