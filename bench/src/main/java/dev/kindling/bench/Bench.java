package dev.kindling.bench;

import dev.kindling.bench.attribution.AttributionWorkload;
import dev.kindling.bench.funnel.FunnelWorkload;
import dev.kindling.bench.harness.StatementStats;
import dev.kindling.bench.ingest.W1Ingest;
import dev.kindling.bench.lists.ListWorkload;
import dev.kindling.bench.nurture.NurtureWorkload;
import dev.kindling.bench.rescore.RescoreWorkload;
import dev.kindling.bench.rules.RuleWorkload;
import dev.kindling.bench.salesforce.SalesforceWorkload;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.GeneratedActivity;
import dev.kindling.engine.activity.ActivityType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one workload and prints its result table.
 *
 * <pre>
 * Bench --workload W1 --size XS|DEMO|S|M [--seed 42] [--activities N|all] [--senders 3]
 *       [--batch 1000] [--warmup N] [--end 2026-11-01T00:00:00Z] [--app-jar app/target/kindling.jar]
 *       [--app-jvm-args "-Xmx2g"] [--timeout-minutes 30] [--with-rules 0] [--with-lists 0] [--with-programs 0]
 *       [--statements 0] [--auto-explain SECONDS] [--instances 1] [--kill-one-at SECONDS]
 *                                                    (--auto-explain: the plans of the timed run's statements that
 *                                                    take that long, in the server's log, whose place is printed)
 *                                                    (--instances N: N app processes on the one database, batches
 *                                                    sent to each in turn; --kill-one-at: kill -9 of the last one
 *                                                    that long after the first timed send, then the exactly-once check)
 * Bench --workload RESCORE --size XS|S [--seed 42] [--activities N|all] [--baseline true|false]
 *       [--end ...] [--app-jar ...] [--app-jvm-args ...] [--timeout-minutes 30]
 * Bench --workload W3 --size XS|S [--seed 42] [--end ...] [--app-jar ...] [--app-jvm-args ...]
 * Bench --workload W4 --size XS|S|M [--seed 42] [--activities N|all] [--end ...] [--app-jar ...] [--app-jvm-args ...]
 *       [--with-rules/--with-lists/--with-programs 0]    (the configuration installed on the loaded history)
 *       [--data-dir DIR]                             (keep the setup, with W5, and run on a fresh copy of it)
 * Bench --workload W5 --size XS|S|M [--seed 42] [--app-jar ...] [--app-jvm-args ...] [--timeout-minutes 30]
 *       [--warmup N]                                 (enrollments of a warm-up program drained before the burst;
 *                                                    default min(10,000, prospects / 40), a quarter of the burst)
 *       [--statements 0]                             (the top N statements of the drain, per 1,000 transitions, and
 *                                                    the tables' written rows: pg_stat_statements, as W1's)
 *       [--with-rules/--with-lists/--with-programs 0]    (the configuration installed before the program)
 *       [--data-dir DIR [--activities N|all|0] [--end ...]] (W4's kept setup, history included, or 0: none; a fresh
 *                                                    copy per run)
 * Bench --workload W6 --size XS|S [--seed 42] [--end ...] [--app-jar ...] [--app-jvm-args ...]
 * Bench --workload W7 --size XS|S|M [--activities N] [--seed 42] [--end ...] [--app-jar ...]
 *       [--data-dir DIR] [--auto-explain SECONDS] [--ready-minutes 5]
 *                                                    (keep or reuse the loaded database; log slow plans; the
 *                                                    longest wait for the app to be healthy)
 * Bench --workload W2 --size XS|S [--rate 500|half] [--minutes 5] [--burst 100000] [--with-rules/--with-lists/--with-programs 0]
 *                                                    (--rate half: the burst first, then the steady phase at half the
 *                                                    burst's fully processed rate)
 * Bench --workload W9 --size XS|S|M [--activities N] [--kill-at 0.5] [--senders 3] [--with-rules/--with-lists/--with-programs 0]
 * Bench --workload W8                               (rule evaluation, JMH: 200 rules, one event)
 * Bench --workload W10 [--clients 64] [--addresses 64] [--seconds 20] [--warmup-seconds 5] [--statements N]
 *       [--http-client lean|jdk] [--app-jar ...]
 *                                                    (the public capture endpoints under concurrent load)
 * Bench --workload W11 --size XS|S [--seed 42] [--cycle-seconds 10] [--per-minute 1000] [--steady-seconds N]
 *       [--app-jar ...] [--app-jvm-args ...] [--timeout-minutes 30]   (Salesforce connector against the fake org)
 * Bench --workload DATASET --size S [--seed 42]     (generator throughput and mix, no database)
 * </pre>
 *
 * The period end defaults to today 00:00 UTC, so runs on one day share the same dataset.
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String workload = options.getOrDefault("workload", "W1").toUpperCase(Locale.ROOT);
        DatasetSize size =
                DatasetSize.valueOf(options.getOrDefault("size", "XS").toUpperCase(Locale.ROOT));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        Instant end = options.containsKey("end")
                ? Instant.parse(options.get("end"))
                : Instant.now().truncatedTo(ChronoUnit.DAYS);
        String command = "Bench " + String.join(" ", args);
        if (options.containsKey("ready-minutes")) {
            // every workload that starts the app: on a shared machine under load the start alone can take minutes
            dev.kindling.bench.harness.AppProcess.readyTimeout(
                    Duration.ofMinutes(Long.parseLong(options.get("ready-minutes"))));
        }
        switch (workload) {
            case "W1" -> {
                String n = options.getOrDefault("activities", Long.toString(W1Ingest.Settings.defaultActivities(size)));
                long activities = n.equalsIgnoreCase("all") ? size.activities() : Long.parseLong(n);
                if (activities < 1 || activities > size.activities()) {
                    throw new IllegalArgumentException("--activities must be 1.." + size.activities() + " at " + size);
                }
                W1Ingest.Settings settings = new W1Ingest.Settings(
                        size,
                        seed,
                        end,
                        activities,
                        Integer.parseInt(
                                options.getOrDefault("warmup", Long.toString(Math.min(10_000, activities / 4)))),
                        Integer.parseInt(options.getOrDefault("senders", "3")),
                        Integer.parseInt(options.getOrDefault("batch", "1000")),
                        appJar(options.get("app-jar")),
                        appJvmArgs(options),
                        Duration.ofMinutes(Long.parseLong(options.getOrDefault("timeout-minutes", "30"))),
                        Integer.parseInt(options.getOrDefault("with-rules", "0")),
                        Integer.parseInt(options.getOrDefault("with-lists", "0")),
                        Integer.parseInt(options.getOrDefault("with-programs", "0")));
                System.out.println();
                System.out.println(new W1Ingest(settings, System.out)
                        .withStatementStats(StatementStats.top(options))
                        .withAutoExplain(seconds(options.get("auto-explain")))
                        .withInstances(
                                Integer.parseInt(options.getOrDefault("instances", "1")),
                                options.containsKey("kill-one-at")
                                        ? Duration.ofMillis(
                                                Math.round(Double.parseDouble(options.get("kill-one-at")) * 1000))
                                        : null)
                        .run(command));
            }
            case "RESCORE" -> {
                String n = options.getOrDefault(
                        "activities", Long.toString(RescoreWorkload.Settings.defaultActivities(size)));
                long activities = n.equalsIgnoreCase("all") ? size.activities() : Long.parseLong(n);
                if (activities < 1 || activities > size.activities()) {
                    throw new IllegalArgumentException("--activities must be 1.." + size.activities() + " at " + size);
                }
                RescoreWorkload.Settings settings = new RescoreWorkload.Settings(
                        size,
                        seed,
                        end,
                        activities,
                        Boolean.parseBoolean(options.getOrDefault("baseline", "true")),
                        appJar(options.get("app-jar")),
                        appJvmArgs(options),
                        Duration.ofMinutes(Long.parseLong(options.getOrDefault("timeout-minutes", "30"))));
                System.out.println();
                System.out.println(new RescoreWorkload(settings, System.out).run(command));
            }
            case "W6" -> {
                System.out.println();
                System.out.println(new FunnelWorkload(
                                new FunnelWorkload.Settings(
                                        size, seed, end, appJar(options.get("app-jar")), appJvmArgs(options)),
                                System.out)
                        .run(command));
            }
            case "W7" -> {
                long activities = Long.parseLong(options.getOrDefault("activities", Long.toString(size.activities())));
                System.out.println();
                System.out.println(new AttributionWorkload(
                                new AttributionWorkload.Settings(
                                        size,
                                        seed,
                                        end,
                                        activities,
                                        appJar(options.get("app-jar")),
                                        appJvmArgs(options),
                                        dataDirectory(options),
                                        seconds(options.get("auto-explain"))),
                                System.out)
                        .run(command));
            }
            case "W3" -> {
                System.out.println();
                System.out.println(new RuleWorkload(
                                new RuleWorkload.Settings(
                                        size,
                                        seed,
                                        end,
                                        appJar(options.get("app-jar")),
                                        appJvmArgs(options),
                                        Duration.ofMinutes(
                                                Long.parseLong(options.getOrDefault("timeout-minutes", "30")))),
                                System.out)
                        .run(command));
            }
            case "W4" -> {
                String n = options.getOrDefault(
                        "activities", Long.toString(ListWorkload.Settings.defaultActivities(size)));
                long activities = n.equalsIgnoreCase("all") ? size.activities() : Long.parseLong(n);
                if (activities < 1 || activities > size.activities()) {
                    throw new IllegalArgumentException("--activities must be 1.." + size.activities() + " at " + size);
                }
                System.out.println();
                System.out.println(new ListWorkload(
                                new ListWorkload.Settings(
                                        size,
                                        seed,
                                        end,
                                        activities,
                                        appJar(options.get("app-jar")),
                                        appJvmArgs(options),
                                        Duration.ofMinutes(
                                                Long.parseLong(options.getOrDefault("timeout-minutes", "30"))),
                                        W1Ingest.Configuration.of(options),
                                        dataDirectory(options)),
                                System.out)
                        .run(command));
            }
            case "W5" -> {
                // with --data-dir, W5 runs on W4's kept setup (the history of N activities included)
                String n = options.getOrDefault(
                        "activities", Long.toString(ListWorkload.Settings.defaultActivities(size)));
                long activities = n.equalsIgnoreCase("all") ? size.activities() : Long.parseLong(n);
                if (options.containsKey("activities") && !options.containsKey("data-dir")) {
                    throw new IllegalArgumentException("W5 takes --activities only with --data-dir (W4's setup)");
                }
                // 0: a kept setup without history, as W5 makes on a fresh database (not shared with W4)
                if (activities < 0 || activities > size.activities()) {
                    throw new IllegalArgumentException("--activities must be 0.." + size.activities() + " at " + size);
                }
                System.out.println(System.lineSeparator()
                        + new NurtureWorkload(
                                        new NurtureWorkload.Settings(
                                                size,
                                                seed,
                                                end,
                                                appJar(options.get("app-jar")),
                                                appJvmArgs(options),
                                                Duration.ofMinutes(
                                                        Long.parseLong(options.getOrDefault("timeout-minutes", "30"))),
                                                W1Ingest.Configuration.of(options),
                                                activities,
                                                dataDirectory(options),
                                                StatementStats.top(options),
                                                // a quarter of the burst (a tenth of the prospects), at most 10,000,
                                                // as W1's default
                                                Integer.parseInt(options.getOrDefault(
                                                        "warmup",
                                                        Long.toString(Math.min(10_000, size.prospects() / 40))))),
                                        System.out)
                                .run(command));
            }
            case "W2" ->
                System.out.println(new dev.kindling.bench.ingest.W2Freshness(
                                dev.kindling.bench.ingest.W2Freshness.Settings.of(
                                        options, size, seed, end, appJar(options.get("app-jar")), appJvmArgs(options)),
                                System.out)
                        .run(command));
            case "W9" ->
                System.out.println(new dev.kindling.bench.ingest.W9Restart(
                                dev.kindling.bench.ingest.W9Restart.Settings.of(
                                        options, size, seed, end, appJar(options.get("app-jar")), appJvmArgs(options)),
                                System.out)
                        .run(command));
            case "W10" -> {
                int clients = Integer.parseInt(options.getOrDefault("clients", "64"));
                System.out.println();
                System.out.println(new dev.kindling.bench.capture.CaptureWorkload(
                                new dev.kindling.bench.capture.CaptureWorkload.Settings(
                                        appJar(options.get("app-jar")),
                                        appJvmArgs(options),
                                        clients,
                                        Integer.parseInt(options.getOrDefault("addresses", Integer.toString(clients))),
                                        Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-seconds", "5"))),
                                        Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20"))),
                                        StatementStats.top(options),
                                        httpClient(options.getOrDefault("http-client", "lean"))),
                                System.out)
                        .run(command));
            }
            case "W11" -> {
                Duration steady = options.containsKey("steady-seconds")
                        ? Duration.ofSeconds(Long.parseLong(options.get("steady-seconds")))
                        : SalesforceWorkload.Settings.defaultSteady(size);
                System.out.println();
                System.out.println(new SalesforceWorkload(
                                new SalesforceWorkload.Settings(
                                        size,
                                        seed,
                                        end,
                                        Integer.parseInt(options.getOrDefault("cycle-seconds", "10")),
                                        Integer.parseInt(options.getOrDefault("per-minute", "1000")),
                                        steady,
                                        appJar(options.get("app-jar")),
                                        appJvmArgs(options),
                                        Duration.ofMinutes(
                                                Long.parseLong(options.getOrDefault("timeout-minutes", "30")))),
                                System.out)
                        .run(command));
                System.exit(0); // the fake org's HTTP server keeps a thread that is not a daemon
            }
            case "W8" -> System.out.println(new dev.kindling.bench.evaluation.W8Evaluation(System.out).run(command));
            case "DATASET" -> describeDataset(Dataset.of(size, seed, end));
            default ->
                throw new IllegalArgumentException("unknown workload " + workload
                        + " (known: W1, W2, W9, RESCORE, W3, W4, W5, W6, W7, W8, W10, W11, DATASET)");
        }
    }

    private static void describeDataset(Dataset dataset) {
        long started = System.nanoTime();
        Map<ActivityType, Long> mix = new EnumMap<>(ActivityType.class);
        long[] total = new long[1];
        dataset.forEachActivity((GeneratedActivity activity) -> {
            mix.merge(activity.type(), 1L, Long::sum);
            total[0]++;
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "dataset %s seed %d, %s .. %s: %,d prospects, %,d accounts, %,d campaigns,"
                        + " %,d activities generated in %.1f s (%,.0f/s)%n",
                dataset.size(),
                dataset.seed(),
                dataset.periodStart(),
                dataset.periodEnd(),
                dataset.size().prospects(),
                dataset.size().accounts(),
                dataset.campaigns().size(),
                total[0],
                seconds,
                total[0] / seconds);
        mix.forEach((type, count) ->
                System.out.printf(Locale.ROOT, "  %-20s %,12d  %5.2f %%%n", type, count, 100.0 * count / total[0]));
        dataset.prospects().limit(5).forEach(p -> System.out.println("  " + p));
        dataset.activities().limit(5).forEach(a -> System.out.println("  " + a));
    }

    /** The app jar given, else the build's output relative to the repository root or the bench directory. */
    /** {@code --data-dir}: W4, W5 and W7 keep their setup there and reuse it; null without. */
    private static Path dataDirectory(Map<String, String> options) {
        return options.containsKey("data-dir") ? Path.of(options.get("data-dir")) : null;
    }

    private static Path appJar(String given) {
        if (given != null) {
            return Path.of(given);
        }
        for (Path candidate : List.of(Path.of("app/target/kindling.jar"), Path.of("../app/target/kindling.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return Path.of("app/target/kindling.jar");
    }

    /** {@code --auto-explain SECONDS} (W1's and W7's) as a duration, fractions of a second kept; null without. */
    static Duration seconds(String given) {
        if (given == null) {
            return null;
        }
        Duration duration = Duration.ofMillis(Math.round(Double.parseDouble(given) * 1000));
        if (duration.isNegative()) {
            throw new IllegalArgumentException("--auto-explain must be 0 or more seconds, not " + given);
        }
        return duration;
    }

    /** W10's clients: the lean one (true: the JDK's HttpClient instead). */
    private static boolean httpClient(String name) {
        return switch (name) {
            case "lean" -> false;
            case "jdk" -> true;
            default -> throw new IllegalArgumentException("--http-client is lean or jdk, not " + name);
        };
    }

    private static List<String> appJvmArgs(Map<String, String> options) {
        return options.containsKey("app-jvm-args")
                ? Arrays.asList(options.get("app-jvm-args").trim().split("\\s+"))
                : List.of();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
