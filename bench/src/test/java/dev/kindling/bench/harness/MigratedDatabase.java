package dev.kindling.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database of its own with the app's schema, for a test: a copy of a template migrated once for the test JVM, on the
 * one PostgreSQL (fsync off) the module's tests share, dropped on close. Each test class used to start a PostgreSQL of
 * its own and apply every migration to it (docs/testing.md); a copy is a fresh database all the same — the same
 * tables, nothing in them but what the migrations insert, sequences at their start. The server is stopped at once and
 * its directory removed when the JVM ends.
 */
public final class MigratedDatabase implements AutoCloseable {

    private static final String TEMPLATE = "kindling_migrated";
    private static final AtomicInteger NEXT = new AtomicInteger();

    /** Started by the first test that asks for a database, stopped when the JVM ends. */
    private static BenchDatabase server;

    private final String name;

    private MigratedDatabase(String name) {
        this.name = name;
    }

    /** A new database with every migration applied, as the app would have it after its first start. */
    public static MigratedDatabase create() throws SQLException, IOException {
        BenchDatabase shared = server();
        String name = "test_" + NEXT.incrementAndGet();
        try (Connection connection = shared.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        }
        return new MigratedDatabase(name);
    }

    private static synchronized BenchDatabase server() throws SQLException, IOException {
        if (server == null) {
            Path dataDirectory = Files.createTempDirectory("kindling-bench-test-pg");
            BenchDatabase started = BenchDatabase.startFast(dataDirectory);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> discard(dataDirectory)));
            try (Connection connection = started.connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + TEMPLATE);
            }
            // no connection is left on the template: a database is copied only from one nobody is connected to
            started.migrate(Path.of("../app/src/main/resources/db/migration"), TEMPLATE);
            server = started;
        }
        return server;
    }

    /**
     * Stops the server at once (an immediate shutdown: no checkpoint, the data is thrown away) and removes its data
     * directory, in a process that outlives the JVM, as the app's tests do with theirs ({@code TestDatabase}): the
     * library's close (a fast stop, its checkpoint, then the removal) had held the end of the module's tests about a
     * second. Its output goes nowhere, so the build does not wait for it.
     */
    private static void discard(Path dataDirectory) {
        try {
            String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                    .getFirst()
                    .strip();
            new ProcessBuilder(
                            "sh",
                            "-c",
                            "kill -QUIT \"$1\"; while kill -0 \"$1\" 2>/dev/null; do sleep 0.05; done; rm -rf \"$2\"",
                            "discard",
                            pid,
                            dataDirectory.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            // the JVM is going away; the directory stays in the temporary directory
        }
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** Drops the database and whatever is still connected to it. */
    @Override
    public void close() throws SQLException {
        try (Connection connection = server.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE " + name + " WITH (FORCE)");
        }
    }
}
