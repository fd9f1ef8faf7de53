package dev.kindling.bench.salesforce;

import dev.kindling.bench.harness.ApiClient;
import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.bench.salesforce.SalesforceOrgData.Person;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W11, the Salesforce connector against the fake org (the {@code fake-salesforce} module) served in the bench's JVM,
 * the packaged app configured by environment to connect to it ({@code KINDLING_SALESFORCE_*}, a short cycle).
 *
 * <ol>
 *   <li><b>Initial sync</b>: the org holds the dataset's prospects as Leads and Contacts, their Accounts,
 *       Opportunities and contact roles ({@link SalesforceOrgData}); timed from the first cycle's start until every
 *       record is linked in Kindling; records per hour, API calls per record.
 *   <li><b>Steady state</b>: {@code perMinute} records changed per minute on each side (the title: in Salesforce as a
 *       user edits it; in Kindling by {@code PATCH /api/v1/prospects/{id}}), on disjoint records, each changed once;
 *       lag from the change to its value being visible on the other side, p50/p99; API calls per cycle.
 *   <li><b>Idle</b>: after the connector's 5-minute overlap window has passed the last change, calls per cycle.
 * </ol>
 *
 * The run verifies that every record is mapped once (no duplicate prospect, link, opportunity or role), every change
 * arrived, nothing is left in the outbox or the error queue, and prints {@code verified}.
 */
public final class SalesforceWorkload {

    /** The connector's overlap window (ProspectSync.OVERLAP): idle is measured after it passed the last change. */
    static final Duration OVERLAP = Duration.ofMinutes(5);

    static final int IDLE_CYCLES = 3;

    /** What to run. */
    public record Settings(
            DatasetSize size,
            long seed,
            Instant periodEnd,
            int cycleSeconds,
            int perMinute,
            Duration steady,
            Path appJar,
            List<String> appJvmArgs,
            Duration timeout) {

        /** A few minutes at S and above, half a minute at XS (each record is changed at most once). */
        public static Duration defaultSteady(DatasetSize size) {
            return size == DatasetSize.XS ? Duration.ofSeconds(30) : Duration.ofMinutes(3);
        }
    }

    private record Pending(Person person, long prospectId, String value, long changedAt) {}

    private final Settings settings;
    private final PrintStream log;

