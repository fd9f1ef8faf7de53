package dev.kindling.bench.rules;

import dev.kindling.bench.harness.ApiClient;
import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.DatasetCopy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * W3, a retroactive automation rule. Setup, not timed: the dataset's campaigns, accounts and prospects by COPY,
 * each prospect's last activity and a score from the dataset's activity stream ({@link RuleTwin#summarise}); the
 * rule "days since last activity ≥ 90 → adjust score −100" created (paused) through the API. Timed: {@code POST
 * /{id}/preview}, then {@code POST /{id}/resume}, which answers once the retroactive run is over (it is synchronous).
 * Checked in SQL: matches recorded = prospects meeting the condition = AUTOMATION ledger entries, and every score is
 * the twin's. The twin ({@link RuleTwin}) runs on a copy of the prospects taken before the resume.
 */
public final class RuleWorkload {

    /** What to run. */
    public record Settings(
            DatasetSize size, long seed, Instant periodEnd, Path appJar, List<String> appJvmArgs, Duration timeout) {}

    static final String RULE = """
            {"name": "Quiet for 90 days",
             "condition": {"daysSinceLastActivity": {"gte": 90}},
             "actions": [{"type": "adjustScore", "points": -100}]}""";

    private final Settings settings;
    private final PrintStream log;

    public RuleWorkload(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        log.printf("W3: size %s, seed %d; starting PostgreSQL (fsync on)%n", settings.size(), settings.seed());
        return AppProcess.onFreshDatabase(
                "W3", settings.appJar(), settings.appJvmArgs(), log, (app, database, connection) -> {
                    return measure(
                            dataset,
                            new ApiClient(app.baseUri(), app.apiKey(), settings.timeout()),
                            connection,
                            command);
                });
    }

    private String measure(Dataset dataset, ApiClient api, Connection connection, String command) throws Exception {
        long started = System.nanoTime();
        Instant now = Instant.now();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaigns = copy.copyCampaigns(dataset.campaigns(), now);
        long[] accounts = copy.copyAccounts(dataset, now);
        long[] prospects = copy.copyProspects(dataset, accounts, campaigns, "import:bench");
        long active = RuleTwin.summarise(dataset, prospects, connection);
        log.printf(
                "W3: loaded %,d prospects (%,d with a last activity and a score) in %s%n",
                prospects.length, active, Duration.ofNanos(System.nanoTime() - started));

        long ruleId = ApiClient.number(api.call("POST", "/api/v1/automation-rules", RULE, 201), "id");
        RuleTwin.prepare(connection);
        int floor = RuleTwin.floor(connection);
        Instant bound = Instant.now().minus(Duration.ofDays(90));
        long meeting = RuleTwin.meeting(connection, bound);

        long t = System.nanoTime();
        String preview = api.call("POST", "/api/v1/automation-rules/" + ruleId + "/preview", null, 200);
        Duration previewTime = Duration.ofNanos(System.nanoTime() - t);
        long previewCount = ApiClient.number(preview, "count");
        log.printf(
                "W3: preview in %s: count %,d, eligible %,d%n",
                previewTime, previewCount, ApiClient.number(preview, "eligible"));

        t = System.nanoTime();
        String resumed = api.call("POST", "/api/v1/automation-rules/" + ruleId + "/resume", null, 200);
        Duration resumeTime = Duration.ofNanos(System.nanoTime() - t);
        long matched = ApiClient.number(resumed, "matched");
        log.printf("W3: resume in %s: %s%n", resumeTime, resumed);

        long recorded = RuleTwin.matchesRecorded(connection, ruleId);
        long ledger = RuleTwin.ledgerEntries(connection, ruleId);
        long atFloor = RuleTwin.atFloor(connection, bound, floor);

        RuleTwin.Run twin = RuleTwin.run(connection, floor, bound);
        long disagreeing = RuleTwin.disagreeing(connection);
        RuleTwin.drop(connection);
        log.printf(
                "W3: twin UPDATE of %,d rows in %s; engine and twin scores differ for %,d prospects%n",
                twin.updated(), twin.elapsed(), disagreeing);

        String table = new ResultTable()
                .column("workload", "W3 retroactive rule")
                .column("size", settings.size())
                .column("seed", settings.seed())
                .column("prospects", String.format(Locale.ROOT, "%,d", prospects.length))
                .column("matched", String.format(Locale.ROOT, "%,d", matched))
                .column("engine preview s", seconds(previewTime))
                .column("engine resume s", seconds(resumeTime))
                .column("twin UPDATE s", seconds(twin.elapsed()))
                .column("ratio resume/twin", ratio(resumeTime, twin.elapsed()))
                .column("ratio preview/twin", ratio(previewTime, twin.elapsed()))
                .column("load average", MachineFacts.currentLoadAverage())
                .render(MachineFacts.of(connection), command);
        StringBuilder out = new StringBuilder(table);
        out.append(String.format(
                Locale.ROOT,
                "%nmeeting the condition (SQL, bound %s): %,d; preview count %,d;"
                        + " resume matched %,d; automation_match rows %,d; AUTOMATION ledger entries %,d; twin updated"
                        + " %,d; matched prospects at the floor (%d) afterwards: %,d%n",
                bound,
                meeting,
                previewCount,
                matched,
                recorded,
                ledger,
                twin.updated(),
                floor,
                atFloor));
        if (matched != meeting
                || recorded != matched
                || ledger != matched
                || disagreeing != 0
                || twin.updated() != meeting) {
            out.append(String.format(
                    Locale.ROOT,
                    "WARNING: the counts above disagree or %,d scores differ from the"
                            + " twin's: the figure is suspect.%n",
                    disagreeing));
        } else {
            out.append("verified: matched = meeting = match rows = ledger entries = twin rows; every score = the"
                    + " twin's (old − 100, not below the floor)\n");
        }
        return out.toString();
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f", duration.toNanos() / 1e9);
    }

    static String ratio(Duration engine, Duration twin) {
        return String.format(Locale.ROOT, "%.1f", engine.toNanos() / (double) Math.max(1, twin.toNanos()));
    }
}
