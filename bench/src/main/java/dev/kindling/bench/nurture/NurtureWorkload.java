package dev.kindling.bench.nurture;

import dev.kindling.bench.harness.ApiClient;
import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.CpuTime;
import dev.kindling.bench.harness.HeapReading;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.bench.harness.StatementStats;
import dev.kindling.bench.ingest.W1Ingest;
import dev.kindling.bench.lists.ConfiguredSetup;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.DatasetCopy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * W5, a burst of due nurture steps. Setup, not timed: the dataset's campaigns, accounts and prospects by COPY; the
 * program "WAIT 1 day → adjust score +1 → WAIT 1 day → END" created and started through the API (no recipient
 * lists, so the start enrolls nobody); then one enrollment per prospect at the first WAIT, set-based
 * ({@link NurtureTwin#enroll}): a tenth of them (the burst) parked, the rest due over the next 30 days; a copy of
 * the enrollments for the twin. Timed: one statement makes the whole burst due at the same instant (the app runs on
 * the real clock, so "due" is simply {@code due_at} set to now); from its commit, the enrollments still due are
 * counted every {@value #POLL_MILLIS} ms until none is left. Each drained enrollment passed the WAIT, ran the
 * ACTION and entered the second WAIT: one step transition (two executed steps). The twin ({@link NurtureTwin#run})
 * moves the same rows of the copy the same way, in batches of 500 (the sweep's former batch size).
 */
public final class NurtureWorkload {

    static final long POLL_MILLIS = 50;

    /**
     * What to run; {@code configuration} the rules, dynamic lists and running programs present during the burst (W1's
     * realistic configuration with {@code --with-rules 200 --with-lists 50 --with-programs 20}), installed through the
     * API after the prospects are loaded and before W5's program is created; {@code statements} the number of
     * statements to profile over the drain ({@code --statements N}, 0: none; see {@link StatementStats}); {@code
     * warmup} the enrollments of the warm-up program drained before the burst ({@code --warmup N}, 0: none).
     */
    public record Settings(
            DatasetSize size,
            long seed,
            Instant periodEnd,
            Path appJar,
            List<String> appJvmArgs,
            Duration timeout,
            W1Ingest.Configuration configuration,
            long activities,
            Path dataDirectory,
            int statements,
            int warmup) {

        /** The kept setup {@code --data-dir} names: W4's, so one kept setup serves both. */
        public ConfiguredSetup.Spec keptSetup() {
            return new ConfiguredSetup.Spec(size, seed, periodEnd, activities, configuration);
        }
    }

    /** The figures of one run. */
    record Result(
            Duration installed,
            long enrollments,
            long burst,
            Duration firstMoved,
            long leftAtFirst,
            Duration drain,
            NurtureTwin.Run twin,
            long atSecondWait,
            long twinAtSecondWait,
            long[] stepRuns,
            long ledger) {

        double transitionsPerSecond() {
            return burst / (drain.toNanos() / 1e9);
        }

        /**
         * Transitions per second between the first poll that saw a batch committed and the end: the sweeping rate
         * without the wait for the sweeper's tick. NaN when one poll saw the whole burst go.
         */
        double sweepingPerSecond() {
            return leftAtFirst == 0
                    ? Double.NaN
                    : leftAtFirst / (drain.minus(firstMoved).toNanos() / 1e9);
        }

        double ratio() {
            return drain.toNanos() / (double) Math.max(1, twin.elapsed().toNanos());
        }

        boolean verified() {
            return atSecondWait == burst
                    && twinAtSecondWait == burst
                    && twin.moved() == burst
                    && stepRuns[0] == burst
                    && stepRuns[1] == burst
                    && ledger == burst;
        }
    }

    private final Settings settings;
    private final PrintStream log;

    public NurtureWorkload(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        log.printf("W5: size %s, seed %d; starting PostgreSQL (fsync on)%n", settings.size(), settings.seed());
        if (settings.dataDirectory() != null) {
            return ConfiguredSetup.run(
                    "W5",
                    settings.dataDirectory(),
                    settings.keptSetup(),
                    settings.appJar(),
                    settings.appJvmArgs(),
                    settings.timeout(),
                    settings.statements() > 0,
                    log,
                    (app, database, connection, installed) -> {
                        Result result = burst(
                                new ApiClient(app.baseUri(), app.apiKey(), settings.timeout()),
                                connection,
                                installed,
                                CpuTime.of(app.pid(), connection));
                        return report(result, heap(app), connection, command);
                    });
        }
        return AppProcess.onDatabase(
                "W5",
                BenchDatabase.startDurable(settings.statements() > 0),
                settings.appJar(),
                settings.appJvmArgs(),
                java.util.Map.of(),
                log,
                (app, database, connection) -> {
                    Result result = measure(
                            dataset,
                            new ApiClient(app.baseUri(), app.apiKey(), settings.timeout()),
                            connection,
                            CpuTime.of(app.pid(), connection));
                    return report(result, heap(app), connection, command);
                });
    }

    private static String heap(AppProcess app) throws Exception {
        try {
            return HeapReading.afterFullGc(app.pid(), app.baseUri(), app.apiKey())
                    .describe();
        } catch (java.io.IOException e) {
            return "n/a (" + e.getMessage() + ")";
        }
    }

    Result measure(Dataset dataset, ApiClient api, Connection connection, CpuTime cpu) throws Exception {
        long started = System.nanoTime();
        Instant now = Instant.now();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaigns = copy.copyCampaigns(dataset.campaigns(), now);
        long[] accounts = copy.copyAccounts(dataset, now);
        long[] prospects = copy.copyProspects(dataset, accounts, campaigns, "import:bench");
        log.printf("W5: loaded %,d prospects in %s%n", prospects.length, since(started));
        Duration installed = settings.configuration().install(api, "W5", log);
        if (settings.configuration().any()) {
            BenchDatabase.analyzeLoaded(connection);
        }
        return burst(api, connection, installed, cpu);
    }

    /**
     * From W5's program on: the enrollments, the burst and the twin, on the loaded prospects with the configuration
     * installed; {@code installed} is null when the run reuses a kept setup.
     */
    Result burst(ApiClient api, Connection connection, Duration installed, CpuTime cpu) throws Exception {
        warmUp(api, connection);
        Instant now = Instant.now();
        long program = ApiClient.number(api.call("POST", "/api/v1/programs", NurtureTwin.PROGRAM, 201), "id");
        api.call("POST", "/api/v1/programs/" + program + "/start", null, 200);
        int version = (int) NurtureTwin.scalar(connection, "SELECT current_version FROM program WHERE id = " + program);

        long t = System.nanoTime();
        Instant parked = NurtureTwin.parked(now);
        long enrollments = NurtureTwin.enroll(connection, program, version, Instant.now(), parked);
        NurtureTwin.execute(connection, "ANALYZE program_enrollment");
        NurtureTwin.prepare(connection, program);
        log.printf(
                "W5: enrolled %,d prospects in program %d (and copied them for the twin) in %s%n",
                enrollments, program, since(t));
        NurtureTwin.execute(connection, "CHECKPOINT");
        if (settings.statements() > 0) {
            StatementStats.reset(connection);
        }
        CpuTime.Reading beforeRelease = cpu.read();

        // the burst: due at one instant, made visible at once by one committed statement
        Instant due = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long burst = NurtureTwin.release(connection, "program_enrollment", parked, due);
        // the drain's CPU is counted from the release's commit, as its time is: the release (one UPDATE of the whole
        // burst, about 1.9 s of the database's CPU at M) is the harness's work, not the sweep's (issue 16)
        CpuTime.Reading cpuBefore = cpu.read();
        long t0 = System.nanoTime();
        log.printf(
                "W5: %,d enrollments due at %s (release committed %s after that instant)%n",
                burst, due, Duration.between(due, Instant.now()));
        CpuTime.Reading release = cpuBefore.since(beforeRelease);
        log.printf(
                Locale.ROOT,
                "W5: CPU of the release: app %.2f s, database %.2f s%n",
                release.app().toNanos() / 1e9,
                release.database().toNanos() / 1e9);
        Duration firstMoved = null;
        long leftAtFirst = 0;
        long deadline = t0 + settings.timeout().toNanos();
        long lastReport = t0;
        // the enrollments still due are counted until the first batch is seen to go, and every 5 s for the log; in
        // between the poll only asks whether any is left: a count of M's 100,000 took 13 ms of the database's time a
        // poll, a fifth of a core beside the sweep it measures (issue 16)
        while (true) {
            boolean report = System.nanoTime() - lastReport > 5_000_000_000L;
            long left = firstMoved == null || report
                    ? NurtureTwin.remaining(connection, "program_enrollment", due)
                    : NurtureTwin.anyRemaining(connection, "program_enrollment", due) ? -1 : 0;
            long at = System.nanoTime();
            if (left == 0) {
                break;
            }
            if (firstMoved == null && left < burst) {
                firstMoved = Duration.ofNanos(at - t0);
                leftAtFirst = left;
            }
            if (at > deadline) {
                throw new IllegalStateException("the burst did not drain in " + settings.timeout() + ": "
                        + NurtureTwin.remaining(connection, "program_enrollment", due) + " of " + burst
                        + " still due");
            }
            if (report) {
                log.printf("W5: %,d still due after %s%n", left, Duration.ofNanos(at - t0));
                lastReport = at;
            }
            Thread.sleep(POLL_MILLIS);
        }
        Duration drain = Duration.ofNanos(System.nanoTime() - t0);
        if (firstMoved == null) {
            firstMoved = drain;
        }
        log.printf("W5: drained in %s (first batch seen after %s)%n", drain, firstMoved);
        CpuTime.Reading spent = cpu.read().since(cpuBefore);
        log.printf(
                Locale.ROOT,
                "W5: CPU from the release's commit until drained: app %.2f s, database %.2f s (%.1f ms and %.1f ms per 1,000"
                        + " transitions)%n",
                spent.app().toNanos() / 1e9,
                spent.database().toNanos() / 1e9,
                spent.app().toNanos() / 1e6 / (burst / 1000.0),
                spent.database().toNanos() / 1e6 / (burst / 1000.0));
        if (settings.statements() > 0) {
            // the drain's statements (the poll's included), before the checks and the twin add their own
            log.print(StatementStats.report(
                    connection, settings.statements(), "1k transitions", burst / 1000.0, "thousand transitions"));
        }

        long atSecondWait = NurtureTwin.atSecondWait(connection, "program_enrollment", program, due);
        long[] stepRuns = NurtureTwin.stepRuns(connection, program);
        long ledger = NurtureTwin.scalar(
                connection,
                "SELECT count(*) FROM score_ledger WHERE kind = 'AUTOMATION'" + " AND delta = 1 AND reason = 'program:"
                        + program + "'");

        Instant twinNow = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        NurtureTwin.release(connection, NurtureTwin.TABLE, parked, twinNow);
        NurtureTwin.Run twin = NurtureTwin.run(connection, twinNow);
        long twinAtSecondWait = NurtureTwin.atSecondWait(connection, NurtureTwin.TABLE, program, twinNow);
        NurtureTwin.drop(connection);
        log.printf("W5: twin moved %,d rows in %,d batches in %s%n", twin.moved(), twin.batches(), twin.elapsed());
        return new Result(
                installed,
                enrollments,
                burst,
                firstMoved,
                leftAtFirst,
                drain,
                twin,
                atSecondWait,
                twinAtSecondWait,
                stepRuns,
                ledger);
    }

    /**
     * The warm-up (BENCHMARKS.md: the configuration is installed "before the warm-up"; W1 sends 10,000 activities
     * first): a program of its own with the same steps, {@code warmup} prospects enrolled at its first WAIT due at
     * once, drained before W5's program is made. The burst then meets the sweep's code compiled, as an app that has
     * been running meets a burst: without it, half of the app's CPU in the drain at M was the JIT compiling the
     * sweep's code (issue 16). Neither its enrollments nor its steps are counted in the burst's checks (those are per
     * program), and the statements and CPU are read from after it.
     */
    private void warmUp(ApiClient api, Connection connection) throws Exception {
        if (settings.warmup() <= 0) {
            return;
        }
        long t = System.nanoTime();
        long program = ApiClient.number(
                api.call("POST", "/api/v1/programs", NurtureTwin.PROGRAM.replace("W5 nurture", "W5 warm-up"), 201),
                "id");
        api.call("POST", "/api/v1/programs/" + program + "/start", null, 200);
        int version = (int) NurtureTwin.scalar(connection, "SELECT current_version FROM program WHERE id = " + program);
        Instant due = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long enrolled = NurtureTwin.enrollDue(connection, program, version, due, settings.warmup());
        long deadline = t + settings.timeout().toNanos();
        while (NurtureTwin.anyRemaining(connection, "program_enrollment", due)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the warm-up did not drain in " + settings.timeout());
            }
            Thread.sleep(POLL_MILLIS);
        }
        log.printf("W5: warm-up of %,d enrollments (program %d) drained in %s%n", enrolled, program, since(t));
    }

    private String report(Result r, String heap, Connection connection, String command) throws Exception {
        String table = new ResultTable()
                .column(
                        "workload",
                        "W5 nurture burst" + settings.configuration().describe())
                .column("size", settings.size())
                .column("seed", settings.seed())
                .column(
                        "configuration installed in (setup)",
                        !settings.configuration().any()
                                ? "none"
                                : r.installed() == null ? "kept setup reused" : seconds(r.installed()) + " s")
                .column("enrollments", String.format(Locale.ROOT, "%,d", r.enrollments()))
                .column("due at once", String.format(Locale.ROOT, "%,d", r.burst()))
                .column("engine drain s", seconds(r.drain()))
                .column("first batch after s", seconds(r.firstMoved()))
                .column("transitions/s", String.format(Locale.ROOT, "%,.0f", r.transitionsPerSecond()))
                .column(
                        "transitions/s from first batch",
                        Double.isNaN(r.sweepingPerSecond())
                                ? "n/a"
                                : String.format(Locale.ROOT, "%,.0f", r.sweepingPerSecond()))
                .column("twin UPDATE s", seconds(r.twin().elapsed()))
                .column("ratio drain/twin", String.format(Locale.ROOT, "%.1f", r.ratio()))
                .column("app heap after a full GC (live)", heap)
                .column("load average", MachineFacts.currentLoadAverage())
                .render(MachineFacts.of(connection), command);
        StringBuilder out = new StringBuilder(table);
        out.append(String.format(
                Locale.ROOT,
                "%nburst %,d; at the second WAIT afterwards: engine %,d, twin %,d"
                        + " (%,d batches); executed steps recorded: %,d WAIT + %,d ACTION; score ledger entries %,d%n",
                r.burst(),
                r.atSecondWait(),
                r.twinAtSecondWait(),
                r.twin().batches(),
                r.stepRuns()[0],
                r.stepRuns()[1],
                r.ledger()));
        out.append(
                r.verified()
                        ? "verified: every burst enrollment passed the WAIT, ran the ACTION once (+1 score)"
                                + " and waits at the second WAIT, in the app and in the twin\n"
                        : "WARNING: the counts above disagree: the figure is suspect.\n");
        return out.toString();
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f", duration.toNanos() / 1e9);
    }
}
