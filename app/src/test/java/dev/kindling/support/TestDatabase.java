package dev.kindling.support;

import dev.kindling.platform.database.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** One throw-away PostgreSQL per test JVM (fsync off), shared by every Spring context. */
public final class TestDatabase {

    private static EmbeddedDatabase database;

    private TestDatabase() {
    }

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
}
