package dev.kindling.bench.ingest;

import dev.kindling.bench.harness.ApiClient;
import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.CpuTime;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.bench.harness.StatementStats;
import dev.kindling.bench.lists.ListSet;
import dev.kindling.bench.programs.ProgramSet;
import dev.kindling.bench.rules.RuleSet;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.GeneratedActivity;
import dev.kindling.dataset.load.ActivityRows;
import dev.kindling.dataset.load.DatasetCopy;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * W1, sustained ingest. Sends N activities of the dataset through {@code POST /api/v1/activities}
 * in batches from a few concurrent senders and waits until {@code /api/v1/system/intake} reports
 * nothing pending: N divided by that time is the engine's rate. Then, in the same database, its
 * physics twin: a raw {@code COPY} of the same N rows into the same {@code activity} table.
 *
 * <p>Setup, not timed: the dataset's campaigns, accounts and prospects are copied in first, so
 * activities resolve to existing prospects as in production; then a warm-up pass (its own
 * external ids) lets the app's JIT and caches settle. Request bodies and COPY text are encoded
 * before their clocks start, so neither figure includes the generator.
 */
public final class W1Ingest {

    /**
     * @param activities  N, how many activities of the dataset the timed run sends
     * @param warmup      activities sent (and fully processed) before the timed run
     * @param senders     concurrent HTTP senders
     * @param appJar      the app's executable jar
     * @param appJvmArgs  JVM options for the app process
     * @param timeout     longest wait for the app to finish processing
     * @param rules       active automation rules installed through the API before the warm-up ({@link RuleSet})
     * @param lists       dynamic lists installed through the API before the warm-up ({@link ListSet})
     * @param programs    running programs with triggers, fed by those lists, installed before the warm-up ({@link ProgramSet})
     */
    public record Settings(
            DatasetSize size,
            long seed,
            Instant periodEnd,
            long activities,
            int warmup,
            int senders,
            int batchSize,
            Path appJar,
            List<String> appJvmArgs,
            Duration timeout,
            int rules,
            int lists,
            int programs) {

        /** N when none is given: the whole stream at XS and DEMO, a million at S and M (minutes, not hours). */
        public static long defaultActivities(DatasetSize size) {
            return Math.min(size.activities(), 1_000_000L);
        }
    }

    /** One run's figures. Rates are activities (or rows) per second. */
    public record Result(
            long activities,
            long accepted,
            long duplicates,
            long processed,
            Duration engine,
            Duration acceptOnly,
            Duration twin) {

        public double engineRate() {
            return activities / seconds(engine);
        }

        public double acceptOnlyRate() {
            return activities / seconds(acceptOnly);
        }

        public double twinRate() {
            return activities / seconds(twin);
        }

        public double ratio() {
            return engineRate() / twinRate();
        }

        private static double seconds(Duration duration) {
            return Math.max(1, duration.toNanos()) / 1e9;
        }
    }

    private static final String WARMUP_PREFIX = "warm-";
    private static final String TIMED_PREFIX = "w1-";
    private static final String TWIN_PREFIX = "twin-";

    private final Settings settings;
    private final PrintStream log;
    private int statements;
    private Duration autoExplain;
    private List<Long> appPids = List.of();
    private int instances = 1;
    private Duration killOneAt;
    /** Kills the last instance with {@code kill -9} ({@link #run} sets it when {@link #killOneAt} is set). */
    private Killer killer;

    private Kill kill;

    /** Kills one instance. */
    @FunctionalInterface
    interface Killer {
        void killLast() throws InterruptedException;
    }

    /** What the kill found: when it came after the timed run's first send, and what was still to do then. */
    record Kill(Duration after, long batchesAnswered, long pendingAtKill) {}

