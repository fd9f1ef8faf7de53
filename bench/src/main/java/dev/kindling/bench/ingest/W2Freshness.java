package dev.kindling.bench.ingest;

import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.GeneratedActivity;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W2, freshness. With the dataset preloaded and W1's configuration installed, sends activities at a fixed rate for a
 * while and measures, per activity, the time from its 202 to the moment it is fully processed and visible: a
 * poller asks the database every {@link #POLL} which of the answered activities are processed ({@link ProcessedPoller}:
 * out of the intake's queue, found by id, never by a read of the partitioned history by external id). The intake deletes
 * an activity's queue row (and sets {@code processed_at} unless the activity was attributed at accept, when it was set
 * then) in the transaction that writes the activity's score, list and rule effects, so an activity seen processed is
 * seen with all its effects; the run's end checks every one has {@code processed_at} set. Each latency is an upper
 * bound, too long by at most one poll and its interval. Then the burst: N activities sent at once, timed until nothing
 * is pending.
 *
 * <p>With {@code --rate half} the burst runs first, by W1's method (3 senders × 1,000, timed until nothing is
 * pending), and the steady phase then sends at half the rate at which the burst was fully processed: half of W1's
 * maximum at the same size and configuration, measured in the same run and under the same machine conditions.
 */
public final class W2Freshness {

    /**
     * @param rate     activities per second in the steady phase; the issue asks for half of W1's maximum at the
     *                 same size and configuration; {@link #RATE_FROM_BURST} for half the burst's processed rate
     *                 (the burst then runs first)
     * @param duration how long the steady phase sends
     * @param burst    activities of the burst
     */
    public record Settings(
            DatasetSize size,
            long seed,
            Instant periodEnd,
            int rate,
            Duration duration,
            int burst,
            int warmup,
            Path appJar,
            List<String> appJvmArgs,
            Duration timeout,
            W1Ingest.Configuration configuration) {

        /** From the command line's options ({@code --rate}, {@code --minutes}, {@code --burst}, W1's others). */
        public static Settings of(
                Map<String, String> options,
                DatasetSize size,
                long seed,
                Instant end,
                Path appJar,
                List<String> appJvmArgs) {
            String rate = options.getOrDefault("rate", "500");
            int burst = Integer.parseInt(options.getOrDefault("burst", Integer.toString(defaultBurst(size))));
            boolean fromBurst = rate.equalsIgnoreCase("half");
            if (fromBurst && burst <= 0) {
                throw new IllegalArgumentException("--rate half needs a burst (--burst > 0) to take half of");
            }
            return new Settings(
                    size,
                    seed,
                    end,
                    fromBurst ? RATE_FROM_BURST : Integer.parseInt(rate),
                    Duration.ofMillis(Math.round(Double.parseDouble(options.getOrDefault("minutes", "5")) * 60_000)),
                    burst,
                    Integer.parseInt(
                            options.getOrDefault("warmup", Long.toString(Math.min(10_000, size.activities() / 4)))),
                    appJar,
                    appJvmArgs,
                    Duration.ofMinutes(Long.parseLong(options.getOrDefault("timeout-minutes", "30"))),
                    W1Ingest.Configuration.of(options));
        }

        boolean rateFromBurst() {
            return rate == RATE_FROM_BURST;
        }

        /** 100,000 as the issue asks, but at most half the stream of the size (10,000 at XS). */
        public static int defaultBurst(DatasetSize size) {
            return (int) Math.min(100_000, size.activities() / 2);
        }
    }

    /** {@link Settings#rate} when the steady rate is half the burst's processed rate ({@code --rate half}). */
    public static final int RATE_FROM_BURST = 0;

    private static final Duration POLL = Duration.ofMillis(20);
    private static final int TICKS_PER_SECOND = 10;
    private static final String STEADY_PREFIX = "w2-";
    private static final String BURST_PREFIX = "w2burst-";

    private final Settings settings;
    private final PrintStream log;

