package dev.kindling.bench.ingest;

import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.HeapReading;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W9, restart. A W1-like feed runs; when a given share of its batches is answered the app is killed with
 * {@code kill -9} and started again on the same database. The senders retry a batch whose request failed, as
 * a client would (a batch committed before the kill but not answered comes back as duplicates). Measured: the
 * time from the new process's start to its first healthy answer, and from then until nothing is pending (the
 * backlog left by the kill plus the rest of the feed). Verified: every activity of the feed is stored once and
 * processed.
 */
public final class W9Restart {

    public record Settings(
            DatasetSize size,
            long seed,
            Instant periodEnd,
            long activities,
            double killAt,
            int senders,
            Path appJar,
            List<String> appJvmArgs,
            Duration timeout,
            W1Ingest.Configuration configuration) {

        /** From the command line's options ({@code --activities}, {@code --kill-at}, W1's others). */
        public static Settings of(
                java.util.Map<String, String> options,
                DatasetSize size,
                long seed,
                Instant end,
                Path appJar,
                List<String> appJvmArgs) {
            long activities =
                    Long.parseLong(options.getOrDefault("activities", Long.toString(defaultActivities(size))));
            if (activities < 1 || activities > size.activities()) {
                throw new IllegalArgumentException("--activities must be 1.." + size.activities() + " at " + size);
            }
            return new Settings(
                    size,
                    seed,
                    end,
                    activities,
                    Double.parseDouble(options.getOrDefault("kill-at", "0.5")),
                    Integer.parseInt(options.getOrDefault("senders", "3")),
                    appJar,
                    appJvmArgs,
                    Duration.ofMinutes(Long.parseLong(options.getOrDefault("timeout-minutes", "30"))),
                    W1Ingest.Configuration.of(options));
        }

        /** The whole stream at XS, 200,000 at S and above. */
        public static long defaultActivities(DatasetSize size) {
            return Math.min(size.activities(), 200_000L);
        }
    }

    private static final String PREFIX = "w9-";

    private final Settings settings;
    private final PrintStream log;

