package dev.kindling.bench.lists;

import dev.kindling.bench.harness.ApiClient;
import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.bench.ingest.W1Ingest;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.dataset.load.ActivityRows;
import dev.kindling.dataset.load.DatasetCopy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * W4, dynamic lists. Setup, not timed: campaigns, accounts and prospects by COPY, and the first N activities of the
 * dataset as processed history (with each prospect's {@code last_activity_at}, as intake keeps it). Timed, (a) full
 * rebuild: {@code POST /api/v1/lists} of a dynamic list "industry in (Software, Financial Services), employees ≥ 100,
 * clicked an email within 90 days" (the list is filled in the request), then {@code PUT} of a wider condition (three industries, ≥ 50, 180 days); each next to the twin
 * ({@link ListTwin}) filling an empty table with the same members, and checked equal. (b) incremental: for
 * {@value #SAMPLES} prospects that meet the fields but not the click, one EMAIL_CLICK each through {@code POST
 * /api/v1/activities}, one after the other; the time from the 202 to the prospect's {@code list_member} row being
 * visible (polled in SQL every millisecond), p50 and p99.
 */
public final class ListWorkload {

    static final int SAMPLES = 100;

    static final ListTwin.Criteria CREATED = new ListTwin.Criteria(List.of("Software", "Financial Services"), 100, 90);
    static final ListTwin.Criteria EDITED =
            new ListTwin.Criteria(List.of("Software", "Financial Services", "Healthcare"), 50, 180);

    /**
     * What to run; {@code activities} is N, the history loaded from the start of the dataset's stream; {@code
     * configuration} the rules, dynamic lists and running programs present during the timed part (W1's realistic
     * configuration with {@code --with-rules 200 --with-lists 50 --with-programs 20}), installed through the API after
     * the history is loaded.
     */
    public record Settings(
            DatasetSize size,
            long seed,
            Instant periodEnd,
            long activities,
            Path appJar,
            List<String> appJvmArgs,
            Duration timeout,
            W1Ingest.Configuration configuration,
            Path dataDirectory) {

        /** The kept setup {@code --data-dir} names (shared with W5). */
        public ConfiguredSetup.Spec keptSetup() {
            return new ConfiguredSetup.Spec(size, seed, periodEnd, activities, configuration);
        }

        /** N when none is given: the whole stream at XS and DEMO, a million at S and M (setup in minutes). */
        public static long defaultActivities(DatasetSize size) {
            return Math.min(size.activities(), 1_000_000L);
        }
    }

    private record Rebuild(
            Duration http, long millis, long joined, long left, long members, ListTwin.Run twin, long differences) {}

    private final Settings settings;
    private final PrintStream log;

    public ListWorkload(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        log.printf(
                "W4: size %s, seed %d, N %,d; starting PostgreSQL (fsync on)%n",
                settings.size(), settings.seed(), settings.activities());
        if (settings.dataDirectory() != null) {
            return ConfiguredSetup.run(
                    "W4",
                    settings.dataDirectory(),
                    settings.keptSetup(),
                    settings.appJar(),
                    settings.appJvmArgs(),
                    settings.timeout(),
                    false,
                    log,
                    (app, database, connection, installed) -> {
                        long copied = count(connection, "SELECT count(*) FROM activity");
                        return timed(
                                new ApiClient(app.baseUri(), app.apiKey(), settings.timeout()),
                                connection,
                                command,
                                copied,
                                installed);
                    });
        }
        try (BenchDatabase database = BenchDatabase.startDurable()) {
            try (AppProcess app = AppProcess.start(
                            settings.appJar(),
                            database.jdbcUrl(),
                            BenchDatabase.USER,
                            BenchDatabase.PASSWORD,
                            settings.appJvmArgs());
                    Connection connection = database.connect()) {
                log.println("W4: app is up at " + app.baseUri() + " (log: " + app.log() + ")");
                try {
                    return measure(
                            dataset,
                            new ApiClient(app.baseUri(), app.apiKey(), settings.timeout()),
                            connection,
                            command);
                } catch (Exception e) {
                    log.println("W4 failed; the app's last log lines:\n" + app.logTail(60));
                    throw e;
                }
            }
        }
    }

    /** Setup: campaigns, accounts, prospects and the first {@code activities} activities as processed history. */
    public static long load(Dataset dataset, long activities, Connection connection) throws SQLException {
        Instant now = Instant.now();
        DatasetCopy copy = new DatasetCopy(connection);
        long[] campaigns = copy.copyCampaigns(dataset.campaigns(), now);
        long[] accounts = copy.copyAccounts(dataset, now);
        long[] prospects = copy.copyProspects(dataset, accounts, campaigns, "import:bench");
        copy.coverActivityMonths(dataset.periodStart(), dataset.periodEnd());
        long copied = copy.copyActivities(
                dataset.activities().limit(activities), new ActivityRows("", prospects, campaigns, now, now));
        try (Statement statement = connection.createStatement()) {
            // what intake keeps for processed activities: the latest real (non-bot) activity of each prospect
            statement.execute("""
                    UPDATE prospect p SET last_activity_at = a.latest
                      FROM (SELECT prospect_id, max(occurred_at) AS latest FROM activity
                             WHERE NOT bot AND prospect_id IS NOT NULL GROUP BY prospect_id) a
                     WHERE a.prospect_id = p.id""");
            statement.execute("ANALYZE");
        }
        return copied;
    }

    private String measure(Dataset dataset, ApiClient api, Connection connection, String command) throws Exception {
        long started = System.nanoTime();
        long copied = load(dataset, settings.activities(), connection);
        log.printf(
                "W4: loaded %,d prospects and %,d processed activities in %s%n",
                settings.size().prospects(), copied, Duration.ofNanos(System.nanoTime() - started));
        // the configuration is installed on the loaded history, as a user's would be: the lists are rebuilt over it and
        // the rules' retroactive passes match it (setup, not timed)
        Duration installed = settings.configuration().install(api, "W4", log);
        if (settings.configuration().any()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE");
            }
        }
        return timed(api, connection, command, copied, installed);
    }

    /**
     * The timed part, on the loaded history with the configuration installed; {@code installed} is null when the run
     * reuses a kept setup.
     */
    private String timed(ApiClient api, Connection connection, String command, long copied, Duration installed)
            throws Exception {
        ListTwin.prepare(connection);

        long t = System.nanoTime();
        String created = api.call(
                "POST",
                "/api/v1/lists",
                "{\"name\": \"W4 clickers\", \"kind\": \"DYNAMIC\", \"condition\": " + CREATED.json() + "}",
                201);
        Duration createTime = Duration.ofNanos(System.nanoTime() - t);
        long listId = ApiClient.number(created, "id");
        Rebuild create = rebuilt(connection, listId, created, createTime, CREATED);
        log.printf("W4: create in %s: %s%n", createTime, created);

        t = System.nanoTime();
        String edited = api.call(
                "PUT",
                "/api/v1/lists/" + listId,
                "{\"name\": \"W4 clickers\", \"kind\": \"DYNAMIC\", \"condition\": " + EDITED.json() + "}",
                200);
        Duration editTime = Duration.ofNanos(System.nanoTime() - t);
        Rebuild edit = rebuilt(connection, listId, edited, editTime, EDITED);
        log.printf("W4: edit in %s: %s%n", editTime, edited);
        ListTwin.drop(connection);

        long[] latencies = incremental(api, connection, listId);
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);

        String table = new ResultTable()
                .column("workload", "W4 dynamic list" + settings.configuration().describe())
                .column("size", settings.size())
                .column("seed", settings.seed())
                .column("N activities", String.format(Locale.ROOT, "%,d", copied))
                .column(
                        "configuration installed in (setup)",
                        !settings.configuration().any()
                                ? "none"
                                : installed == null ? "kept setup reused" : seconds(installed) + " s")
                .column(
                        "create: members / engine s (rebuild ms) / twin s / ratio engine (rebuild)",
                        String.format(
                                Locale.ROOT,
                                "%,d / %s (%d) / %s / %s (%s)",
                                create.members(),
                                seconds(create.http()),
                                create.millis(),
                                seconds(create.twin().elapsed()),
                                ratio(create.http(), create.twin().elapsed()),
                                ratio(
                                        Duration.ofMillis(create.millis()),
                                        create.twin().elapsed())))
                .column(
                        "edit: +joined −left = members / engine s (rebuild ms) / twin s / ratio engine (rebuild)",
                        String.format(
                                Locale.ROOT,
                                "+%,d −%,d = %,d / %s (%d) / %s / %s (%s)",
                                edit.joined(),
                                edit.left(),
                                edit.members(),
                                seconds(edit.http()),
                                edit.millis(),
                                seconds(edit.twin().elapsed()),
                                ratio(edit.http(), edit.twin().elapsed()),
                                ratio(
                                        Duration.ofMillis(edit.millis()),
                                        edit.twin().elapsed())))
                .column(
                        "incremental accepted → member ms p50 / p99 / max (n)",
                        latencies.length == 0
                                ? "no candidates"
                                : String.format(
                                        Locale.ROOT,
                                        "%.1f / %.1f / %.1f (%d)",
                                        percentile(sorted, 50) / 1e6,
                                        percentile(sorted, 99) / 1e6,
                                        sorted[sorted.length - 1] / 1e6,
                                        sorted.length))
                .column("load average", MachineFacts.currentLoadAverage())
                .render(MachineFacts.of(connection), command);
        StringBuilder out = new StringBuilder(table);
        out.append("\nratios are the engine's HTTP time (create or edit, including the rebuild and the scheduling of"
                + " next checks) over the twin's INSERT … SELECT; rebuild ms is what the app reports for its two"
                + " statements\n");
        if (create.differences() != 0
                || edit.differences() != 0
                || create.members() != create.twin().inserted()
                || edit.members() != edit.twin().inserted()) {
            out.append(String.format(
                    Locale.ROOT,
                    "WARNING: engine and twin differ on %,d (create) and %,d (edit)"
                            + " prospects: the figure is suspect.%n",
                    create.differences(),
                    edit.differences()));
        } else {
            out.append("verified: after create and after edit the list's members are exactly the twin's rows;"
                    + " every incremental sample joined (n ="
                    + " the candidates meeting the fields but not the click, at most " + SAMPLES + ")\n");
        }
        return out.toString();
    }

    private Rebuild rebuilt(
            Connection connection, long listId, String answer, Duration http, ListTwin.Criteria criteria)
            throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("TRUNCATE " + ListTwin.TABLE);
        }
        ListTwin.Run twin = ListTwin.run(connection, listId, criteria, Instant.now());
        long members = count(connection, "SELECT count(*) FROM list_member WHERE list_id = " + listId);
        return new Rebuild(
                http,
                ApiClient.number(answer, "millis"),
                ApiClient.number(answer, "joined"),
                ApiClient.number(answer, "left"),
                members,
                twin,
                ListTwin.differences(connection, listId));
    }

    /**
     * Sends one click for each of up to {@value #SAMPLES} prospects that meet the list's fields but are not members,
     * one at a time, and answers the nanoseconds from each 202 to the membership row being visible.
     */
    private long[] incremental(ApiClient api, Connection connection, long listId) throws Exception {
        List<String> emails = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT p.email FROM prospect p
                 WHERE lower(p.industry) = ANY (?) AND p.employees >= ?
                   AND NOT EXISTS (SELECT 1 FROM list_member m WHERE m.list_id = ? AND m.prospect_id = p.id)
                 ORDER BY p.id LIMIT ?""")) {
            s.setArray(
                    1,
                    connection.createArrayOf(
                            "text",
                            EDITED.industries().stream()
                                    .map(i -> i.toLowerCase(Locale.ROOT))
                                    .toArray()));
            s.setInt(2, EDITED.minEmployees());
            s.setLong(3, listId);
            s.setInt(4, SAMPLES);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    emails.add(r.getString(1));
                }
            }
        }
        long[] latencies = new long[emails.size()];
        int done = 0;
        try (PreparedStatement visible = connection.prepareStatement("""
                SELECT 1 FROM list_member m JOIN prospect p ON p.id = m.prospect_id
                 WHERE m.list_id = ? AND p.email = ?""")) {
            for (String email : emails) {
                String body = "{\"activities\": [{\"externalId\": \"w4-incremental-" + done + "\", \"email\": \""
                        + email + "\", \"type\": \"EMAIL_CLICK\", \"occurredAt\": \"" + Instant.now()
                        + "\", \"properties\": {\"url\": \"https://example.com/w4\"}}]}";
                api.call("POST", "/api/v1/activities", body, 202);
                long accepted = System.nanoTime();
                long deadline = accepted + Duration.ofSeconds(30).toNanos();
                visible.setLong(1, listId);
                visible.setString(2, email);
                while (true) {
                    try (ResultSet r = visible.executeQuery()) {
                        if (r.next()) {
                            break;
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(email + " did not join list " + listId + " within 30 s");
                    }
                    Thread.sleep(1);
                }
                latencies[done++] = System.nanoTime() - accepted;
            }
        }
        return latencies;
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }

    private static String ratio(Duration engine, Duration twin) {
        return String.format(Locale.ROOT, "%.1f", engine.toNanos() / (double) Math.max(1, twin.toNanos()));
    }
}
