package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.closedloop.Action;
import dev.kindling.engine.closedloop.ClosedLoop;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.scoring.ScoringModels;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report counts the cohort's actions in SQL ({@link ActionQuery}); this test keeps the previous path — every
 * activity of the cohort read into the app, each prospect's actions derived by the engine ({@code Action.of}) and
 * analysed from the subjects — and checks that both give the same rows, pooled row and validation, on a randomized
 * cohort (fixed seed) whose URLs need normalising (scheme, host, query, fragment, case, trailing slashes,
 * whitespace, blank), whose downloads, opens and page views reach the frequency bands in some 30-day windows and not
 * in others, and with activities that are ignored (sent emails).
 */
@IntegrationTest
class ClosedLoopSqlEquivalenceIT {

    private static final String[] URLS = {
        "https://site.example/Pricing/?utm=x",
        "http://site.example/pricing",
        "/pricing//",
        "  https://site.example/Blog/Post-1#top  ",
        "https://site.example",
        "site.example/blog/post-1?x=1",
        "https://site.example/DOCS/",
        "?only=query",
        "   ",
        "https://other.example/docs"
    };

    @LocalServerPort
    int port;

    @Autowired
    ClosedLoopReport report;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    ScoringModels models;

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void theSqlCountsGiveTheSameAnalysisAsDerivingEachProspectsActionsInTheApp() {
        TestApi api = new TestApi(port);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Instant day = CohortDays.next();
        Random random = new Random(12);
        int n = 60;
        List<String> activities = randomActivities(tag, n, day, random);
        for (int from = 0; from < activities.size(); from += 500) {
            TestApi.Response accepted = api.post(
                    "/api/v1/activities",
                    "{\"activities\":["
                            + String.join(",", activities.subList(from, Math.min(activities.size(), from + 500)))
                            + "]}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        }
        IntakeProgress.awaitDrained(api);
        deals(api, tag, n, random, new HashMap<>());
        IntakeProgress.awaitDrained(api);

        assertSameAnalysis(LocalDate.ofInstant(day, ZoneOffset.UTC), n, 1, 3, 8);
    }

    /**
     * The report reads intake's action summary (docs/closed-loop.md, "Action summary"); here it must still count what
     * the activities say when they arrive in several intake batches out of time order, when cuts fall inside a day
     * (the band windows then need the cut day's activities before the cut, read raw), after merges (the summaries
     * folded) and an erasure (the activities keep what the summary holds), and a late batch after the merge. Then the
     * backfill migration, run again over the cohort's activities, gives exactly the summary intake kept.
     */
    @Test
    void theActionSummaryCountsWhatTheActivitiesSayAcrossBatchesCutsWithinADayMergesAndErasure() throws Exception {
        TestApi api = new TestApi(port);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // a day of December 2000 (activities before 2000 are refused): the test above uses 2001–2019
        Instant day = Instant.parse("2000-12-01T00:00:00Z")
                .plus(ThreadLocalRandom.current().nextInt(28), ChronoUnit.DAYS);
        Random random = new Random(21);
        int n = 30;
        List<String> activities = new ArrayList<>(randomActivities(tag, n, day, random));
        // two more prospects (captured 10:00 and 10:20) whose cut comes at 12:00 the same day, after 3 and 4 more page
        // views and before 2 more: the "≥ 5 page views" band is reached by the second only, and only by counting the
        // cut day's views before the cut
        Instant cut = day.plus(12, ChronoUnit.HOURS);
        for (int x = n; x < n + 2; x++) {
            String email = "eq" + x + "-" + tag + "@closed-loop.example";
            Instant captured = day.plus(20L * x, ChronoUnit.MINUTES);
            activities.add(activity(tag, x, 0, email, "PAGE_VIEW", captured, "\"url\":\"/cut-day\""));
            int before = 3 + x - n;
            for (int k = 1; k <= before + 2; k++) {
                Instant at = k <= before ? cut.minus(5L * k, ChronoUnit.MINUTES) : cut.plus(5L * k, ChronoUnit.MINUTES);
                activities.add(activity(tag, x, k, email, "PAGE_VIEW", at, "\"url\":\"/cut-day\""));
            }
        }
        // the first batch holds each prospect's first activity (a prospect is captured when the earliest activity of
        // the batch that creates it happened); the others come shuffled, in chunks, 40 of them after the merges
        List<String> early = new ArrayList<>(
                activities.stream().filter(a -> a.contains("-0\",\"email\"")).toList());
        List<String> rest = new ArrayList<>(activities);
        rest.removeAll(early);
        java.util.Collections.shuffle(rest, random);
        List<String> late = rest.subList(0, 40);
        early.addAll(rest.subList(40, rest.size()));
        for (int from = 0; from < early.size(); from += 90) {
            post(api, early.subList(from, Math.min(early.size(), from + 90)));
            IntakeProgress.awaitDrained(api); // each chunk its own intake batch
        }
        Map<Integer, Long> opportunities = new HashMap<>();
        List<Long> ids = deals(api, tag, n + 2, random, opportunities);
        for (int x = n; x < n + 2; x++) {
            opportunities.computeIfAbsent(x, k -> opportunity(api, tag, k, ids.get(k), k % 2 == 0));
        }
        // cuts inside a day: the opportunities of the two above at 12:00, of a third of the others at a random second
        // 1–40 days after the capture (test setup: the API creates opportunities now)
        opportunities.forEach((i, opportunity) -> jdbc.sql("UPDATE opportunity SET created_at = :at WHERE id = :id")
                .param(
                        "at",
                        Timestamp.from(
                                i >= n
                                        ? cut
                                        : day.plus(20L * i, ChronoUnit.MINUTES)
                                                .plus(1 + Math.floorMod(i * 7919, 40), ChronoUnit.DAYS)
                                                .plusSeconds(Math.floorMod(i * 104_729, 86_400))))
                .param("id", opportunity)
                .update());
        // merges (the loser's summary folded into the survivor's), then the late batch, then an erasure
        for (int[] pair : new int[][] {{3, 2}, {5, 4}, {8, 7}}) {
            TestApi.Response merged = api.post(
                    "/api/v1/prospects/" + ids.get(pair[0]) + "/merge", "{\"loserId\":" + ids.get(pair[1]) + "}");
            assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        }
        post(api, late);
        IntakeProgress.awaitDrained(api);
        TestApi.Response erased = api.post(
                "/api/v1/prospects/" + ids.get(6) + "/erase", "{\"confirm\":\"eq6-" + tag + "@closed-loop.example\"}");
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);

        LocalDate date = LocalDate.ofInstant(day, ZoneOffset.UTC);
        assertSameAnalysis(date, n + 2 - 3, 1, 2, 5);
        ClosedLoopReport.Report report = this.report.run(new ClosedLoopQuery(date, date, 1));
        assertThat(report.actions().stream()
                        .filter(a -> "PAGE_VIEW".equals(a.action().get("type"))
                                && Integer.valueOf(5).equals(a.action().get("atLeast")))
                        .findFirst()
                        .orElseThrow()
                        .prospects())
                .as("the band reached by the second cut-day prospect, with the random ones")
                .isPositive();

        // the backfill migration recomputes the cohort's summary from its activities exactly as intake kept it
        Long[] cohort = ids.stream()
                .filter(id -> jdbc.sql("SELECT count(*) FROM prospect WHERE id = :id")
                                .param("id", id)
                                .query(Long.class)
                                .single()
                        == 1)
                .toArray(Long[]::new);
        List<String> kept = summary(cohort);
        assertThat(kept).anyMatch(row -> row.contains("/cut-day")).anyMatch(row -> row.contains("PAGE_VIEW (none) 5 "));
        jdbc.sql("DELETE FROM prospect_action WHERE prospect_id = ANY(:ids)")
                .param("ids", cohort)
                .update();
        try (var in = getClass().getResourceAsStream("/db/migration/V551__prospect_action_backfill.sql")) {
            new org.springframework.jdbc.core.JdbcTemplate(dataSource)
                    .execute(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(summary(cohort)).containsExactlyElementsOf(kept);
    }

    /**
     * A band's time is the earliest of its windows' (docs/closed-loop.md, "Action summary"), in whatever order the
     * windows arrive — the guard for any shortcut that leaves windows unread: a window earlier than the one that
     * reached both bands lowers both; a later window still adds a band not yet reached, and a window between the two
     * stored bands' times still lowers the later one; a band reached in a later window first and then in an earlier
     * one takes the earlier time; a window after every stored band changes nothing, next to an earlier window of the
     * same batch that does.
     */
    @Test
    void aBandTakesItsEarliestWindowWhicheverOrderTheWindowsArriveIn() {
        TestApi api = new TestApi(port);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Instant day = CohortDays.next(); // the prospects' capture: a day no other cohort has
        long window = Action.BAND_DAYS * 86_400L;
        long first = Math.floorDiv(day.getEpochSecond(), window);
        Instant early = Instant.ofEpochSecond((first + 2) * window);
        Instant middle = Instant.ofEpochSecond((first + 4) * window);
        Instant late = Instant.ofEpochSecond((first + 6) * window);
        Instant after = Instant.ofEpochSecond((first + 8) * window);
        String[] emails = new String[3];
        int[] next = new int[3];
        for (int i = 0; i < 3; i++) {
            emails[i] = "band" + i + "-" + tag + "@closed-loop.example";
        }
        java.util.function.BiFunction<Integer, List<Instant>, List<String>> views = (i, times) -> times.stream()
                .map(at -> activity(tag, i, next[i]++, emails[i], "PAGE_VIEW", at, "\"url\":\"/bands\""))
                .toList();
        java.util.function.BiFunction<Integer, List<Instant>, List<String>> downloads = (i, times) -> times.stream()
                .map(at -> activity(
                        tag, i, next[i]++, emails[i], "FILE_DOWNLOAD", at, "\"assetName\":\"Bands " + tag + "\""))
                .toList();

        // first batch: each prospect captured on the day; 0 reaches both page-view bands late, 1 the first one early,
        // 2 the first download band late
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batch.add(activity(
                    tag,
                    i,
                    next[i]++,
                    emails[i],
                    "FORM_SUBMIT",
                    day.plus(i, ChronoUnit.MINUTES),
                    "\"formName\":\"Bands\""));
        }
        batch.addAll(views.apply(0, hours(late, 1, 15)));
        batch.addAll(views.apply(1, hours(early, 1, 5)));
        batch.addAll(downloads.apply(2, hours(late, 1, 3)));
        post(api, batch);
        IntakeProgress.awaitDrained(api);
        long[] ids = new long[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = jdbc.sql("SELECT id FROM prospect WHERE email = :email")
                    .param("email", emails[i])
                    .query(Long.class)
                    .single();
        }
        assertThat(bands(ids[0], "PAGE_VIEW")).isEqualTo(Map.of(5, at(late, 5), 15, at(late, 15)));
        assertThat(bands(ids[1], "PAGE_VIEW")).isEqualTo(Map.of(5, at(early, 5)));
        assertThat(bands(ids[2], "FILE_DOWNLOAD")).isEqualTo(Map.of(3, at(late, 3)));

        // second batch: 0 reaches both bands again in an earlier window, 1 reaches the second band in a later window
        // (the first is stored before that window's start, the second not at all), 2 reaches both download bands in
        // an earlier window than its first band's
        batch = new ArrayList<>(views.apply(0, hours(early, 1, 15)));
        batch.addAll(views.apply(1, hours(late, 1, 15)));
        batch.addAll(downloads.apply(2, hours(early, 1, 10)));
        post(api, batch);
        IntakeProgress.awaitDrained(api);
        assertThat(bands(ids[0], "PAGE_VIEW"))
                .as("an earlier window lowers both bands")
                .isEqualTo(Map.of(5, at(early, 5), 15, at(early, 15)));
        assertThat(bands(ids[1], "PAGE_VIEW"))
                .as("a later window adds the band not yet reached")
                .isEqualTo(Map.of(5, at(early, 5), 15, at(late, 15)));
        assertThat(bands(ids[2], "FILE_DOWNLOAD"))
                .as("the band reached late first takes the earlier window's time")
                .isEqualTo(Map.of(3, at(early, 3), 10, at(early, 10)));

        // third batch: 0 has a window after both its bands (changes nothing) and one more view early in the early
        // window (lowers both); 1 reaches the second band in a window between its two stored bands' times; 2 reaches
        // both download bands again in a window after them (changes nothing)
        batch = new ArrayList<>(views.apply(0, hours(after, 1, 20)));
        batch.addAll(views.apply(0, List.of(early.plus(30, ChronoUnit.MINUTES))));
        batch.addAll(views.apply(1, hours(middle, 1, 15)));
        batch.addAll(downloads.apply(2, hours(after, 1, 10)));
        post(api, batch);
        IntakeProgress.awaitDrained(api);
        assertThat(bands(ids[0], "PAGE_VIEW"))
                .as("the early window's new first view moves both bands")
                .isEqualTo(Map.of(5, at(early, 4), 15, at(early, 14)));
        assertThat(bands(ids[1], "PAGE_VIEW"))
                .as("a window after the first band's time and before the second's lowers the second")
                .isEqualTo(Map.of(5, at(early, 5), 15, at(middle, 15)));
        assertThat(bands(ids[2], "FILE_DOWNLOAD"))
                .as("a window after every stored band changes nothing")
                .isEqualTo(Map.of(3, at(early, 3), 10, at(early, 10)));
    }

    /** {@code start} plus {@code from} to {@code to} hours, one time an hour. */
    private static List<Instant> hours(Instant start, int from, int to) {
        List<Instant> times = new ArrayList<>();
        for (int h = from; h <= to; h++) {
            times.add(at(start, h));
        }
        return times;
    }

    private static Instant at(Instant start, int hours) {
        return start.plus(hours, ChronoUnit.HOURS);
    }

    /** The prospect's stored bands of the type: at_least → first time. */
    private Map<Integer, Instant> bands(long prospect, String type) {
        Map<Integer, Instant> bands = new HashMap<>();
        jdbc.sql("""
                        SELECT at_least, first_at FROM prospect_action
                         WHERE prospect_id = :id AND type = :type AND value IS NULL AND at_least IS NOT NULL""").param("id", prospect).param("type", type).query(rs -> {
            bands.put(rs.getInt(1), rs.getTimestamp(2).toInstant());
        });
        return bands;
    }

    /** The summary rows of these prospects, as text, in a fixed order. */
    private List<String> summary(Long[] prospects) {
        return jdbc.sql("""
                        SELECT concat_ws(' ', prospect_id, type, coalesce(value, '(none)'), coalesce(at_least, 0), first_at)
                          FROM prospect_action WHERE prospect_id = ANY(:ids) ORDER BY 1""").param("ids", prospects).query(String.class).list();
    }

    private static void post(TestApi api, List<String> activities) {
        TestApi.Response accepted =
                api.post("/api/v1/activities", "{\"activities\":[" + String.join(",", activities) + "]}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    }

    /**
     * The report (counts from the action summary) and the previous path (every activity of the cohort before its cut
     * read into the app, each prospect's actions derived by the engine) give the same rows, pooled row and validation.
     */
    private void assertSameAnalysis(LocalDate date, int cohort, int... mins) {
        for (int min : mins) {
            ClosedLoopQuery q = new ClosedLoopQuery(date, date, min);
            ClosedLoopReport.Report sql = report.run(q);
            ClosedLoop.Result inApp = ClosedLoop.analyse(previousPath(q), min, models.current());

            // the test's own prospects, and any other class left captured that day
            assertThat(sql.cohort()).isEqualTo(inApp.cohort()).isGreaterThanOrEqualTo(cohort);
            assertThat(sql.won()).isEqualTo(inApp.won());
            assertThat(sql.actions().stream()
                            .filter(a -> !"POOLED".equals(a.action().get("type")))
                            .map(a -> List.of(
                                    a.action(),
                                    a.prospects(),
                                    a.won(),
                                    a.suggestedPoints(),
                                    a.currentPoints(),
                                    String.valueOf(a.rule())))
                            .toList())
                    .as("minProspects %d", min)
                    .isNotEmpty()
                    .containsExactlyElementsOf(inApp.actions().stream()
                            .map(a -> List.of(
                                    ClosedLoopReport.describe(a.action()),
                                    a.prospects(),
                                    a.won(),
                                    a.suggestedPoints(),
                                    a.currentPoints(),
                                    String.valueOf(a.rule())))
                            .toList());
            ClosedLoop.Pooled pooled = inApp.pooled();
            assertThat(sql.actions().stream()
                            .filter(a -> "POOLED".equals(a.action().get("type")))
                            .map(a -> List.of(a.action().get("actions"), a.prospects(), a.won()))
                            .toList())
                    .isEqualTo(
                            pooled.actions() == 0
                                    ? List.of()
                                    : List.of(List.of(pooled.actions(), pooled.prospects(), pooled.won())));
            assertThat(sql.validation()).as("minProspects %d", min).isEqualTo(inApp.validation());
        }
    }

    /**
     * For each of {@code n} prospects, a first page view at its capture ({@code day} + 20 minutes × i), then 2–26
     * random activities over the next days (every counted type, URLs needing normalisation, sent emails ignored).
     */
    private static List<String> randomActivities(String tag, int n, Instant day, Random random) {
        List<String> activities = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant captured = day.plus(20L * i, ChronoUnit.MINUTES);
            String email = "eq" + i + "-" + tag + "@closed-loop.example";
            activities.add(
                    activity(tag, i, 0, email, "PAGE_VIEW", captured, "\"url\":\"" + URLS[i % URLS.length] + "\""));
            int count = 2 + random.nextInt(25);
            for (int k = 1; k <= count; k++) {
                // within 20 days mostly (bands reached), sometimes up to 120 days later (windows split)
                Instant at = captured.plus(random.nextInt(random.nextBoolean() ? 20 : 120), ChronoUnit.DAYS)
                        .plusSeconds(random.nextInt(86_400));
                String type;
                String props;
                String extra = "";
                switch (random.nextInt(9)) {
                    case 0, 1 -> {
                        type = "PAGE_VIEW";
                        props = "\"url\":\"" + URLS[random.nextInt(URLS.length)] + "\"";
                    }
                    case 2 -> {
                        type = "FILE_DOWNLOAD";
                        props = "\"assetName\":\"Guide " + random.nextInt(3) + " " + tag + "\"";
                    }
                    case 3 -> {
                        type = "FORM_SUBMIT";
                        props = random.nextInt(4) == 0
                                ? ""
                                : "\"formName\":\"Form " + random.nextInt(4) + " " + tag + "\"";
                    }
                    case 4 -> {
                        type = "EMAIL_OPEN";
                        props = "\"emailId\":\"" + (random.nextInt(2) + 1) + "\"";
                    }
                    case 5 -> {
                        type = "EMAIL_CLICK";
                        props = "\"emailId\":\"1\"";
                    }
                    case 6 -> {
                        type = "TRACKED_LINK_CLICK";
                        props = "\"linkUrl\":\"" + URLS[random.nextInt(URLS.length)] + "\"";
                    }
                    case 7 -> {
                        type = random.nextBoolean() ? "CUSTOM" : "WEBINAR_ATTENDED";
                        props = "";
                        extra = type.equals("CUSTOM")
                                ? ",\"customName\":\"Trial " + random.nextInt(2) + " " + tag + "\""
                                : "";
                    }
                    default -> {
                        type = "EMAIL_SENT";
                        props = "\"emailId\":\"9\"";
                    }
                }
                activities.add(activity(tag, i, k, email, type, at, props)
                        .replace("\"type\"", extra.isEmpty() ? "\"type\"" : extra.substring(1) + ",\"type\""));
            }
        }
        return activities;
    }

    /**
     * Each of the {@code n} prospects by id, and an opportunity for two in three of them (won or lost, at random) with
     * the prospect as its one contact role, created now; returns the prospects' ids, and fills {@code opportunities}
     * (prospect index → opportunity id).
     */
    private static List<Long> deals(TestApi api, String tag, int n, Random random, Map<Integer, Long> opportunities) {
        List<Long> prospects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestApi.Response p =
                    api.post("/api/v1/prospects", "{\"email\":\"eq" + i + "-" + tag + "@closed-loop.example\"}");
            assertThat(p.status()).as(p.body()).isIn(200, 201);
            prospects.add(p.json().get("id").asLong());
            int outcome = random.nextInt(3); // 0 won, 1 lost, 2 no opportunity
            if (outcome < 2) {
                opportunities.put(i, opportunity(api, tag, i, prospects.getLast(), outcome == 0));
            }
        }
        return prospects;
    }

    /** An opportunity named after prospect {@code i}, with the prospect as its one contact role, won or lost now. */
    private static long opportunity(TestApi api, String tag, int i, long prospect, boolean won) {
        long id = TestApi.created(api.post("/api/v1/opportunities", """
                {"name":"EQ %s %d","amount":1000,"stage":"Discovery",
                 "contactRoles":[{"prospectId":%d,"role":"DECISION_MAKER","primary":true}]}""".formatted(tag, i, prospect)));
        TestApi.Response closed = won
                ? api.post("/api/v1/opportunities/" + id + "/won", "")
                : api.post("/api/v1/opportunities/" + id + "/lost", "{\"reason\":\"COMPETITOR\"}");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        return id;
    }

    /** The previous path: the cohort's activities before each cut read whole, the actions derived in the app. */
    private List<ClosedLoop.Subject> previousPath(ClosedLoopQuery q) {
        Map<String, Object> params = Map.of("start", Timestamp.from(q.start()), "end", Timestamp.from(q.end()));
        Map<Long, List<Activity>> byProspect = new HashMap<>();
        jdbc.sql(ClosedLoopReport.COHORT + """
                        SELECT a.prospect_id, a.id, a.type, a.custom_name, a.occurred_at, a.campaign_id,
                               a.properties::text AS properties
                          FROM cohort c JOIN activity a ON a.prospect_id = c.id
                         WHERE NOT a.bot AND a.processed_at IS NOT NULL AND a.occurred_at < c.cut""").params(params).query(rs -> {
            Activity activity = ClosedLoopReport.activity(rs, "id", json);
            if (activity != null) {
                byProspect
                        .computeIfAbsent(rs.getLong("prospect_id"), k -> new ArrayList<>())
                        .add(activity);
            }
        });
        return jdbc.sql(ClosedLoopReport.COHORT + "SELECT c.id, c.captured_at, c.won, c.cut FROM cohort c")
                .params(params)
                .query((rs, i) -> ClosedLoop.Subject.of(
                        rs.getLong("id"),
                        rs.getTimestamp("captured_at").toInstant(),
                        rs.getBoolean("won"),
                        byProspect.getOrDefault(rs.getLong("id"), List.of()),
                        Map.of(),
                        rs.getTimestamp("cut").toInstant()))
                .list();
    }

    private static String activity(String tag, int i, int k, String email, String type, Instant at, String props) {
        return """
                {"externalId":"eq-%s-%d-%d","email":"%s","type":"%s","occurredAt":"%s","properties":{%s}}""".formatted(tag, i, k, email, type, at, props);
    }
}