    public W9Restart(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        log.printf(
                "W9: size %s, feed of %,d, kill -9 after %.0f %% of it; starting PostgreSQL (fsync on)%n",
                settings.size(), settings.activities(), settings.killAt() * 100);
        try (BenchDatabase database = BenchDatabase.startDurable();
                Connection connection = database.connect()) {
            AppProcess app = AppProcess.start(
                    settings.appJar(),
                    database.jdbcUrl(),
                    BenchDatabase.USER,
                    BenchDatabase.PASSWORD,
                    settings.appJvmArgs());
            try {
                log.println("W9: app is up at " + app.baseUri() + " (log: " + app.log() + ")");
                long[] campaigns = W1Ingest.prepare(
                                "W9",
                                dataset,
                                app.baseUri(),
                                app.apiKey(),
                                connection,
                                settings.configuration(),
                                settings.timeout(),
                                log)
                        .campaignIds();
                // the prospects were COPYed in behind the running app, so none has a grade: a live installation's
                // prospects all have one. One orderly restart (not measured) lets the app's start grade them
                // (GradingBootstrap), so that the measured restart below starts as a live one would.
                long grading = System.nanoTime();
                app.close();
                app = app.restart();
                log.printf(
                        "W9: restarted once to grade the preloaded prospects (not measured): %.1f s%n",
                        (System.nanoTime() - grading) / 1e9);
                List<byte[]> bodies = ActivityBatches.encode(
                        dataset.activities().limit(settings.activities()),
                        ActivityBatches.MAX_BATCH,
                        PREFIX,
                        campaigns);
                IntakeClient client = new IntakeClient(app.baseUri(), app.apiKey());
                AtomicInteger next = new AtomicInteger();
                AtomicInteger answeredBatches = new AtomicInteger();
                AtomicLong accepted = new AtomicLong();
                AtomicLong duplicates = new AtomicLong();
                AtomicLong retried = new AtomicLong();
                long deadline = System.nanoTime() + settings.timeout().toNanos();
                // daemon threads: when the restart fails, the senders still retrying must not keep the bench alive
                ExecutorService senders = Executors.newFixedThreadPool(settings.senders(), task -> {
                    Thread thread = new Thread(task, "w9-sender");
                    thread.setDaemon(true);
                    return thread;
                });
                List<Future<?>> running = new ArrayList<>();
                for (int s = 0; s < settings.senders(); s++) {
                    running.add(senders.submit(() -> {
                        for (int b = next.getAndIncrement(); b < bodies.size(); b = next.getAndIncrement()) {
                            while (true) {
                                try {
                                    IntakeClient.Accepted answer = client.send(bodies.get(b));
                                    accepted.addAndGet(answer.accepted());
                                    duplicates.addAndGet(answer.duplicates());
                                    answeredBatches.incrementAndGet();
                                    break;
                                } catch (IOException appDown) {
                                    if (System.nanoTime() > deadline) {
                                        throw appDown;
                                    }
                                    retried.incrementAndGet();
                                    Thread.sleep(100);
                                }
                            }
                        }
                        return null;
                    }));
                }
                long killAfter = Math.max(1, Math.round(bodies.size() * settings.killAt()));
                while (answeredBatches.get() < killAfter) {
                    Thread.sleep(5);
                }
                app.kill();
                long backlog = pendingRows(connection);
                log.printf(
                        "W9: killed (kill -9) after %,d of %,d batches; %,d activities pending in the database%n",
                        answeredBatches.get(), bodies.size(), backlog);
                long restarting = System.nanoTime();
                app = app.restart();
                long serving = System.nanoTime();
                apiAnswers(app); // the API too, not only the health probe
                long apiServing = System.nanoTime();
                log.printf("W9: serving again after %s%n", Duration.ofNanos(serving - restarting));
                try {
                    for (Future<?> sender : running) {
                        sender.get();
                    }
                } finally {
                    senders.shutdownNow();
                }
                long drained = W1Ingest.awaitProcessed(client, settings.timeout(), log);
                String heap = heap(app, false);
                String liveHeap = heap(app, true);
                long processed = W1Ingest.processedRows(connection, PREFIX);
                long stored = storedRows(connection);
                boolean verified = stored == settings.activities()
                        && processed == settings.activities()
                        && accepted.get() + duplicates.get() >= settings.activities();
                String table = new ResultTable()
                        .column(
                                "workload",
                                "W9 restart" + settings.configuration().describe())
                        .column("size", settings.size())
                        .column("feed", String.format(Locale.ROOT, "%,d", settings.activities()))
                        .column("killed at", String.format(Locale.ROOT, "%,d of %,d batches", killAfter, bodies.size()))
                        .column("pending at kill", String.format(Locale.ROOT, "%,d", backlog))
                        .column("start to healthy", W2Freshness.seconds(Duration.ofNanos(serving - restarting)))
                        .column("start to API 200", W2Freshness.seconds(Duration.ofNanos(apiServing - restarting)))
                        .column("healthy to drained", W2Freshness.seconds(Duration.ofNanos(drained - serving)))
                        .column("heap after drain", heap)
                        .column("heap after a full GC (live)", liveHeap)
                        .column(
                                "verified",
                                (verified ? "yes" : "NO")
                                        + String.format(
                                                Locale.ROOT,
                                                " (%,d stored, %,d processed; %,d accepted + %,d duplicates; %,d retries)",
                                                stored,
                                                processed,
                                                accepted.get(),
                                                duplicates.get(),
                                                retried.get()))
                        .column("load average", MachineFacts.currentLoadAverage())
                        .render(MachineFacts.of(connection), command);
                return table;
            } catch (Exception e) {
                log.println("W9 failed; the app's last log lines:\n" + app.logTail(60));
                throw e;
            } finally {
                app.close();
            }
        }
    }

    private static long pendingRows(Connection connection) throws Exception {
        return count(connection, "SELECT count(*) FROM activity_queue");
    }

    /** Rows of the feed: the external id is unique, so this is also how many distinct activities were stored. */
    private static long storedRows(Connection connection) throws Exception {
        return count(connection, "SELECT count(*) FROM activity WHERE external_id LIKE '" + PREFIX + "%'");
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void apiAnswers(AppProcess app) throws Exception {
        new IntakeClient(app.baseUri(), app.apiKey()).status();
    }

    /** The app's heap ({@link HeapReading}), after a full collection when {@code live}, or why it is unknown. */
    private static String heap(AppProcess app, boolean live) {
        try {
            return (live
                            ? HeapReading.afterFullGc(app.pid(), app.baseUri(), app.apiKey())
                            : HeapReading.of(app.baseUri(), app.apiKey()))
                    .describe();
        } catch (IOException | InterruptedException e) {
            return "n/a (" + e.getMessage() + ")";
        }
    }
}
