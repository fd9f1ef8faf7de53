package dev.kindling.bench.funnel;

import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.DatasetCopy;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W6, the lifecycle funnel report. Setup, not timed: the dataset's campaigns, accounts and prospects by COPY and a
 * generated stage history ({@link FunnelHistory}); one warm-up of each query. Timed: {@code GET
 * /api/v1/reports/lifecycle} over the dataset's period (at most the API's three years), Pardot's model, cohort and
 * flow, {@value #RUNS} runs each, median; then the twins ({@link FunnelTwin}: over the base tables, for context, and
 * over {@code stage_journey} as the app reads it, the ratio's reference) the same way, same database. The run checks
 * that app and twins give the same step counts, medians and means.
 */
public final class FunnelWorkload {

    static final int RUNS = 5;

    /** What to run. */
    public record Settings(DatasetSize size, long seed, Instant periodEnd, Path appJar, List<String> appJvmArgs) {}

    private record Timed(Duration median, String figures) {}

    private final Settings settings;
    private final PrintStream log;

    public FunnelWorkload(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        log.printf("W6: size %s, seed %d; starting PostgreSQL (fsync on)%n", settings.size(), settings.seed());
        return AppProcess.onFreshDatabase(
                "W6", settings.appJar(), settings.appJvmArgs(), log, (app, database, connection) -> {
                    return measure(dataset, app, connection, command);
                });
    }

    private String measure(Dataset dataset, AppProcess app, Connection connection, String command) throws Exception {
        long started = System.nanoTime();
        Instant now = Instant.now();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaigns = copy.copyCampaigns(dataset.campaigns(), now);
        long[] accounts = copy.copyAccounts(dataset, now);
        copy.copyProspects(dataset, accounts, campaigns, "import:bench");
        long moves = FunnelHistory.write(connection, dataset.periodStart(), dataset.periodEnd());
        long reached = count(connection, "SELECT count(*) FROM stage_reached");
        long visitors = count(connection, "SELECT count(*) FROM visitor");
        log.printf(
                "W6: %,d prospects, %,d moves after capture, %,d stage_reached rows, %,d visitors in %s%n",
                settings.size().prospects(), moves, reached, visitors, Duration.ofNanos(System.nanoTime() - started));

        LocalDate to = LocalDate.ofInstant(dataset.periodEnd(), ZoneOffset.UTC).minusDays(1);
        LocalDate from = LocalDate.ofInstant(dataset.periodStart(), ZoneOffset.UTC);
        if (from.isBefore(to.minusYears(3).plusDays(1))) {
            from = to.minusYears(3).plusDays(1);
        }
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        List<String> rows = new ArrayList<>();
        ResultTable table = new ResultTable();
        table.column("workload", "W6").column("size", settings.size());
        boolean agree = true;
        StringBuilder notes = new StringBuilder();
        // an app from before V110 (an A/B pair with --app-jar) has no stored journeys: its twin is the base-table one
        boolean stored = count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'stage_journey'") > 0;
        if (!stored) {
            notes.append("no stage_journey in this app's schema: the twin is the base-table twin\n");
        }
        for (String view : List.of("cohort", "flow")) {
            URI uri = app.baseUri()
                    .resolve(
                            "/api/v1/reports/lifecycle?from=" + from + "&to=" + to + "&view=" + view + "&model=pardot");
            Timed engine = time(() -> appFigures(http, uri, app.apiKey()));
            boolean cohort = view.equals("cohort");
            Timed base = time(() -> twinFigures(connection, FunnelTwin.Source.BASE, cohort, start, end));
            Timed twin =
                    stored ? time(() -> twinFigures(connection, FunnelTwin.Source.JOURNEY, cohort, start, end)) : base;
            boolean same =
                    engine.figures().equals(twin.figures()) && engine.figures().equals(base.figures());
            agree &= same;
            notes.append(String.format(
                    Locale.ROOT,
                    "%s: app %s%n%s: twin %s%n%s: base-table twin %s (%s s)%n",
                    view,
                    engine.figures(),
                    view,
                    twin.figures(),
                    view,
                    base.figures(),
                    seconds(base.median())));
            rows.add(String.format(
                    Locale.ROOT,
                    "| W6 lifecycle report, %s, pardot | %s | %d | %s … %s | %s | %s | %.2f |",
                    view,
                    settings.size(),
                    settings.seed(),
                    from,
                    to,
                    seconds(engine.median()),
                    seconds(twin.median()),
                    engine.median().toNanos()
                            / (double) Math.max(1, twin.median().toNanos())));
            table.column(view + " app s (median of " + RUNS + ")", seconds(engine.median()))
                    .column(view + " twin s", seconds(twin.median()))
                    .column(
                            view + " ratio",
                            String.format(
                                    Locale.ROOT,
                                    "%.2f",
                                    engine.median().toNanos()
                                            / (double) Math.max(1, twin.median().toNanos())))
                    .column(view + " base-table twin s", seconds(base.median()));
        }
        String rendered = table.column("seed", settings.seed())
                .column("period", from + " … " + to)
                .column(
                        "prospects",
                        String.format(Locale.ROOT, "%,d", settings.size().prospects()))
                .column("stage_reached", String.format(Locale.ROOT, "%,d", reached))
                .column("visitors", String.format(Locale.ROOT, "%,d", visitors))
                .render(MachineFacts.of(connection), command);
        return rendered + "\n" + notes
                + (agree
                        ? "verified: app, twin and base-table twin give the same counts, medians and means\n"
                        : "WARNING: app and twin disagree (see above): the figure is suspect\n")
                + String.join("\n", rows) + "\n";
    }

    private interface Figures {
        String get() throws Exception;
    }

    /** One warm-up (not timed), then {@value #RUNS} timed runs; the median time and the last run's figures. */
    private Timed time(Figures figures) throws Exception {
        figures.get();
        long[] nanos = new long[RUNS];
        String last = null;
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            last = figures.get();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return new Timed(Duration.ofNanos(nanos[RUNS / 2]), last);
    }

    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    private static final Pattern MEDIAN = Pattern.compile("\"medianDays\":(null|[0-9.E-]+)");
    private static final Pattern MEAN = Pattern.compile("\"meanDays\":(null|[0-9.E-]+)");

    private static String appFigures(HttpClient http, URI uri, String apiKey) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + apiKey)
                        .timeout(Duration.ofMinutes(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("report answered " + response.statusCode() + ": " + response.body());
        }
        String total = response.body();
        return "counts " + all(COUNT, total, 5) + " medians " + all(MEDIAN, total, 4) + " means " + all(MEAN, total, 4);
    }

    private static List<String> all(Pattern pattern, String text, int limit) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find() && out.size() < limit) {
            out.add(m.group(1).equals("null") ? "null" : Double.toString(Double.parseDouble(m.group(1))));
        }
        return out;
    }

    private static String twinFigures(
            Connection connection, FunnelTwin.Source source, boolean cohort, Instant start, Instant end)
            throws SQLException {
        FunnelTwin.Figures f = FunnelTwin.run(connection, source, cohort, start, end);
        return "counts " + f.counts().stream().map(c -> Double.toString(c)).toList() + " medians "
                + f.medians().stream()
                        .map(d -> d == null ? "null" : d.toString())
                        .toList() + " means "
                + f.means().stream().map(d -> d == null ? "null" : d.toString()).toList();
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