    public W1Ingest(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Profiles the timed run's statements ({@code --statements N}): the database runs with {@code pg_stat_statements},
     * reset after the warm-up, and the {@code top} statements by database time are printed after the engine phase.
     */
    public W1Ingest withStatementStats(int top) {
        this.statements = top;
        return this;
    }

    /**
     * Logs the plans of the timed run's slow statements ({@code --auto-explain SECONDS}): the database runs with {@code
     * auto_explain}, on from the end of the warm-up until all is processed, and every statement (nested ones too) that
     * takes at least {@code threshold} has its plan, with actual rows, buffers and times, in the server's log, whose
     * directory is printed; null for none.
     */
    public W1Ingest withAutoExplain(Duration threshold) {
        this.autoExplain = threshold;
        return this;
    }

    /**
     * Runs the app as {@code instances} processes on the same database ({@code --instances N}, default 1), the senders'
     * batches spread over them in turn; with {@code killOneAt} ({@code --kill-one-at S}, at least two instances) the
     * last instance is killed with {@code kill -9} that long after the timed run's first send, its batches go to the
     * others, and the run checks that every activity was stored and processed exactly once ({@link ExactlyOnce}).
     */
    public W1Ingest withInstances(int instances, Duration killOneAt) {
        if (instances < 1) {
            throw new IllegalArgumentException("--instances must be at least 1");
        }
        if (killOneAt != null && instances < 2) {
            throw new IllegalArgumentException("--kill-one-at needs --instances 2 or more: one must be left");
        }
        this.instances = instances;
        this.killOneAt = killOneAt;
        return this;
    }

    /** Runs W1 from a fresh database and app, and returns the rendered result table. */
    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        log.printf(
                "W1: size %s, seed %d, N %,d, %d senders; starting PostgreSQL (fsync on)%n",
                settings.size(), settings.seed(), settings.activities(), settings.senders());
        Path logDirectory = null;
        if (autoExplain != null) {
            logDirectory = Files.createTempDirectory("kindling-pg-log-");
            log.printf(
                    "W1: auto_explain logs plans of the timed run's statements over %s to %s%n",
                    autoExplain, logDirectory.toAbsolutePath());
        }
        try (BenchDatabase database = BenchDatabase.startDurable(statements > 0, autoExplain, logDirectory)) {
            List<AppProcess> apps = new ArrayList<>();
            try (Connection connection = database.connect()) {
                // several instances share the admin key (the first registers it) and the secret, each its own data
                // directory: the README's "Several instances"
                Map<String, String> env = instances == 1
                        ? Map.of()
                        : Map.of("KINDLING_ADMIN_API_KEY", AppProcess.secret(), "KINDLING_SECRET", AppProcess.secret());
                // one after the other: started side by side on the shared 2-core machine, two took over the
                // 5 minutes allowed for a start, and together no sooner than one after the other
                for (int i = 0; i < instances; i++) {
                    apps.add(startInstance(database, env, i));
                }
                appPids = apps.stream().map(AppProcess::pid).toList();
                if (killOneAt != null) {
                    killer = () -> apps.getLast().kill();
                }
                try {
                    Result result = measure(
                            dataset,
                            apps.stream().map(AppProcess::baseUri).toList(),
                            apps.getFirst().apiKey(),
                            connection);
                    MachineFacts facts = MachineFacts.of(connection);
                    return table(result, facts, command);
                } catch (Exception e) {
                    for (AppProcess app : apps) {
                        log.println("W1 failed; the last log lines of the app at " + app.baseUri() + ":\n"
                                + app.logTail(60));
                    }
                    throw e;
                }
            } finally {
                for (AppProcess app : apps) {
                    app.close();
                }
            }
        }
    }

    private AppProcess startInstance(BenchDatabase database, Map<String, String> env, int i) throws Exception {
        Map<String, String> own = new HashMap<>(env);
        if (instances > 1) {
            own.put(
                    "KINDLING_DATA_DIR",
                    Files.createTempDirectory("kindling-w1-" + i + "-").toString());
        }
        log.println("W1: starting the app" + (instances > 1 ? " instance " + (i + 1) + " of " + instances : "")
                + " from " + settings.appJar());
        AppProcess app = AppProcess.start(
                settings.appJar(),
                database.jdbcUrl(),
                BenchDatabase.USER,
                BenchDatabase.PASSWORD,
                settings.appJvmArgs(),
                own);
        log.println("W1: app is up at " + app.baseUri() + " (log: " + app.log() + ")");
        return app;
    }

