package dev.kindling.bench.rescore;

import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.ActivityRows;
import dev.kindling.dataset.load.DatasetCopy;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * RESCORE, retroactive rescoring. Setup, not timed: the dataset's campaigns, accounts and prospects, then its
 * first N activities as already processed history (prospect resolved, {@code processed_at} set), all by
 * {@code COPY}; optionally a baseline rescore under the installed model, so scores and ledger look as they
 * would in production. Timed: after the page-view rule goes from +1 to +2 through the API, the app's rescore
 * preview and then the rescore itself. Checked afterwards in SQL: the ledger's law holds for every prospect and
 * the rescore wrote one RESCORE entry per changed prospect. Then the twin ({@link RescoreTwin}) in the same
 * database.
 */
public final class RescoreWorkload {

    /**
     * @param activities  N, how many activities of the dataset (from the start of its stream) form the history
     * @param baseline    whether to rescore once under the installed model before the timed edit
     * @param timeout     longest wait for one rescore request
     */
    public record Settings(
            DatasetSize size,
            long seed,
            Instant periodEnd,
            long activities,
            boolean baseline,
            Path appJar,
            List<String> appJvmArgs,
            Duration timeout) {

        /** N when none is given: the whole stream at XS and DEMO, a million at S and M (setup in minutes). */
        public static long defaultActivities(DatasetSize size) {
            return Math.min(size.activities(), 1_000_000L);
        }
    }

    /** One run's figures. */
    record Result(
            long activities,
            long prospects,
            long prospectsWithHistory,
            long previewChanged,
            long changed,
            Duration baseline,
            Duration preview,
            Duration apply,
            Duration twin,
            long twinUpdated,
            long agreeing,
            long foldMismatches,
            long rescoreEntries) {}

    static final int PAGE_VIEW_POINTS_AFTER = 2;

    private final Settings settings;
    private final PrintStream log;

    public RescoreWorkload(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /** Runs the workload from a fresh database and app, and returns the rendered result table. */
    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        log.printf(
                "RESCORE: size %s, seed %d, N %,d; starting PostgreSQL (fsync on)%n",
                settings.size(), settings.seed(), settings.activities());
        try (BenchDatabase database = BenchDatabase.startDurable()) {
            log.println("RESCORE: starting the app from " + settings.appJar());
            try (AppProcess app = AppProcess.start(
                            settings.appJar(),
                            database.jdbcUrl(),
                            BenchDatabase.USER,
                            BenchDatabase.PASSWORD,
                            settings.appJvmArgs());
                    Connection connection = database.connect()) {
                log.println("RESCORE: app is up at " + app.baseUri() + " (log: " + app.log() + ")");
                try {
                    Result result = measure(dataset, app.baseUri(), app.apiKey(), connection);
                    return table(result, MachineFacts.of(connection), command);
                } catch (Exception e) {
                    log.println("RESCORE failed; the app's last log lines:\n" + app.logTail(60));
                    throw e;
                }
            }
        }
    }

