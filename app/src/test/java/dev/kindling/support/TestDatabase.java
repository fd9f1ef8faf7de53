package dev.kindling.support;

import com.zaxxer.hikari.HikariDataSource;
import dev.kindling.platform.database.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** One throw-away PostgreSQL per test JVM (fsync off), shared by every Spring context. */
public final class TestDatabase {

    private static EmbeddedDatabase database;

    private TestDatabase() {}

    public static synchronized String url() {
        if (database == null) {
            try {
                database = EmbeddedDatabase.start(Files.createTempDirectory("kindling-test-pg"), false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedDatabase started = database;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return database.jdbcUrl();
    }

    /**
     * A new, empty database on the same server, for a Spring context that must not share rows with the others (its
     * app migrates it on start); returns its JDBC URL. The name starts with {@code prefix}.
     */
    public static String createOwn(String prefix) {
        String shared = url();
        String name =
                prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(shared, "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return shared.substring(0, shared.lastIndexOf('/') + 1) + name;
    }

    /**
     * A new, empty database on the same server ({@link #createOwn}) behind a small connection pool, for a test that
     * works on it without an app: a plain data source would open a new connection (a new server process) for every
     * statement, which cost a test of thousands of statements minutes. Close it after the class.
     */
    public static HikariDataSource ownDataSource(String prefix) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(createOwn(prefix));
        pool.setUsername("postgres");
        pool.setPassword("postgres");
        pool.setMaximumPoolSize(4);
        pool.setPoolName(prefix);
        return pool;
    }
}