    public W2Freshness(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        log.printf(
                "W2: size %s, %s activities/s for %s, burst %,d; starting PostgreSQL (fsync on)%n",
                settings.size(),
                settings.rateFromBurst() ? "half the burst's" : String.format(Locale.ROOT, "%,d", settings.rate()),
                settings.duration(),
                settings.burst());
        return AppProcess.onFreshDatabase(
                "W2", settings.appJar(), settings.appJvmArgs(), log, (app, database, connection) -> {
                    W1Ingest.Prepared prepared = W1Ingest.prepare(
                            "W2",
                            dataset,
                            app.baseUri(),
                            app.apiKey(),
                            connection,
                            settings.configuration(),
                            settings.timeout(),
                            log);
                    long[] campaigns = prepared.campaignIds();
                    IntakeClient client = new IntakeClient(app.baseUri(), app.apiKey());
                    if (settings.warmup() > 0) {
                        W1Ingest.send(
                                client,
                                ActivityBatches.encode(
                                        dataset.activities().limit(settings.warmup()), 1000, "warm-", campaigns),
                                3);
                        W1Ingest.awaitProcessed(client, settings.timeout(), log);
                        log.printf("W2: warm-up of %,d activities done%n", settings.warmup());
                    }
                    Burst burst;
                    int rate;
                    if (settings.rateFromBurst()) {
                        burst = burst(dataset, campaigns, client);
                        rate = halfRate(burst.sent(), burst.processed());
                        log.printf(
                                "W2: burst of %,d all processed in %s: %,.0f/s; steady rate half of it, %,d/s%n",
                                burst.sent(), seconds(burst.processed()), burst.rate(), rate);
                    } else {
                        burst = null;
                        rate = settings.rate();
                    }
                    Steady steady = steady(dataset, campaigns, client, connection, rate);
                    if (burst == null) {
                        burst = burst(dataset, campaigns, client);
                    }
                    long steadyProcessed = W1Ingest.processedRows(connection, STEADY_PREFIX);
                    long burstProcessed = W1Ingest.processedRows(connection, BURST_PREFIX);
                    boolean verified = steady.sent() == steady.accepted()
                            && steadyProcessed == steady.sent()
                            && steady.latencies().count() == steady.sent()
                            && burst.sent() == burst.accepted()
                            && burstProcessed == burst.sent();
                    return table(steady, burst, verified, steadyProcessed, burstProcessed, connection, command);
                });
    }

    private record Steady(int rate, long sent, long accepted, Latencies latencies, double achievedRate) {}

    private record Burst(long sent, long accepted, Duration acceptOnly, Duration processed) {

        /** Activities per second fully processed, from the first send until nothing was pending. */
        double rate() {
            return sent / (Math.max(1, processed.toNanos()) / 1e9);
        }
    }

    /** Half the rate at which {@code activities} were fully processed in {@code processed}: at least 1 a second. */
    static int halfRate(long activities, Duration processed) {
        return (int) Math.max(1, Math.round(activities / (Math.max(1, processed.toNanos()) / 1e9) / 2));
    }