    public SalesforceWorkload(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public String run(String command) throws Exception {
        Dataset dataset = Dataset.of(settings.size(), settings.seed(), settings.periodEnd());
        // the org's data grew over time before the connector first reads it: one record a second, ending a day ago
        // (with one stamp for all, the connector's overlap window would hold every record; see docs/benchmarks.md)
        Instant past = Instant.now().minus(Duration.ofDays(1)).minusSeconds(records(settings.size()));
        AtomicLong created = new AtomicLong();
        boolean[] live = {false};
        FakeOrg org = FakeSalesforce.shared()
                .newOrg(() -> live[0] ? Instant.now() : past.plusSeconds(created.getAndIncrement()));
        // the allowance of a 60-second cycle in an Enterprise org with 50 licences (150,000 calls a day, 20 %) for each
        // of the bench's shorter cycles: the budget spreads the day's share over 86,400 / cycle seconds cycles
        org.dailyLimit(150_000L * Math.max(1, 60 / settings.cycleSeconds()));
        long t = System.nanoTime();
        SalesforceOrgData data = SalesforceOrgData.fill(org, dataset);
        live[0] = true;
        log.printf(
                Locale.ROOT,
                "W11: org filled in %s: %,d leads and contacts, %,d accounts, %,d opportunities, %,d contact roles%n",
                Duration.ofNanos(System.nanoTime() - t),
                data.people().size(),
                data.accounts(),
                data.opportunities(),
                data.contactRoles());
        Map<String, String> env = Map.of(
                "KINDLING_SALESFORCE_LOGIN_URL", FakeSalesforce.shared().loginUrl(),
                "KINDLING_SALESFORCE_CLIENT_ID", org.clientId(),
                "KINDLING_SALESFORCE_CLIENT_SECRET", org.clientSecret(),
                "KINDLING_SALESFORCE_CYCLE_SECONDS", Integer.toString(settings.cycleSeconds()));
        return AppProcess.onFreshDatabase(
                "W11",
                settings.appJar(),
                settings.appJvmArgs(),
                env,
                log,
                (app, database, connection) -> measure(org, data, app, database, connection, command));
    }

    private String measure(
            FakeOrg org,
            SalesforceOrgData data,
            AppProcess app,
            BenchDatabase database,
            Connection connection,
            String command)
            throws Exception {
        // (a) initial sync
        long waitStart = System.nanoTime();
        long deadline = waitStart + settings.timeout().toNanos();
        long nextReport = waitStart + TimeUnit.MINUTES.toNanos(1);
        while (!synced(connection, data)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not synced within " + settings.timeout() + ": " + counts(connection));
            }
            if (System.nanoTime() > nextReport) {
                log.printf(
                        "W11: after %d s: %s%n", (System.nanoTime() - waitStart) / 1_000_000_000L, counts(connection));
                nextReport += TimeUnit.MINUTES.toNanos(1);
            }
            Thread.sleep(250);
        }
        Instant syncedAt = Instant.now();
        long initialCalls = org.apiCallsUsed();
        Instant firstCycle = instant(connection, "SELECT min(started_at) FROM salesforce_cycle");
        if (firstCycle == null) {
            // everything arrived within the first cycle, which is recorded when it ends
            firstCycle = awaitInstant(connection, "SELECT min(started_at) FROM salesforce_cycle");
        }
        Duration initial = Duration.between(firstCycle, syncedAt);
        double perHour = data.records() * 3_600_000.0 / Math.max(1, initial.toMillis());
        log.printf(
                Locale.ROOT,
                "W11: initial sync of %,d records in %.1f s (%,.0f records/h), %,d API calls (%.5f per record)%n",
                data.records(),
                initial.toMillis() / 1000.0,
                perHour,
                initialCalls,
                initialCalls / (double) data.records());
        printCycles(connection, firstCycle, syncedAt);
        awaitQuiet(connection);

        // (b) steady state
        Map<String, Long> prospectOf = prospectIds(connection);
        List<Person> order = new ArrayList<>(data.people());
        Collections.shuffle(order, new Random(settings.seed()));
        Instant steadyFrom = Instant.now();
        long callsBefore = org.apiCallsUsed();
        List<Long> toKindling = new ArrayList<>();
        List<Long> toSalesforce = new ArrayList<>();
        steady(org, app, database, order, prospectOf, toKindling, toSalesforce);
        Instant steadyTo = Instant.now();
        long steadyCalls = org.apiCallsUsed() - callsBefore;
        List<Long> steadyPerCycle = callsPerCycle(connection, steadyFrom, steadyTo);
        log.printf(
                Locale.ROOT,
                "W11: steady state: %,d changes Salesforce → Kindling, %,d Kindling → Salesforce; %,d calls in %d"
                        + " cycles%n",
                toKindling.size(),
                toSalesforce.size(),
                steadyCalls,
                steadyPerCycle.size());

        // (c) idle: after the overlap window has passed the last change, a few cycles
        Instant idleFrom = steadyTo.plus(OVERLAP).plusSeconds(settings.cycleSeconds());
        log.printf("W11: idle from %s (the overlap window past the last change)%n", idleFrom);
        sleepUntil(idleFrom);
        Thread.sleep(settings.cycleSeconds() * 1000L * IDLE_CYCLES + 2_000);
        List<Long> idlePerCycle = callsPerCycle(connection, idleFrom, Instant.now());

        String problems = verify(connection, org, data);
        String rendered = new ResultTable()
                .column("workload", "W11")
                .column("size", settings.size())
                .column(
                        "records (leads+contacts / accounts / opportunities / roles)",
                        String.format(
                                Locale.ROOT,
                                "%,d / %,d / %,d / %,d",
                                data.people().size(),
                                data.accounts(),
                                data.opportunities(),
                                data.contactRoles()))
                .column("initial sync s", String.format(Locale.ROOT, "%.1f", initial.toMillis() / 1000.0))
                .column("records/h", String.format(Locale.ROOT, "%,.0f", perHour))
                .column(
                        "calls (per record)",
                        String.format(Locale.ROOT, "%,d (%.5f)", initialCalls, initialCalls / (double) data.records()))
                .column("cycle s", settings.cycleSeconds())
                .column("changes/min each side", settings.perMinute())
                .column("steady s", settings.steady().toSeconds())
                .column("lag SF→K p50/p99 s", lags(toKindling))
                .column("lag K→SF p50/p99 s", lags(toSalesforce))
                .column("p99 in cycles", String.format(Locale.ROOT, "%.2f", p99Cycles(toKindling, toSalesforce)))
                .column(
                        "cycle period s (steady, measured)",
                        String.format(Locale.ROOT, "%.1f", period(connection, steadyFrom, steadyTo)))
                .column("steady calls/cycle mean/max", perCycle(steadyPerCycle))
                .column("idle calls/cycle mean/max", perCycle(idlePerCycle))
                .render(MachineFacts.of(connection), command);
        return rendered
                + (problems.isEmpty()
                        ? "verified: every Lead and Contact linked to one prospect (no duplicate prospect or link),"
                                + " every account, opportunity and contact role mapped once, every change arrived on"
                                + " the other side, outbox and error queue empty\n"
                        : "NOT verified: " + problems + "\n");
    }

