package dev.kindling.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A setup kept in a data directory (W4's and W5's {@code --data-dir}) and reused by later runs: PostgreSQL's data
 * directory holds the set-up database {@value #TEMPLATE}, made once, and a marker file naming the setup, written once
 * it is complete. Every run measures on a fresh file-level copy of it ({@code CREATE DATABASE} {@value #RUN} {@code
 * TEMPLATE} {@value #TEMPLATE} {@code STRATEGY FILE_COPY}: no replay), dropped after, so the runs that change the data
 * (W5's enrollments and burst, W4's list) all start from the same state. A directory whose marker names another setup
 * is refused before anything is started.
 */
public final class KeptSetup {

    /** The set-up database, copied for each run; nobody is connected to it outside {@link #make}. */
    public static final String TEMPLATE = "bench_setup";

    /** The copy a run measures on. */
    public static final String RUN = "bench_run";

    /** The file naming the setup, written once it is complete. */
    public static final String MARKER = "kindling-bench-kept-setup.txt";

    /** W7's marker ({@code AttributionWorkload}): its kept database is another setup. */
    static final String W7_MARKER = "kindling-bench-w7-setup.txt";

    /** The admin API key the app was first started with (the app creates it on its first start only). */
    static final String ADMIN_KEY = "kindling-bench-admin-key.txt";

    /** Makes the setup in the named (empty, new) database of the server. */
    @FunctionalInterface
    public interface Maker {
        void make(BenchDatabase server, String database) throws Exception;
    }

    /** Measures on the run's copy, {@value #RUN}; {@code reused} whether the kept setup was there already. */
    @FunctionalInterface
    public interface OnCopy<T> {
        T run(BenchDatabase database, String copy, boolean reused) throws Exception;
    }

    /**
     * The whole of a run with a kept setup: refuses a directory holding another setup (before anything is started),
     * starts PostgreSQL durable on {@code directory} (kept after), makes the setup there unless its marker says it is
     * complete, copies it to {@value #RUN}, measures on the copy, and drops the copy; the server with
     * {@code pg_stat_statements} loaded if {@code statementStats} (W5's --statements).
     */
    public static <T> T run(
            Path directory,
            String setup,
            String name,
            boolean statementStats,
            PrintStream log,
            Maker maker,
            OnCopy<T> onCopy)
            throws Exception {
        KeptSetup kept = open(directory, setup);
        try (BenchDatabase database = BenchDatabase.startDurable(directory, statementStats)) {
            if (kept.ready()) {
                log.printf("%s: reusing the kept setup in %s (%s)%n", name, directory, kept.describe());
            } else {
                log.printf("%s: making the kept setup in %s (%s)%n", name, directory, kept.describe());
                kept.make(database, maker);
            }
            copyForRun(database, log, name);
            try {
                return onCopy.run(database, RUN, kept.ready());
            } finally {
                dropRun(database);
            }
        }
    }

    private final Path directory;
    private final String setup;
    private final boolean ready;

    private KeptSetup(Path directory, String setup, boolean ready) {
        this.directory = directory;
        this.setup = setup;
        this.ready = ready;
    }

    /**
     * Opens the kept directory for the setup named {@code setup} (one line: what the data and the configuration are),
     * before its database is started; refuses a directory whose marker names another setup.
     */
    public static KeptSetup open(Path directory, String setup) throws IOException {
        String line = setup.strip() + "\n";
        Path w7 = directory.resolve(W7_MARKER);
        if (Files.isRegularFile(w7)) {
            throw new IllegalStateException("--data-dir " + directory + " holds W7's setup ("
                    + Files.readString(w7).strip() + "), not " + line.strip() + ": use another directory");
        }
        Path marker = directory.resolve(MARKER);
        if (Files.isRegularFile(marker)) {
            String kept = Files.readString(marker);
            if (!kept.equals(line)) {
                throw new IllegalStateException("--data-dir " + directory + " holds another setup (" + kept.strip()
                        + "), not " + line.strip() + ": use another directory, or delete this one to make it again");
            }
            return new KeptSetup(directory, line, true);
        }
        return new KeptSetup(directory, line, false);
    }

    /** Whether the setup is complete in the directory (a run skips making it). */
    public boolean ready() {
        return ready;
    }

    public String describe() {
        return setup.strip();
    }

    /**
     * The admin API key every app started on a kept database must use (W4's and W5's, W7's): made on the first call,
     * kept after.
     */
    public static String adminKey(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path keyFile = directory.resolve(ADMIN_KEY);
        if (!Files.isRegularFile(keyFile)) {
            Files.writeString(keyFile, AppProcess.secret());
        }
        return Files.readString(keyFile).strip();
    }

    /**
     * Makes the setup in a new {@value #TEMPLATE} (one left by an interrupted setup is dropped first), checkpoints, and
     * writes the marker. No connection may be left on the template when {@code maker} returns.
     */
    public void make(BenchDatabase database, Maker maker) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + TEMPLATE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + TEMPLATE);
        }
        maker.make(database, TEMPLATE);
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        }
        Files.writeString(directory.resolve(MARKER), setup);
    }

    /**
     * A fresh {@value #RUN}, a file-level copy of the set-up database (one left by an interrupted run is dropped
     * first); answers how long the copy took.
     */
    public static Duration copyForRun(BenchDatabase database, PrintStream log, String name) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + RUN + " WITH (FORCE)");
            long t = System.nanoTime();
            statement.execute("CREATE DATABASE " + RUN + " TEMPLATE " + TEMPLATE + " STRATEGY FILE_COPY");
            Duration took = Duration.ofNanos(System.nanoTime() - t);
            log.printf("%s: copied the kept setup %s to %s in %s%n", name, TEMPLATE, RUN, took);
            return took;
        }
    }

    /** Drops the run's copy (the app using it must be stopped). */
    public static void dropRun(BenchDatabase database) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + RUN + " WITH (FORCE)");
        }
    }
}