    /** Sends at the rate for the duration while the poller records when each answered activity is processed. */
    private Steady steady(Dataset dataset, long[] campaigns, IntakeClient client, Connection connection, int rate)
            throws Exception {
        long total = Math.max(1, Math.round(rate * settings.duration().toMillis() / 1000.0));
        int batchSize = (int) Math.clamp(rate / TICKS_PER_SECOND, 1, ActivityBatches.MAX_BATCH);
        List<GeneratedActivity> pool = dataset.activities()
                .limit(Math.min(total, dataset.size().activities()))
                .toList();
        // Bodies encoded before the clock starts; a stream shorter than the run is sent again under a new prefix.
        List<byte[]> bodies = new ArrayList<>();
        List<List<String>> ids = new ArrayList<>();
        for (long from = 0; from < total; from += batchSize) {
            List<GeneratedActivity> batch = new ArrayList<>(batchSize);
            List<String> batchIds = new ArrayList<>(batchSize);
            for (long i = from; i < Math.min(total, from + batchSize); i++) {
                GeneratedActivity activity = pool.get((int) (i % pool.size()));
                String prefix = STEADY_PREFIX + (i / pool.size()) + "-";
                batch.add(activity);
                batchIds.add(prefix + activity.externalId());
                if (i % pool.size() == pool.size() - 1 || i == total - 1 || batch.size() == batchSize) {
                    bodies.add(ActivityBatches.body(batch, prefix, campaigns));
                    ids.add(List.copyOf(batchIds));
                    batch.clear();
                    batchIds.clear();
                }
            }
        }
        log.printf(
                "W2: sending %,d activities in %,d batches at %,d/s; polling every %d ms%n",
                total, bodies.size(), rate, POLL.toMillis());

        Map<String, Long> answered = new ConcurrentHashMap<>(); // external id -> nano time of its 202
        long[] latencies = new long[(int) total];
        AtomicInteger measured = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        long[] sendNanos = new long[bodies.size()];
        long offset = 0;
        for (int b = 0; b < bodies.size(); b++) {
            sendNanos[b] = started + offset * 1_000_000_000L / rate;
            offset += ids.get(b).size();
        }
        // before the first send: the poller learns the ids of what is stored after it starts
        ProcessedPoller poller = new ProcessedPoller(connection, STEADY_PREFIX);
        ExecutorService senders = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int s = 0; s < 2; s++) {
                running.add(senders.submit(() -> {
                    for (int b = next.getAndIncrement(); b < bodies.size(); b = next.getAndIncrement()) {
                        long wait = sendNanos[b] - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        IntakeClient.Accepted answer = client.send(bodies.get(b));
                        long at = System.nanoTime();
                        accepted.addAndGet(answer.accepted());
                        for (String id : ids.get(b)) {
                            answered.put(id, at);
                        }
                    }
                    return null;
                }));
            }
            long deadline =
                    started + settings.duration().toNanos() + settings.timeout().toNanos();
            while (measured.get() < total) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            (total - measured.get()) + " activities not processed after " + settings.timeout());
                }
                for (Future<?> sender : running) {
                    if (sender.isDone()) {
                        sender.get(); // a failed sender ends the run
                    }
                }
                // the answers first, then the clock: every activity polled was answered before the poll started
                Map<String, Long> waiting = Map.copyOf(answered);
                long pollStart = System.nanoTime();
                if (!waiting.isEmpty()) {
                    Set<String> processed = poller.processed(waiting, pollStart);
                    // after the poll: each latency is an upper bound, too long by at most one poll and its interval
                    long polled = System.nanoTime();
                    for (String id : processed) {
                        Long answeredAt = answered.remove(id);
                        latencies[measured.getAndIncrement()] = (polled - answeredAt) / 1_000;
                    }
                }
                long sleep = POLL.toNanos() - (System.nanoTime() - pollStart);
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000);
                }
            }
            if (poller.stragglerReads() > 0) {
                log.printf(
                        "W2: %,d polls looked activities up by external id (no id learned within 5 s)%n",
                        poller.stragglerReads());
            }
        } finally {
            senders.shutdownNow();
        }
        double sendSeconds = (System.nanoTime() - started) / 1e9;
        log.printf("W2: steady phase done, %,d activities measured%n", measured.get());
        return new Steady(rate, total, accepted.get(), Latencies.of(latencies), total / sendSeconds);
    }

    private Burst burst(Dataset dataset, long[] campaigns, IntakeClient client) throws Exception {
        if (settings.burst() == 0) {
            return new Burst(0, 0, Duration.ZERO, Duration.ZERO);
        }
        List<byte[]> bodies = ActivityBatches.encode(
                dataset.activities().limit(settings.burst()), ActivityBatches.MAX_BATCH, BURST_PREFIX, campaigns);
        log.printf("W2: burst of %,d activities%n", settings.burst());
        W1Ingest.Sent sent = W1Ingest.send(client, bodies, 3);
        long done = W1Ingest.awaitProcessed(client, settings.timeout(), log);
        return new Burst(
                settings.burst(),
                sent.accepted(),
                Duration.ofNanos(sent.lastAnswerNanos() - sent.startedNanos()),
                Duration.ofNanos(done - sent.startedNanos()));
    }

    private String table(
            Steady steady,
            Burst burst,
            boolean verified,
            long steadyProcessed,
            long burstProcessed,
            Connection connection,
            String command)
            throws Exception {
        Latencies l = steady.latencies();
        String table = new ResultTable()
                .column("workload", "W2 freshness" + settings.configuration().describe())
                .column("size", settings.size())
                .column(
                        "rate",
                        String.format(
                                Locale.ROOT,
                                "%,d/s%s (achieved %,.0f/s)",
                                steady.rate(),
                                settings.rateFromBurst()
                                        ? String.format(
                                                Locale.ROOT, ", half the burst's %,.0f/s, burst first", burst.rate())
                                        : "",
                                steady.achievedRate()))
                .column("for", settings.duration())
                .column("measured", String.format(Locale.ROOT, "%,d", l.count()))
                .column("p50 ms", millis(l.percentile(50)))
                .column("p99 ms", millis(l.percentile(99)))
                .column("max ms", millis(l.max()))
                .column("burst", String.format(Locale.ROOT, "%,d", burst.sent()))
                .column("burst accepted in", seconds(burst.acceptOnly()))
                .column("burst all processed in", seconds(burst.processed()))
                .column(
                        "burst processed/s",
                        burst.sent() == 0 ? "—" : String.format(Locale.ROOT, "%,.0f", burst.rate()))
                .column("verified", verified ? "yes" : "NO")
                .column("load average", MachineFacts.currentLoadAverage())
                .render(MachineFacts.of(connection), command);
        if (!verified) {
            table += String.format(
                    Locale.ROOT,
                    "%nWARNING: steady sent %,d, accepted %,d, processed %,d, measured %,d;"
                            + " burst sent %,d, accepted %,d, processed %,d%n",
                    steady.sent(),
                    steady.accepted(),
                    steadyProcessed,
                    l.count(),
                    burst.sent(),
                    burst.accepted(),
                    burstProcessed);
        }
        return table;
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%,.1f", micros / 1000.0);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toNanos() / 1e9);
    }
}