    /** An upper bound of the records the org gets: prospects, accounts, and fewer deals and roles than prospects. */
    private static long records(DatasetSize size) {
        return 2L * size.prospects() + size.accounts();
    }

    /** Changes on both sides at {@code perMinute} each for the steady duration, then waits until all arrived. */
    private void steady(
            FakeOrg org,
            AppProcess app,
            BenchDatabase database,
            List<Person> order,
            Map<String, Long> prospectOf,
            List<Long> toKindling,
            List<Long> toSalesforce)
            throws Exception {
        long perSide = settings.perMinute() * settings.steady().toSeconds() / 60;
        if (perSide * 2 > order.size()) {
            throw new IllegalStateException(
                    "too few records to change each once: " + perSide * 2 + " changes, " + order.size() + " records");
        }
        Map<String, Pending> inKindling = new ConcurrentHashMap<>(); // changed in Salesforce, awaited in Kindling
        Map<String, Pending> inSalesforce = new ConcurrentHashMap<>(); // changed in Kindling, awaited in Salesforce
        ApiClient api = new ApiClient(app.baseUri(), app.apiKey(), Duration.ofSeconds(60));
        ExecutorService patches = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = new ArrayList<>();
        try (Connection watch = database.connect()) {
            long start = System.nanoTime();
            long steadyNanos = settings.steady().toNanos();
            int made = 0;
            while (made < perSide) {
                long elapsed = System.nanoTime() - start;
                long due = Math.min(perSide, elapsed * perSide / steadyNanos + 1);
                for (; made < due; made++) {
                    Person sf = order.get(2 * made);
                    String sfValue = "W11 SF " + made;
                    org.edit(sf.object(), sf.id(), Map.of("Title", sfValue));
                    inKindling.put(sf.id(), new Pending(sf, prospectOf.get(sf.id()), sfValue, System.nanoTime()));
                    Person k = order.get(2 * made + 1);
                    String kValue = "W11 K " + made;
                    long prospect = prospectOf.get(k.id());
                    sent.add(patches.submit(() -> {
                        long at = System.nanoTime();
                        api.call("PATCH", "/api/v1/prospects/" + prospect, "{\"jobTitle\":\"" + kValue + "\"}", 200);
                        inSalesforce.put(k.id(), new Pending(k, prospect, kValue, at));
                        return null;
                    }));
                }
                collect(watch, org, inKindling, inSalesforce, toKindling, toSalesforce);
                Thread.sleep(100);
            }
            for (Future<?> f : sent) {
                f.get();
            }
            long deadline = System.nanoTime()
                    + Duration.ofSeconds(20L * settings.cycleSeconds()).toNanos();
            while (!inKindling.isEmpty() || !inSalesforce.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(inKindling.size() + " changes never reached Kindling, "
                            + inSalesforce.size() + " never reached Salesforce");
                }
                Thread.sleep(100);
                collect(watch, org, inKindling, inSalesforce, toKindling, toSalesforce);
            }
        } finally {
            patches.shutdownNow();
        }
    }

    /** Records the lag of every pending change now visible on the other side. */
    private static void collect(
            Connection watch,
            FakeOrg org,
            Map<String, Pending> inKindling,
            Map<String, Pending> inSalesforce,
            List<Long> toKindling,
            List<Long> toSalesforce)
            throws SQLException {
        long now = System.nanoTime();
        if (!inKindling.isEmpty()) {
            Map<Long, String> byProspect = new HashMap<>();
            Map<Long, String> sfIdOf = new HashMap<>();
            inKindling.forEach((id, p) -> {
                byProspect.put(p.prospectId(), p.value());
                sfIdOf.put(p.prospectId(), id);
            });
            try (PreparedStatement s = watch.prepareStatement("SELECT id, job_title FROM prospect WHERE id = ANY(?)")) {
                Array ids = watch.createArrayOf("bigint", byProspect.keySet().toArray());
                s.setArray(1, ids);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        if (byProspect.get(id).equals(rs.getString(2))) {
                            Pending p = inKindling.remove(sfIdOf.get(id));
                            toKindling.add(now - p.changedAt());
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, Pending> e : List.copyOf(inSalesforce.entrySet())) {
            Pending p = e.getValue();
            if (p.value().equals(org.record(p.person().object(), e.getKey()).get("Title"))) {
                inSalesforce.remove(e.getKey());
                toSalesforce.add(now - p.changedAt());
            }
        }
    }

    private static boolean synced(Connection c, SalesforceOrgData data) throws SQLException {
        return count(c, "SELECT count(*) FROM salesforce_record WHERE state = 'ACTIVE'")
                        == data.people().size()
                && count(c, "SELECT count(*) FROM salesforce_account") == data.accounts()
                && count(c, "SELECT count(*) FROM salesforce_opportunity") == data.opportunities()
                && count(c, "SELECT count(*) FROM salesforce_contact_role") == data.contactRoles();
    }

    private static String counts(Connection c) throws SQLException {
        return String.format(
                Locale.ROOT,
                "%,d linked leads and contacts, %,d accounts, %,d opportunities, %,d contact roles",
                count(c, "SELECT count(*) FROM salesforce_record WHERE state = 'ACTIVE'"),
                count(c, "SELECT count(*) FROM salesforce_account"),
                count(c, "SELECT count(*) FROM salesforce_opportunity"),
                count(c, "SELECT count(*) FROM salesforce_contact_role"));
    }

    /** What each cycle of the initial sync did, per object. */
    private void printCycles(Connection c, Instant from, Instant to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT started_at, object, round(extract(epoch FROM finished_at - started_at)::numeric, 1), created,
                       updated, api_calls, coalesce(note, '')
                  FROM salesforce_cycle WHERE started_at >= ? AND started_at <= ? ORDER BY started_at, id""")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    log.printf(
                            Locale.ROOT,
                            "W11:   cycle %s %-22s %6s s  created %,7d  updated %,7d  calls %d %s%n",
                            rs.getTimestamp(1).toInstant(),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getLong(4),
                            rs.getLong(5),
                            rs.getLong(6),
                            rs.getString(7));
                }
            }
        }
    }

    /** Waits until the outbox is empty (the initial sync may queue score and stage values for Salesforce). */
    private void awaitQuiet(Connection c) throws Exception {
        long deadline = System.nanoTime()
                + Duration.ofSeconds(30L * settings.cycleSeconds()).toNanos();
        while (count(c, "SELECT count(*) FROM salesforce_outbox") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the outbox did not drain after the initial sync");
            }
            Thread.sleep(500);
        }
    }

    /** Everything that is wrong after the run, or an empty string. */
    private static String verify(Connection c, FakeOrg org, SalesforceOrgData data) throws SQLException {
        List<String> problems = new ArrayList<>();
        int people = data.people().size();
        expect(problems, c, "SELECT count(*) FROM salesforce_record", people, "Salesforce record links");
        expect(problems, c, "SELECT count(*) FROM salesforce_record WHERE state = 'ACTIVE'", people, "active links");
        expect(problems, c, "SELECT count(DISTINCT prospect_id) FROM salesforce_record", people, "linked prospects");
        expect(problems, c, "SELECT count(*) FROM prospect", people, "prospects");
        expect(problems, c, "SELECT count(DISTINCT lower(email)) FROM prospect", people, "distinct prospect emails");
        expect(problems, c, "SELECT count(*) FROM salesforce_account", data.accounts(), "account links");
        expect(problems, c, "SELECT count(*) FROM salesforce_opportunity", data.opportunities(), "opportunity links");
        expect(problems, c, "SELECT count(*) FROM opportunity", data.opportunities(), "opportunities");
        expect(problems, c, "SELECT count(*) FROM salesforce_contact_role", data.contactRoles(), "role links");
        expect(problems, c, "SELECT count(*) FROM opportunity_contact_role", data.contactRoles(), "contact roles");
        expect(problems, c, "SELECT count(*) FROM salesforce_outbox", 0, "outbox rows");
        expect(problems, c, "SELECT count(*) FROM salesforce_error WHERE resolved_at IS NULL", 0, "open errors");
        // nothing was created in Salesforce by the sync: the org holds what the bench made
        if (org.records("Lead").size() + org.records("Contact").size() != people) {
            problems.add("Salesforce holds "
                    + (org.records("Lead").size() + org.records("Contact").size()) + " leads and contacts, expected "
                    + people);
        }
        return String.join("; ", problems);
    }

    private static void expect(List<String> problems, Connection c, String sql, long expected, String what)
            throws SQLException {
        long actual = count(c, sql);
        if (actual != expected) {
            problems.add(what + ": " + actual + ", expected " + expected);
        }
    }

    /** The map from Lead or Contact id to its prospect. */
    private static Map<String, Long> prospectIds(Connection c) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT sf_id, prospect_id FROM salesforce_record WHERE state = 'ACTIVE'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** API calls of each cycle that started in the window (a cycle's calls are on its first row). */
    private static List<Long> callsPerCycle(Connection c, Instant from, Instant to) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT sum(api_calls) FROM salesforce_cycle WHERE started_at >= ? AND started_at < ?
                 GROUP BY started_at ORDER BY started_at""")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** The mean time between the starts of the cycles in the window: the interval, or longer when cycles take longer. */
    private static double period(Connection c, Instant from, Instant to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT extract(epoch FROM max(started_at) - min(started_at)) / greatest(count(DISTINCT started_at) - 1, 1)
                  FROM salesforce_cycle WHERE started_at >= ? AND started_at < ?""")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    private static String perCycle(List<Long> calls) {
        if (calls.isEmpty()) {
            return "no cycle";
        }
        return String.format(
                Locale.ROOT,
                "%.2f / %d (%d cycles)",
                calls.stream().mapToLong(Long::longValue).average().orElse(0),
                calls.stream().mapToLong(Long::longValue).max().orElse(0),
                calls.size());
    }

    private static String lags(List<Long> nanos) {
        return String.format(
                Locale.ROOT,
                "%.1f / %.1f (n %,d)",
                percentile(nanos, 50) / 1e9,
                percentile(nanos, 99) / 1e9,
                nanos.size());
    }

    private double p99Cycles(List<Long> a, List<Long> b) {
        return Math.max(percentile(a, 99), percentile(b, 99)) / 1e9 / settings.cycleSeconds();
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Instant instant(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return t == null ? null : t.toInstant();
        }
    }

    private static Instant awaitInstant(Connection c, String sql) throws Exception {
        for (int i = 0; i < 1200; i++) {
            Instant at = instant(c, sql);
            if (at != null) {
                return at;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no cycle recorded within 5 minutes");
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long millis = Duration.between(Instant.now(), at).toMillis();
        if (millis > 0) {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
    }
}
