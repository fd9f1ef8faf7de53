package dev.kindling.bench.attribution;

import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.BulkActivityLoad;
import dev.kindling.bench.harness.CpuTime;
import dev.kindling.bench.harness.KeptSetup;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.ActivityRows;
import dev.kindling.dataset.load.DatasetCopy;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W7, multi-touch attribution. Setup, not timed: the dataset's campaigns, accounts, prospects and activities by COPY
 * ({@link #load}), then {@link #writeDeals} opportunities set-based. Timed: {@code GET
 * /api/v1/reports/attribution} (W-shaped, pipeline basis) over the last year of the dataset — the first request after
 * the app's start (cold), then the median of {@value #RUNS} (warm) — and the SQL twin ({@link AttributionTwin}) the same
 * way in the same database. The run checks that app and twin credit each campaign within a cent per opportunity and the
 * same total within a cent per campaign (the app rounds each credit to the cent, the twin only each campaign's sum).
 */
public final class AttributionWorkload {

    static final int RUNS = 5;

    /** What to run; {@code activities}: the first N activities of the dataset's stream are loaded. */
    public record Settings(
            DatasetSize size,
            long seed,
            Instant periodEnd,
            long activities,
            Path appJar,
            List<String> appJvmArgs,
            Path dataDirectory,
            Duration autoExplain) {

        public Settings(
                DatasetSize size, long seed, Instant periodEnd, long activities, Path appJar, List<String> appJvmArgs) {
            this(size, seed, periodEnd, activities, appJar, appJvmArgs, null, null);
        }
    }

    /** In a kept data directory, the file saying which setup it holds (written once the setup is complete). */
    static final String SETUP_MARKER = "kindling-bench-w7-setup.txt";

    private final Settings settings;
    private final PrintStream log;

    public AttributionWorkload(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        log.printf("W7: size %s, seed %d; starting PostgreSQL (fsync on)%n", settings.size(), settings.seed());
        Path logDirectory = null;
        if (settings.autoExplain() != null) {
            logDirectory = settings.dataDirectory() != null
                    ? settings.dataDirectory()
                            .resolveSibling(settings.dataDirectory().getFileName() + "-log")
                    : java.nio.file.Files.createTempDirectory("kindling-pg-log-");
            log.printf(
                    "W7: auto_explain logs plans of statements over %s to %s%n",
                    settings.autoExplain(), logDirectory.toAbsolutePath());
        }
        if (settings.dataDirectory() != null
                && java.nio.file.Files.isRegularFile(settings.dataDirectory().resolve(KeptSetup.MARKER))) {
            throw new IllegalStateException("--data-dir " + settings.dataDirectory() + " holds W4's and W5's setup ("
                    + java.nio.file.Files.readString(settings.dataDirectory().resolve(KeptSetup.MARKER))
                            .strip()
                    + "), not W7's: use another directory");
        }
        BenchDatabase database = settings.dataDirectory() == null && settings.autoExplain() == null
                ? BenchDatabase.startDurable()
                : BenchDatabase.startDurable(settings.dataDirectory(), settings.autoExplain(), logDirectory);
        // the app creates its admin key on its first start only: a later run on the kept database needs the same
        Map<String, String> env = settings.dataDirectory() == null
                ? Map.of()
                : Map.of("KINDLING_ADMIN_API_KEY", KeptSetup.adminKey(settings.dataDirectory()));
        return AppProcess.onDatabase(
                "W7", database, settings.appJar(), settings.appJvmArgs(), env, log, (app, db, connection) -> {
                    return measure(dataset, app, db, connection, command);
                });
    }

    /**
     * Deals for one prospect in 25, deterministic from its id: created 20–119 days after the capture, amount 2,000 to
     * 60,000, closed 14–55 days later (a third won, the rest lost; open when the close would be after the period),
     * the acquisition campaign as primary campaign, and for a third a colleague of the same account as a second
     * contact role.
     */
    static long writeDeals(Connection connection, Instant periodEnd) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("""
                    CREATE TEMP TABLE bench_deal AS
                    SELECT p.id AS prospect_id, p.account_id, p.campaign_id, 2000 + (p.id * 7919 % 59) * 1000 AS amount,
                           p.captured_at + (20 + p.id % 100) * interval '1 day' AS created_at,
                           p.captured_at + (20 + p.id % 100 + 14 + p.id % 42) * interval '1 day' AS closes_at,
                           (p.id / 25) % 3 AS kind
                      FROM prospect p WHERE p.id % 25 = 0""");
            s.execute("DELETE FROM bench_deal WHERE created_at >= '" + periodEnd + "'");
            s.execute("ALTER TABLE bench_deal ADD COLUMN opportunity_id bigint");
            s.execute("UPDATE bench_deal SET opportunity_id = nextval(pg_get_serial_sequence('opportunity', 'id'))");
            s.execute("""
                    INSERT INTO opportunity (id, name, account_id, amount, currency, stage, status, lost_reason,
                                             primary_campaign_id, created_at, updated_at, closed_at)
                    OVERRIDING SYSTEM VALUE
                    SELECT opportunity_id, 'Bench deal ' || prospect_id, account_id, amount, 'USD',
                           CASE WHEN closes_at >= '%1$s' THEN 'Discovery' WHEN kind = 0 THEN 'Closed Won'
                                ELSE 'Closed Lost' END,
                           CASE WHEN closes_at >= '%1$s' THEN 'OPEN' WHEN kind = 0 THEN 'WON' ELSE 'LOST' END,
                           CASE WHEN closes_at < '%1$s' AND kind <> 0 THEN 'PRICE' END,
                           campaign_id, created_at, created_at, CASE WHEN closes_at < '%1$s' THEN closes_at END
                      FROM bench_deal ORDER BY opportunity_id""".formatted(periodEnd));
            s.execute("""
                    INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, is_primary, created_at)
                    SELECT opportunity_id, prospect_id, 'DECISION_MAKER', true, created_at FROM bench_deal""");
            s.execute("""
                    INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, is_primary, created_at)
                    SELECT d.opportunity_id, c.id, 'INFLUENCER', false, d.created_at
                      FROM bench_deal d CROSS JOIN LATERAL (
                           SELECT q.id FROM prospect q WHERE q.account_id = d.account_id AND q.id <> d.prospect_id
                            ORDER BY q.id LIMIT 1) c
                     WHERE d.kind = 1""");
            // VACUUM too: the visibility map of a freshly loaded table is empty (index-only scans would read the heap
            // anyway), and autovacuum would otherwise do it while the report is being timed
            s.execute("VACUUM (ANALYZE)");
        }
        return count(connection, "SELECT count(*) FROM opportunity");
    }

    /**
     * The dataset's campaigns, accounts and prospects, and the first {@code activities} of its activities as processed
     * history, by COPY ({@link BulkActivityLoad}: two COPY connections, activity's keys and indexes rebuilt after);
     * then {@code ANALYZE}.
     */
    static long load(Dataset dataset, long activities, BenchDatabase database, Connection connection) throws Exception {
        Instant now = Instant.now();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaigns = copy.copyCampaigns(dataset.campaigns(), now);
        long[] accounts = copy.copyAccounts(dataset, now);
        long[] prospects = copy.copyProspects(dataset, accounts, campaigns, "import:bench");
        long copied = BulkActivityLoad.copy(
                dataset.activities().limit(activities),
                new ActivityRows("", prospects, campaigns, now, now),
                dataset.periodStart(),
                dataset.periodEnd(),
                connection,
                database::connect,
                WRITERS);
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        }
        return copied;
    }

    /** The migration that fills the closed loop's action summary from the activities, as the app jar holds it. */
    static final String ACTION_SUMMARY_BACKFILL = "BOOT-INF/classes/db/migration/V551__prospect_action_backfill.sql";

    /**
     * Fills the closed loop's action summary from the bulk-loaded activities (which bypass intake, which keeps it in a
     * running instance) by running the app's own backfill migration again; false for an app jar without one.
     */
    static boolean backfillActionSummary(java.nio.file.Path appJar, Connection connection) throws Exception {
        String sql;
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(appJar.toFile())) {
            java.util.zip.ZipEntry entry = jar.getEntry(ACTION_SUMMARY_BACKFILL);
            if (entry == null) {
                return false;
            }
            try (var in = jar.getInputStream(entry)) {
                sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET work_mem = '256MB'");
            s.execute(sql);
            s.execute("RESET work_mem");
        }
        return true;
    }

    /** COPY connections of the activity load. */
    static final int WRITERS = 2;

    private String measure(
            Dataset dataset, AppProcess app, BenchDatabase database, Connection connection, String command)
            throws Exception {
        long started = System.nanoTime();
        String setup = "size " + settings.size() + ", seed " + settings.seed() + ", end " + dataset.periodEnd()
                + ", activities " + settings.activities() + "\n";
        Path marker = settings.dataDirectory() == null
                ? null
                : settings.dataDirectory().resolve(SETUP_MARKER);
        long activities;
        long deals;
        if (marker != null && java.nio.file.Files.isRegularFile(marker)) {
            String kept = java.nio.file.Files.readString(marker);
            if (!kept.equals(setup)) {
                throw new IllegalStateException("--data-dir holds another setup (" + kept.strip() + "), not " + setup);
            }
            activities = count(connection, "SELECT count(*) FROM activity");
            deals = count(connection, "SELECT count(*) FROM opportunity");
            log.printf("W7: reusing the kept setup in %s (%s)%n", settings.dataDirectory(), setup.strip());
        } else {
            activities = load(dataset, settings.activities(), database, connection);
            log.printf("W7: loaded %,d activities in %s%n", activities, Duration.ofNanos(System.nanoTime() - started));
            long summarised = System.nanoTime();
            if (backfillActionSummary(settings.appJar(), connection)) {
                log.printf("W7: action summary backfilled in %s%n", Duration.ofNanos(System.nanoTime() - summarised));
            }
            deals = writeDeals(connection, dataset.periodEnd());
            if (marker != null) {
                java.nio.file.Files.writeString(marker, setup);
            }
        }
        long roles = count(connection, "SELECT count(*) FROM opportunity_contact_role");
        log.printf(
                "W7: %,d prospects, %,d activities, %,d opportunities, %,d contact roles in %s%n",
                settings.size().prospects(), activities, deals, roles, Duration.ofNanos(System.nanoTime() - started));

        LocalDate to = LocalDate.ofInstant(dataset.periodEnd(), ZoneOffset.UTC).minusDays(1);
        LocalDate from = to.minusYears(1).plusDays(1);
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long inPeriod = count(
                connection,
                "SELECT count(*) FROM opportunity WHERE created_at >= '" + start + "' AND created_at < '" + end + "'");
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = app.baseUri()
                .resolve("/api/v1/reports/attribution?from=" + from + "&to=" + to + "&model=w_shaped&basis=pipeline");

        long t = System.nanoTime();
        Map<Long, BigDecimal> cold = appCredits(http, uri, app.apiKey());
        Duration appCold = Duration.ofNanos(System.nanoTime() - t);
        Duration appWarm = median(() -> appCredits(http, uri, app.apiKey()));
        t = System.nanoTime();
        Map<Long, BigDecimal> twin = AttributionTwin.run(connection, start, end);
        Duration twinCold = Duration.ofNanos(System.nanoTime() - t);
        Duration twinWarm = median(() -> AttributionTwin.run(connection, start, end));

        log.printf(
                "W7: attribution app cold %s s, warm %s s; twin cold %s s, warm %s s%n",
                seconds(appCold), seconds(appWarm), seconds(twinCold), seconds(twinWarm));
        // the closed-loop analysis of the same year's cohort (prospects captured in it): no twin, timed for W7 at M
        URI closedLoop = app.baseUri().resolve("/api/v1/reports/closed-loop?from=" + from + "&to=" + to);
        if (settings.autoExplain() != null) {
            database.explainSlowStatements(settings.autoExplain());
            Thread.sleep(1000); // the reload reaches the app's sessions at their next statement
        }
        CpuTime cpu = CpuTime.of(app.pid(), connection);
        CpuTime.Reading cpuBefore = cpu.read();
        t = System.nanoTime();
        String closedLoopAnswer = get(http, closedLoop, app.apiKey());
        Duration closedLoopCold = Duration.ofNanos(System.nanoTime() - t);
        CpuTime.Reading cpuCold = cpu.read().since(cpuBefore);
        cpuBefore = cpu.read();
        t = System.nanoTime();
        get(http, closedLoop, app.apiKey());
        Duration closedLoopWarm = Duration.ofNanos(System.nanoTime() - t);
        CpuTime.Reading cpuWarm = cpu.read().since(cpuBefore);

        if (settings.autoExplain() != null) {
            database.explainSlowStatements(null);
        }
        BigDecimal appTotal = cold.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal twinTotal = twin.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal tolerance = BigDecimal.valueOf(inPeriod, 2);
        boolean agree = cold.keySet().equals(twin.keySet())
                && appTotal.subtract(twinTotal).abs().compareTo(BigDecimal.valueOf(cold.size(), 2)) <= 0
                && cold.entrySet().stream()
                        .allMatch(e -> e.getValue()
                                        .subtract(twin.get(e.getKey()))
                                        .abs()
                                        .compareTo(tolerance)
                                <= 0);
        double ratioWarm = appWarm.toNanos() / (double) Math.max(1, twinWarm.toNanos());
        String rendered = new ResultTable()
                .column("workload", "W7")
                .column("size", settings.size())
                .column("app cold s", seconds(appCold))
                .column("app warm s (median of " + RUNS + ")", seconds(appWarm))
                .column("twin cold s", seconds(twinCold))
                .column("twin warm s", seconds(twinWarm))
                .column("warm ratio", String.format(Locale.ROOT, "%.2f", ratioWarm))
                .column(
                        "cold ratio",
                        String.format(
                                Locale.ROOT, "%.2f", appCold.toNanos() / (double) Math.max(1, twinCold.toNanos())))
                .column("seed", settings.seed())
                .column("period", from + " … " + to)
                .column("opportunities in period", String.format(Locale.ROOT, "%,d", inPeriod))
                .column("activities", String.format(Locale.ROOT, "%,d", activities))
                .column("campaign rows", cold.size())
                .render(MachineFacts.of(connection), command);
        return rendered + "\n" + String.format(Locale.ROOT, "total credited: app %s, twin %s%n", appTotal, twinTotal)
                + String.format(
                        Locale.ROOT,
                        "closed loop over the same year's cohort: first request %s s, second %s s (database CPU"
                                + " %s s, %s s; app CPU %s s, %s s); %s%n",
                        seconds(closedLoopCold),
                        seconds(closedLoopWarm),
                        seconds(cpuCold.database()),
                        seconds(cpuWarm.database()),
                        seconds(cpuCold.app()),
                        seconds(cpuWarm.app()),
                        summary(closedLoopAnswer))
                + (agree
                        ? "verified: app and twin credit each campaign within a cent per opportunity, the"
                                + " total within a cent per campaign\n"
                        : "WARNING: app and twin disagree: the figure is suspect\napp " + cold + "\ntwin " + twin
                                + "\n")
                + String.format(
                        Locale.ROOT,
                        "| W7 attribution, w_shaped, pipeline | %s | %d | %s … %s | %,d | %s | %s"
                                + " | %s | %s | %.2f |",
                        settings.size(),
                        settings.seed(),
                        from,
                        to,
                        inPeriod,
                        seconds(appCold),
                        seconds(appWarm),
                        seconds(twinCold),
                        seconds(twinWarm),
                        ratioWarm)
                + "\n";
    }

    private interface Run {
        Object get() throws Exception;
    }

    private static Duration median(Run run) throws Exception {
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            run.get();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return Duration.ofNanos(nanos[RUNS / 2]);
    }

    private static final Pattern ROW = Pattern.compile("\"campaignId\":(null|\\d+).*?\"credit\":([0-9.]+)");

    private static Map<Long, BigDecimal> appCredits(HttpClient http, URI uri, String apiKey) throws Exception {
        String body = get(http, uri, apiKey);
        Map<Long, BigDecimal> credits = new HashMap<>();
        String rows = body.substring(body.indexOf("\"rows\""));
        Matcher m = ROW.matcher(rows);
        while (m.find()) {
            credits.put(m.group(1).equals("null") ? null : Long.valueOf(m.group(1)), new BigDecimal(m.group(2)));
        }
        return credits;
    }

    private static String get(HttpClient http, URI uri, String apiKey) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + apiKey)
                        .timeout(Duration.ofMinutes(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    uri.getPath() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static final Pattern FIGURE =
            Pattern.compile("\"(cohort|won|holdoutProspects|holdoutWon|currentModelAuc|suggestedModelAuc)\":([^,}]+)");

    /** The closed-loop answer's headline figures, and how many action and fit rows it has. */
    static String summary(String answer) {
        StringBuilder out = new StringBuilder();
        Matcher m = FIGURE.matcher(answer);
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (m.find()) {
            if (seen.add(m.group(1))) {
                out.append(m.group(1)).append(' ').append(m.group(2)).append(", ");
            }
        }
        int actions = answer.split("\"action\":\\{", -1).length - 1;
        return out.append(actions).append(" action rows").toString();
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }
}
