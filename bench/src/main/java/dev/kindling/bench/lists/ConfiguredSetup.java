package dev.kindling.bench.lists;

import dev.kindling.bench.harness.ApiClient;
import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.KeptSetup;
import dev.kindling.bench.ingest.W1Ingest;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The setup W4 and W5 share with {@code --data-dir}, kept there and made once ({@link KeptSetup}): the dataset's
 * campaigns, accounts and prospects and its first N activities as processed history ({@link ListWorkload#load}), the
 * app's migrations (the app started on it), and the configuration installed through the API, exactly as W4 makes
 * them on a fresh database; then the app is started once more on it, so its start-up grading of the bulk-loaded
 * prospects ({@code GradingBootstrap}) is part of the kept setup rather than of every run. Each run then measures on a
 * fresh copy of it, dropped after.
 */
public final class ConfiguredSetup {

    /** What the kept setup is: the data, and the configuration installed on it. */
    public record Spec(
            DatasetSize size, long seed, Instant periodEnd, long activities, W1Ingest.Configuration configuration) {

        /** The marker's line: every input of the setup, and nothing of the workload. */
        public String describe() {
            return "W4/W5 setup: size " + size + ", seed " + seed + ", end " + periodEnd + ", activities " + activities
                    + ", configuration " + configuration.rules() + " rules, " + configuration.lists() + " lists, "
                    + configuration.programs() + " programs";
        }
    }

    /** What a workload measures on the run's copy; {@code installed} is null when the kept setup was reused. */
    @FunctionalInterface
    public interface Measurement {
        String measure(AppProcess app, BenchDatabase database, Connection connection, Duration installed)
                throws Exception;
    }

    private ConfiguredSetup() {}

    /** The app's environment on the kept database: the admin key it was first started with. */
    private static Map<String, String> env(Path directory) throws java.io.IOException {
        return Map.of("KINDLING_ADMIN_API_KEY", KeptSetup.adminKey(directory));
    }

    /**
     * Starts PostgreSQL durable on {@code directory}, makes the setup there unless its marker says it is complete
     * (refusing another setup's directory before anything is started), copies it for the run, starts the app on the
     * copy and measures; the copy is dropped and the server stopped after. The server has {@code pg_stat_statements}
     * loaded if {@code statementStats} (W5's --statements).
     */
    public static String run(
            String name,
            Path directory,
            Spec spec,
            Path appJar,
            List<String> jvmArgs,
            Duration timeout,
            boolean statementStats,
            PrintStream log,
            Measurement measurement)
            throws Exception {
        Duration[] installed = new Duration[1];
        return KeptSetup.run(
                directory,
                spec.describe(),
                name,
                statementStats,
                log,
                (server, template) -> installed[0] =
                        make(name, server, template, spec, appJar, jvmArgs, env(directory), timeout, log),
                (database, copy, reused) -> {
                    try (AppProcess app = AppProcess.start(
                                    appJar,
                                    database.jdbcUrl(copy),
                                    BenchDatabase.USER,
                                    BenchDatabase.PASSWORD,
                                    jvmArgs,
                                    env(directory));
                            Connection connection = database.connect(copy)) {
                        log.println(name + ": app is up at " + app.baseUri() + " on the copy (log: " + app.log() + ")");
                        try {
                            return measurement.measure(app, database, connection, installed[0]);
                        } catch (Exception e) {
                            log.println(name + " failed; the app's last log lines:\n" + app.logTail(60));
                            throw e;
                        }
                    }
                });
    }

    /** Makes the setup in {@code template}; answers how long installing the configuration took. */
    private static Duration make(
            String name,
            BenchDatabase database,
            String template,
            Spec spec,
            Path appJar,
            List<String> jvmArgs,
            Map<String, String> env,
            Duration timeout,
            PrintStream log)
            throws Exception {
        Dataset dataset = Dataset.of(spec.size(), spec.seed(), spec.periodEnd());
        Duration installed;
        try (AppProcess app = AppProcess.start(
                        appJar, database.jdbcUrl(template), BenchDatabase.USER, BenchDatabase.PASSWORD, jvmArgs, env);
                Connection connection = database.connect(template)) {
            long t = System.nanoTime();
            long copied = ListWorkload.load(dataset, spec.activities(), connection);
            log.printf(
                    "%s: loaded %,d prospects and %,d processed activities in %s%n",
                    name, spec.size().prospects(), copied, Duration.ofNanos(System.nanoTime() - t));
            installed = spec.configuration().install(new ApiClient(app.baseUri(), app.apiKey(), timeout), name, log);
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM (ANALYZE)");
            }
        }
        // the app's start-up work on the bulk-loaded data (grading every prospect without a grading profile) belongs
        // to the setup: done once here, not again on every run's copy
        long t = System.nanoTime();
        try (AppProcess app = AppProcess.start(
                appJar, database.jdbcUrl(template), BenchDatabase.USER, BenchDatabase.PASSWORD, jvmArgs, env)) {
            log.printf(
                    "%s: the app's second start on the setup took %s%n", name, Duration.ofNanos(System.nanoTime() - t));
        }
        try (Connection connection = database.connect(template);
                Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        }
        return installed;
    }
}