    Result measure(Dataset dataset, URI baseUri, String apiKey, Connection connection) throws Exception {
        long started = System.nanoTime();
        long copied = load(dataset, settings.activities(), connection);
        long prospects = count(connection, "SELECT count(*) FROM prospect");
        long withHistory = count(connection, "SELECT count(DISTINCT prospect_id) FROM activity");
        log.printf(
                "RESCORE: loaded %,d prospects, %,d processed activities of %,d prospects in %s%n",
                prospects, copied, withHistory, Duration.ofNanos(System.nanoTime() - started));

        RescoreClient client = new RescoreClient(baseUri, apiKey, settings.timeout());
        Duration baseline = Duration.ZERO;
        if (settings.baseline()) {
            long t = System.nanoTime();
            RescoreClient.Summary first = client.apply();
            baseline = Duration.ofNanos(System.nanoTime() - t);
            log.printf(
                    "RESCORE: baseline rescore under the installed model: %,d examined, %,d changed in %s%n",
                    first.prospects(), first.changed(), baseline);
        }

        long rule = client.pageViewRule();
        client.setPoints(rule, PAGE_VIEW_POINTS_AFTER);
        log.printf("RESCORE: rule %d (page view) now gives +%d; previewing%n", rule, PAGE_VIEW_POINTS_AFTER);

        long t = System.nanoTime();
        RescoreClient.Summary preview = client.preview();
        Duration previewTime = Duration.ofNanos(System.nanoTime() - t);
        log.printf("RESCORE: preview in %s: %s%n", previewTime, preview.body());

        long ledgerBefore = LedgerCheck.maxLedgerId(connection);
        t = System.nanoTime();
        RescoreClient.Summary applied = client.apply();
        Duration applyTime = Duration.ofNanos(System.nanoTime() - t);
        log.printf("RESCORE: apply in %s: %s%n", applyTime, applied.body());

        long mismatches = LedgerCheck.foldMismatches(connection);
        long entries = LedgerCheck.rescoreEntriesAfter(connection, ledgerBefore);
        log.printf("RESCORE: ledger law broken for %,d prospects; %,d RESCORE entries written%n", mismatches, entries);

        RescoreTwin.prepare(connection);
        RescoreTwin.Run twin = RescoreTwin.run(connection);
        long agreeing = RescoreTwin.agreeing(connection);
        RescoreTwin.drop(connection);
        log.printf(
                "RESCORE: twin UPDATE of %,d prospects in %s; engine and twin agree on %,d prospects%n",
                twin.updated(), twin.elapsed(), agreeing);
        return new Result(
                copied,
                prospects,
                withHistory,
                preview.changed(),
                applied.changed(),
                baseline,
                previewTime,
                applyTime,
                twin.elapsed(),
                twin.updated(),
                agreeing,
                mismatches,
                entries);
    }

    /**
     * Setup: copies campaigns, accounts, prospects and the first {@code activities} activities as processed
     * history; returns the activities copied.
     */
    static long load(Dataset dataset, long activities, Connection connection) throws SQLException {
        Instant now = Instant.now();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaignIds = copy.copyCampaigns(dataset.campaigns(), now);
        long[] accountIds = copy.copyAccounts(dataset, now);
        long[] prospectIds = copy.copyProspects(dataset, accountIds, campaignIds, "import:bench");
        copy.coverActivityMonths(dataset.periodStart(), dataset.periodEnd());
        long copied = copy.copyActivities(
                dataset.activities().limit(activities), new ActivityRows("", prospectIds, campaignIds, now, now));
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        }
        return copied;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private String table(Result r, MachineFacts facts, String command) {
        String table = new ResultTable()
                .column("workload", "RESCORE")
                .column("size", settings.size())
                .column("seed", settings.seed())
                .column("N activities", String.format(Locale.ROOT, "%,d", r.activities()))
                .column(
                        "prospects (with history)",
                        String.format(Locale.ROOT, "%,d (%,d)", r.prospects(), r.prospectsWithHistory()))
                .column("changed", String.format(Locale.ROOT, "%,d", r.changed()))
                .column("engine preview s", seconds(r.preview()))
                .column("engine apply s", seconds(r.apply()))
                .column("twin UPDATE s", seconds(r.twin()))
                .column("ratio preview/twin", ratio(r.preview(), r.twin()))
                .column("ratio apply/twin", ratio(r.apply(), r.twin()))
                .render(facts, command);
        StringBuilder out = new StringBuilder(table);
        out.append(String.format(
                Locale.ROOT,
                "%nbaseline rescore (setup, not in the ratio): %s s; twin updated %,d prospects; engine and twin"
                        + " scores agree on %,d of %,d prospects (the twin ignores decay and caps)%n",
                settings.baseline() ? seconds(r.baseline()) : "skipped",
                r.twinUpdated(),
                r.agreeing(),
                r.prospects()));
        if (r.foldMismatches() != 0 || r.rescoreEntries() != r.changed() || r.previewChanged() != r.changed()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%nWARNING: ledger law broken for %,d prospects; %,d RESCORE entries for %,d changed;"
                            + " preview said %,d would change: the figure is suspect.%n",
                    r.foldMismatches(),
                    r.rescoreEntries(),
                    r.changed(),
                    r.previewChanged()));
        } else {
            out.append(String.format(
                    Locale.ROOT,
                    "verified: ledger fold = score for all %,d prospects; %,d RESCORE entries = changed = previewed%n",
                    r.prospects(),
                    r.rescoreEntries()));
        }
        return out.toString();
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f", duration.toNanos() / 1e9);
    }

    private static String ratio(Duration engine, Duration twin) {
        return String.format(Locale.ROOT, "%.1f", engine.toNanos() / (double) Math.max(1, twin.toNanos()));
    }
}