    /** Setup, warm-up, timed run and twin against an app already serving at {@code baseUri}. */
    Result measure(Dataset dataset, URI baseUri, String apiKey, Connection connection) throws Exception {
        return measure(dataset, List.of(baseUri), apiKey, connection);
    }

    /**
     * Setup, warm-up, timed run and twin against instances of the app already serving at {@code baseUris} on the
     * database of {@code connection}; the batches go to each in turn.
     */
    Result measure(Dataset dataset, List<URI> baseUris, String apiKey, Connection connection) throws Exception {
        Prepared prepared = prepare(
                "W1",
                dataset,
                baseUris.getFirst(),
                apiKey,
                connection,
                new Configuration(settings.rules(), settings.lists(), settings.programs()),
                settings.timeout(),
                log);
        long[] campaignIds = prepared.campaignIds();
        long[] prospectIds = prepared.prospectIds();
        if (baseUris.size() > 1 && new Configuration(settings.rules(), settings.lists(), settings.programs()).any()) {
            // the configuration was installed through the first instance; the others hear of it within 1 s
            // (docs/cluster.md): let it arrive before the warm-up
            Thread.sleep(2_000);
        }

        SpreadClient client = new SpreadClient(
                baseUris.stream().map(uri -> new IntakeClient(uri, apiKey)).toList(), killOneAt != null);
        if (settings.warmup() > 0) {
            List<byte[]> warmup = ActivityBatches.encode(
                    dataset.activities().limit(settings.warmup()), settings.batchSize(), WARMUP_PREFIX, campaignIds);
            Sent sent = send(client, warmup);
            awaitProcessed(client.statusClient());
            log.printf(
                    "W1: warm-up of %,d activities done in %s%n",
                    sent.accepted() + sent.duplicates(), Duration.ofNanos(System.nanoTime() - sent.startedNanos()));
        }

        long warmupBatches = Arrays.stream(client.answered()).sum();
        CpuTime cpu = appPids.isEmpty() ? null : CpuTime.of(appPids, connection);
        CpuTime.Reading cpuBefore = cpu == null ? null : cpu.read();
        if (statements > 0) {
            StatementStats.reset(connection);
        }
        if (autoExplain != null) {
            BenchDatabase.explainSlowStatements(connection, autoExplain);
        }
        List<byte[]> bodies =
                ActivityBatches.encode(timedActivities(dataset), settings.batchSize(), TIMED_PREFIX, campaignIds);
        log.printf(
                "W1: sending %,d activities in %,d batches%s%n",
                settings.activities(),
                bodies.size(),
                baseUris.size() > 1 ? " spread over " + baseUris.size() + " instances" : "");
        ScheduledExecutorService killing = null;
        ScheduledFuture<?> killed = null;
        if (killOneAt != null) {
            killing = Executors.newSingleThreadScheduledExecutor();
            long started = System.nanoTime();
            killed = killing.schedule(
                    () -> {
                        if (cpu != null) {
                            cpu.read(); // the last reading of the instance about to die counts for it
                        }
                        Duration after = Duration.ofNanos(System.nanoTime() - started);
                        long answered = Arrays.stream(client.answered()).sum() - warmupBatches;
                        killer.killLast();
                        client.markDown(baseUris.size() - 1);
                        long pending = client.statusClient().status().pending();
                        kill = new Kill(after, answered, pending);
                        log.printf(
                                "W1: killed (kill -9) instance %d of %d %s after the first send, %,d of the timed batches"
                                        + " answered; %,d activities pending just after%n",
                                baseUris.size(), baseUris.size(), after, answered, pending);
                        return null;
                    },
                    killOneAt.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        Sent sent;
        long processedNanos;
        try {
            sent = send(client, bodies);
            // Let the request bodies go before the twin encodes the same rows again.
            bodies = null;
            processedNanos = awaitProcessed(client.statusClient());
        } finally {
            if (killing != null) {
                if (killed.cancel(false)) {
                    log.println("W1: the run ended before the kill: no instance was killed");
                } else {
                    killed.get(); // a kill that failed fails the run
                }
                killing.shutdownNow();
            }
        }
        Duration engine = Duration.ofNanos(processedNanos - sent.startedNanos());
        Duration acceptOnly = Duration.ofNanos(sent.lastAnswerNanos() - sent.startedNanos());
        if (autoExplain != null) {
            BenchDatabase.explainSlowStatements(connection, null);
        }
        long processed = processedRows(connection);
        log.printf("W1: engine done in %s (accept-only %s), %,d rows processed%n", engine, acceptOnly, processed);
        if (baseUris.size() > 1) {
            log.printf(
                    "W1: batches answered by each instance (warm-up included): %s; %,d requests failed over%n",
                    Arrays.toString(client.answered()), client.failedOver());
        }
        if (cpu != null) {
            CpuTime.Reading spent = cpu.read().since(cpuBefore);
            log.printf(
                    "W1: CPU from the first send until all processed: app %.1f s, database %.1f s (%.2f ms and %.2f ms"
                            + " per 1,000 activities)%n",
                    spent.app().toNanos() / 1e9,
                    spent.database().toNanos() / 1e9,
                    spent.app().toNanos() / 1e6 / (settings.activities() / 1000.0),
                    spent.database().toNanos() / 1e6 / (settings.activities() / 1000.0));
            if (spent.apps().size() > 1) {
                log.printf(
                        "W1: CPU of each app instance: %s s%s%n",
                        String.join(
                                ", ",
                                spent.apps().stream()
                                        .map(d -> String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e9))
                                        .toList()),
                        kill != null ? " (the killed one until its last reading before the kill)" : "");
            }
        }
        ExactlyOnce exactlyOnce =
                killOneAt == null ? null : ExactlyOnce.check(connection, TIMED_PREFIX, settings.activities());
        if (exactlyOnce != null) {
            log.println("W1: every activity stored and processed exactly once: " + exactlyOnce.describe());
        }
        if (statements > 0) {
            log.print(StatementStats.report(connection, statements));
        }

        Duration twin = twin(dataset, connection, prospectIds, campaignIds);
        log.printf("W1: twin COPY done in %s%n", twin);
        lastExactlyOnce = exactlyOnce;
        return new Result(
                settings.activities(), sent.accepted(), sent.duplicates(), processed, engine, acceptOnly, twin);
    }

    private ExactlyOnce lastExactlyOnce;

    /** The rules, dynamic lists and running programs installed before a run (W1's {@code --with-…} options). */
    public record Configuration(int rules, int lists, int programs) {

        /** From the options {@code --with-rules}, {@code --with-lists} and {@code --with-programs} (default 0). */
        public static Configuration of(Map<String, String> options) {
            return new Configuration(
                    Integer.parseInt(options.getOrDefault("with-rules", "0")),
                    Integer.parseInt(options.getOrDefault("with-lists", "0")),
                    Integer.parseInt(options.getOrDefault("with-programs", "0")));
        }

        public boolean any() {
            return rules + lists + programs > 0;
        }

        /** " with 200 rules, 50 lists and 20 programs", or nothing when there is none: for a workload's name. */
        public String describe() {
            return any() ? " with " + rules + " rules, " + lists + " lists and " + programs + " programs" : "";
        }

        /**
         * Installs the configuration through the API, as a user would: the dynamic lists first (each rebuilt in its
         * request), then the rules (each created and resumed, so its retroactive pass runs in the request), then the
         * programs (created and started, each fed by one of the lists). Answers how long it took (zero when there is
         * nothing to install); {@code name} prefixes the log line.
         */
        public Duration install(ApiClient api, String name, PrintStream log) throws Exception {
            if (!any()) {
                return Duration.ZERO;
            }
            long t = System.nanoTime();
            List<Long> installed = ListSet.install(api, lists);
            RuleSet.install(api, rules);
            ProgramSet.install(api, programs, installed);
            Duration took = Duration.ofNanos(System.nanoTime() - t);
            log.printf(
                    "%s: installed %d dynamic lists, %d active automation rules and %d running programs in %s%n",
                    name, lists, rules, programs, took);
            return took;
        }
    }

    /** The database ids of the preloaded dataset. */
    record Prepared(long[] campaignIds, long[] prospectIds) {}

    /**
     * Setup shared by the ingest workloads, not timed: copies the dataset's campaigns, accounts and prospects in,
     * then installs the configuration through the API.
     */
    static Prepared prepare(
            String name,
            Dataset dataset,
            URI baseUri,
            String apiKey,
            Connection connection,
            Configuration configuration,
            Duration timeout,
            PrintStream log)
            throws Exception {
        Instant setupTime = Instant.now();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaignIds = copy.copyCampaigns(dataset.campaigns(), setupTime);
        long[] accountIds = copy.copyAccounts(dataset, setupTime);
        long[] prospectIds = copy.copyProspects(dataset, accountIds, campaignIds, "import:bench");
        // the months of the dataset's history have their partitions, as the partition job makes them for an
        // installation that imported its history (docs/scaling.md, "Partitioned history")
        copy.coverActivityMonths(dataset.periodStart(), dataset.periodEnd());
        BenchDatabase.analyzeLoaded(connection);
        log.printf(
                "%s: preloaded %,d campaigns, %,d accounts, %,d prospects%n",
                name, campaignIds.length, accountIds.length, prospectIds.length);
        configuration.install(new ApiClient(baseUri, apiKey, timeout), name, log);
        return new Prepared(campaignIds, prospectIds);
    }

    private Stream<GeneratedActivity> timedActivities(Dataset dataset) {
        return dataset.activities().limit(settings.activities());
    }

    record Sent(long startedNanos, long lastAnswerNanos, long accepted, long duplicates) {}

    private Sent send(BatchSender client, List<byte[]> bodies) throws InterruptedException, ExecutionException {
        return send(client, bodies, settings.senders());
    }

    /** Sends the bodies from {@code senderCount} concurrent senders, as fast as the app answers. */
    static Sent send(BatchSender client, List<byte[]> bodies, int senderCount)
            throws InterruptedException, ExecutionException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        ExecutorService senders = Executors.newFixedThreadPool(senderCount);
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < senderCount; i++) {
                running.add(senders.submit(() -> {
                    for (int batch = next.getAndIncrement(); batch < bodies.size(); batch = next.getAndIncrement()) {
                        IntakeClient.Accepted answer = client.send(bodies.get(batch));
                        accepted.addAndGet(answer.accepted());
                        duplicates.addAndGet(answer.duplicates());
                        lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> sender : running) {
                sender.get();
            }
        } finally {
            senders.shutdownNow();
        }
        return new Sent(started, lastAnswer.get(), accepted.get(), duplicates.get());
    }

    private long awaitProcessed(IntakeClient client) throws Exception {
        return awaitProcessed(client, settings.timeout(), log);
    }

    /** Polls the intake until nothing is pending; returns the nano time it saw zero. */
    static long awaitProcessed(IntakeClient client, Duration timeout, PrintStream log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        while (true) {
            IntakeClient.IntakeStatus status = client.status();
            long now = System.nanoTime();
            if (status.pending() == 0) {
                return now;
            }
            if (now > deadline) {
                throw new IllegalStateException("still " + status.pending() + " pending after " + timeout);
            }
            if (now - lastReport > 10_000_000_000L) {
                log.printf("intake: %,d pending, lag %,d ms%n", status.pending(), status.lagMillis());
                lastReport = now;
            }
            // The status request counts the pending rows: polled every 50 ms under a backlog of 100,000 it kept a
            // core of this 2-core machine busy counting, and every 500 ms at S (~500,000 pending, 156 ms a count) it
            // was a fifth of the database's time (docs/benchmarks.md). Poll no sooner than the backlog could drain at
            // 40,000 activities/s (W1's stretch target), at most every 5 s, and every 50 ms near the end, so the end
            // is still seen within 50 ms at any rate up to that.
            Thread.sleep(Math.clamp(status.pending() / 40, 50, 5_000));
        }
    }

    /**
     * COPYs the same N activities with fresh external ids, already processed so the app's
     * processor ignores them, times it, and deletes them again.
     */
    Duration twin(Dataset dataset, Connection connection, long[] prospectIds, long[] campaignIds) throws SQLException {
        Instant now = Instant.now();
        ActivityRows rows = new ActivityRows(TWIN_PREFIX, prospectIds, campaignIds, now, now);
        List<byte[]> chunks = DatasetCopy.encodeActivities(timedActivities(dataset), rows);
        long started = System.nanoTime();
        long copied = new DatasetCopy(connection).copyActivities(chunks);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (copied != settings.activities()) {
            throw new IllegalStateException("twin copied " + copied + " rows, expected " + settings.activities());
        }
        for (String table : new String[] {"activity", "activity_key"}) {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM " + table + " WHERE external_id LIKE ?")) {
                delete.setString(1, TWIN_PREFIX + "%");
                delete.executeUpdate();
            }
        }
        return elapsed;
    }

    /** {@link #processedRows(Connection, String)}'s statement, with the prefix's {@code LIKE} pattern. */
    static final String PROCESSED =
            "SELECT count(*) FROM activity a WHERE external_id LIKE ? AND processed_at IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.activity_id = a.id)";

    private static long processedRows(Connection connection) throws SQLException {
        return processedRows(connection, TIMED_PREFIX);
    }

    /**
     * How many stored activities with this external-id prefix are processed: {@code processed_at} set and out of the
     * intake's queue (an activity attributed at accept has {@code processed_at} from accept on).
     */
    static long processedRows(Connection connection, String prefix) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PROCESSED)) {
            statement.setString(1, prefix + "%");
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private String table(Result result, MachineFacts facts, String command) {
        ResultTable table = new ResultTable()
                .column(
                        "workload",
                        "W1 ingest"
                                + new Configuration(settings.rules(), settings.lists(), settings.programs()).describe())
                .column("size", settings.size())
                .column("seed", settings.seed());
        if (instances > 1) {
            table.column("app instances", instances);
        }
        table.column("N", String.format(Locale.ROOT, "%,d", result.activities()))
                .column("senders × batch", settings.senders() + " × " + settings.batchSize())
                .column("engine activities/s", rate(result.engineRate()))
                .column("accept-only activities/s", rate(result.acceptOnlyRate()))
                .column("twin COPY rows/s", rate(result.twinRate()))
                .column("ratio engine/twin", String.format(Locale.ROOT, "%.3f", result.ratio()));
        if (killOneAt != null) {
            table.column(
                            "kill -9 of one instance",
                            kill == null
                                    ? "none: the run ended before " + killOneAt
                                    : String.format(
                                            Locale.ROOT,
                                            "after %.1f s, %,d activities pending",
                                            kill.after().toNanos() / 1e9,
                                            kill.pendingAtKill()))
                    .column(
                            "exactly once",
                            lastExactlyOnce.describe()
                                    + String.format(
                                            Locale.ROOT,
                                            "; %,d accepted + %,d duplicates",
                                            result.accepted(),
                                            result.duplicates()));
        }
        StringBuilder out = new StringBuilder(
                table.column("load average", MachineFacts.currentLoadAverage()).render(facts, command));
        boolean suspect = killOneAt != null
                ? !lastExactlyOnce.holds()
                : result.processed() != result.activities()
                        || result.duplicates() != 0
                        || result.accepted() != result.activities();
        if (suspect) {
            out.append(String.format(
                    Locale.ROOT,
                    "%nWARNING: sent %,d, accepted %,d, duplicates %,d, processed rows %,d: the figure is suspect.%n",
                    result.activities(),
                    result.accepted(),
                    result.duplicates(),
                    result.processed()));
        }
        return out.toString();
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
