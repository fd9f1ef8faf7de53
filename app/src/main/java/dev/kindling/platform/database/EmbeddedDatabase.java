package dev.kindling.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database: PostgreSQL run from the binaries shipped in a jar, keeping its data in
 * {@code KINDLING_DATA_DIR} across restarts, with fsync and synchronous commit on so that an
 * accepted request survives a crash. A postmaster left running by a killed instance is stopped
 * before starting, so {@code kill -9} followed by a restart just works.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL on a free port, durable, with its data in {@code dataDir}. */
    public static EmbeddedDatabase start(Path dataDir) {
        return start(dataDir, true);
    }

    /** As {@link #start(Path)}; {@code durable=false} turns fsync off, for throw-away test databases. */
    public static EmbeddedDatabase start(Path dataDir, boolean durable) {
        try {
            Files.createDirectories(dataDir);
            stopOrphanedPostmaster(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setLocaleConfig("locale", "C.UTF-8")
                    .setLocaleConfig("encoding", "UTF8")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "256MB")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // stopped by its owner's close (the app's: after every component using the database has stopped),
                    // not by a JVM shutdown hook of its own: the JVM runs its hooks at once, and an orderly stop
                    // (SIGTERM) ended the server under the app's graceful shutdown (its last requests, the intake's
                    // batch, the listeners: "terminating connection due to administrator command")
                    .setRegisterShutdownHook(false)
                    .start();
            log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), dataDir);
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * A postmaster whose JVM was killed keeps running and holds the data directory; its pid is
     * the first line of {@code postmaster.pid}. A fast shutdown (SIGINT) is safe: PostgreSQL
     * has already made every committed transaction durable.
     */
    private static void stopOrphanedPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive() || !isPostgres(process.get())) {
            return;
        }
        log.warn("Stopping PostgreSQL (pid {}) left running by an earlier instance on {}", pid, dataDir);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
            Instant deadline = Instant.now().plusSeconds(60);
            while (process.get().isAlive() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.get().isAlive()) {
            throw new IllegalStateException("PostgreSQL pid " + pid + " still holds " + dataDir);
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("postgres")).orElse(true);
    }
}
