package dev.kindling.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.ActivityFilter;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.support.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The counted activities {@link ProspectFactsLoader} reads, over a history spread across the month partitions of
 * {@code activity}: each type exactly as far back as its longest window (an activity exactly at now − window is outside
 * it, one microsecond later inside), the types some leaf counts without a window over all history, the oldest month
 * included, bots and uncounted types never. The conditions answer on the loaded facts as on the whole history.
 */
class ProspectFactsLoaderIT {

    /** Microseconds, as PostgreSQL keeps them. */
    private static final Instant NOW = Instant.parse("2026-11-20T08:30:00.123456Z");

    private static final Duration MICRO = Duration.ofNanos(1_000);

    private static HikariDataSource dataSource;
    private static JdbcClient jdbc;
    private static ProspectFactsLoader loader;
    private static long a;
    private static long b;
    private static long c;
    /** Every activity stored, by prospect, with the label the assertions name it by. */
    private static final Map<Long, Map<String, Activity>> stored = new LinkedHashMap<>();

    private final ConditionEvaluator evaluator = new ConditionEvaluator(Thresholds.DEFAULTS);

    @BeforeAll
    static void storeHistory() {
        dataSource = TestDatabase.ownMigratedDataSource("facts");
        jdbc = JdbcClient.create(dataSource);
        loader = new ProspectFactsLoader(jdbc, dataSource);
        // a partition for every month of the history, as an installation with its history imported has them
        jdbc.sql("SELECT activity_partitions_cover(:from, :to)")
                .param("from", Timestamp.from(NOW.minus(Duration.ofDays(4 * 365))))
                .param("to", Timestamp.from(NOW.plus(Duration.ofDays(31))))
                .query(Integer.class)
                .single();
        a = prospect("a@facts.test");
        activity(a, "unsubscribed long ago", ActivityType.UNSUBSCRIBE, NOW.minus(Duration.ofDays(1_000)), null, false);
        activity(a, "webinar by a bot", ActivityType.WEBINAR_ATTENDED, NOW.minus(Duration.ofDays(700)), null, true);
        activity(a, "webinar", ActivityType.WEBINAR_ATTENDED, NOW.minus(Duration.ofDays(20)), null, false);
        activity(
                a,
                "form at the window's start",
                ActivityType.FORM_SUBMIT,
                NOW.minus(Duration.ofDays(365)),
                null,
                false);
        activity(
                a,
                "form just inside",
                ActivityType.FORM_SUBMIT,
                NOW.minus(Duration.ofDays(365)).plus(MICRO),
                null,
                false);
        activity(
                a,
                "pricing at the window's start",
                ActivityType.PAGE_VIEW,
                NOW.minus(Duration.ofDays(30)),
                "https://k.test/pricing",
                false);
        activity(
                a,
                "pricing just inside",
                ActivityType.PAGE_VIEW,
                NOW.minus(Duration.ofDays(30)).plus(MICRO),
                "https://k.test/pricing",
                false);
        activity(a, "open 45 days ago", ActivityType.EMAIL_OPEN, NOW.minus(Duration.ofDays(45)), null, false);
        activity(a, "click 89 days ago", ActivityType.EMAIL_CLICK, NOW.minus(Duration.ofDays(89)), null, false);
        activity(a, "chat yesterday", ActivityType.CHAT, NOW.minus(Duration.ofDays(1)), null, false);
        b = prospect("b@facts.test");
        activity(
                b,
                "unsubscribed in the oldest month",
                ActivityType.UNSUBSCRIBE,
                NOW.minus(Duration.ofDays(3 * 365 + 20)),
                null,
                false);
        activity(
                b, "form a year and a day ago", ActivityType.FORM_SUBMIT, NOW.minus(Duration.ofDays(366)), null, false);
        // at the split of WINDOWS' read: now − 90 days, the longest window of a dense type (EMAIL_CLICK)
        c = prospect("c@facts.test");
        Instant split = NOW.minus(Duration.ofDays(90));
        activity(c, "page view two years ago", ActivityType.PAGE_VIEW, NOW.minus(Duration.ofDays(730)), null, false);
        activity(c, "unsubscribed at the split", ActivityType.UNSUBSCRIBE, split, null, false);
        activity(c, "form at the split", ActivityType.FORM_SUBMIT, split, null, false);
        activity(c, "click at the split", ActivityType.EMAIL_CLICK, split, null, false);
        activity(c, "unsubscribed just after", ActivityType.UNSUBSCRIBE, split.plus(MICRO), null, false);
        activity(c, "click just after", ActivityType.EMAIL_CLICK, split.plus(MICRO), null, false);
        activity(
                c,
                "webinar two years ago",
                ActivityType.WEBINAR_ATTENDED,
                NOW.minus(Duration.ofDays(731)),
                null,
                false);
        // types and times WINDOWS does not count, for the random leaves
        activity(c, "open 400 days ago", ActivityType.EMAIL_OPEN, NOW.minus(Duration.ofDays(400)), null, false);
        activity(c, "download 200 days ago", ActivityType.FILE_DOWNLOAD, NOW.minus(Duration.ofDays(200)), null, false);
        activity(c, "custom 1,001 days ago", ActivityType.CUSTOM, NOW.minus(Duration.ofDays(1_001)), null, false);
        activity(c, "unsubscribed by a bot", ActivityType.UNSUBSCRIBE, NOW.minus(Duration.ofDays(10)), null, true);
        activity(c, "page view 89 days ago", ActivityType.PAGE_VIEW, NOW.minus(Duration.ofDays(89)), null, false);
    }

    @AfterAll
    static void stopDatabase() {
        dataSource.close();
    }

    /** The bench's realistic configuration in small: two leaves without a window, the others with 30 to 365 days. */
    private static final List<Condition> WINDOWS = List.of(
            counted(ActivityType.UNSUBSCRIBE, null, null),
            counted(ActivityType.WEBINAR_ATTENDED, null, null),
            counted(ActivityType.FORM_SUBMIT, null, 365L),
            counted(ActivityType.PAGE_VIEW, "pricing", 30L),
            counted(ActivityType.EMAIL_OPEN, null, 30L),
            counted(ActivityType.EMAIL_CLICK, null, 90L));

    /**
     * The counted activities' read is never prepared on the server, so PostgreSQL plans it with its values at every
     * call and never falls back to a generic plan (which took 7 times as long at W1 S); the rows' read of the same load
     * is prepared from its fifth execution, as every other statement.
     */
    @Test
    void theActivitiesReadIsPlannedWithItsValuesAtEveryCall() throws Exception {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            var one = new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true);
            JdbcClient onOne = JdbcClient.create(one);
            ProspectFactsLoader onOneLoader = new ProspectFactsLoader(onOne, one);
            for (int i = 0; i < 8; i++) {
                assertThat(onOneLoader.load(List.of(a, b), ConditionNeeds.of(WINDOWS), NOW))
                        .containsOnlyKeys(a, b);
            }
            assertThat(onOne.sql("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE :text")
                            .param("text", "%FROM activity x%")
                            .query(Long.class)
                            .single())
                    .isZero();
            assertThat(onOne.sql("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE :text")
                            .param("text", "%NULLIF(p.email%")
                            .query(Long.class)
                            .single())
                    .isPositive();
        }
    }

    @Test
    void eachTypeIsReadAsFarBackAsItsLongestWindowAndTypesWithoutOneOverAllHistory() {
        assertThat(jdbc.sql("SELECT count(DISTINCT tableoid) FROM activity")
                        .query(Long.class)
                        .single())
                .as("the history lies in many month partitions")
                .isGreaterThanOrEqualTo(7);

        Map<Long, ProspectFacts> loaded = loader.load(List.of(a, b), ConditionNeeds.of(WINDOWS), NOW);

        assertThat(labels(loaded.get(a)))
                .containsExactly(
                        "unsubscribed long ago",
                        "form just inside",
                        "click 89 days ago",
                        "pricing just inside",
                        "webinar");
        assertThat(labels(loaded.get(b))).containsExactly("unsubscribed in the oldest month");
        answersAsOnTheWholeHistory(WINDOWS, loaded);
    }

    @Test
    void aLeafCountingEveryTypeWidensEveryWindowButNotPastTheTypesWithoutOne() {
        List<Condition> conditions = new ArrayList<>(WINDOWS);
        conditions.add(new ActivityCondition(null, ActivityFilter.NONE, 1, 90L, false)); // no activity in 90 days
        conditions.add(counted(ActivityType.EMAIL_OPEN, null, null)); // opened an email, ever

        Map<Long, ProspectFacts> loaded = loader.load(List.of(a, b), ConditionNeeds.of(conditions), NOW);

        assertThat(labels(loaded.get(a)))
                .containsExactly(
                        "unsubscribed long ago",
                        "form just inside",
                        "click 89 days ago",
                        "open 45 days ago",
                        "pricing at the window's start",
                        "pricing just inside",
                        "webinar",
                        "chat yesterday");
        assertThat(labels(loaded.get(b))).containsExactly("unsubscribed in the oldest month");
        answersAsOnTheWholeHistory(conditions, loaded);
    }

    /**
     * The read is split at the longest window of the dense types (now − 90 days for WINDOWS): the recent months read
     * every counted type, the older ones only the sparse types whose window reaches further, so an activity exactly
     * at the split is read once, by the old part, one a microsecond later once, by the recent part, and a page view
     * older than every window of its type never.
     */
    @Test
    void anActivityAtTheSplitIsReadOnceAndTheOldPartReadsOnlyTheSparseTypes() {
        Map<Long, ProspectFacts> loaded = loader.load(List.of(a, b, c), ConditionNeeds.of(WINDOWS), NOW);

        assertThat(labels(loaded.get(c)))
                .containsExactly(
                        "webinar two years ago",
                        "unsubscribed at the split",
                        "form at the split",
                        "unsubscribed just after",
                        "click just after");
        answersAsOnTheWholeHistory(WINDOWS, loaded);
        ProspectFactsLoader.Query query = ProspectFactsLoader.activitiesQuery(ConditionNeeds.of(WINDOWS), NOW);
        assertThat(query.sql().split("UNION ALL"))
                .as("a recent and an old part")
                .hasSize(2)
                .satisfies(parts -> {
                    assertThat(parts[0]).contains("x.occurred_at > :recent").contains("'PAGE_VIEW'");
                    assertThat(parts[1])
                            .contains("x.occurred_at <= :recent")
                            .contains("'UNSUBSCRIBE'", "'WEBINAR_ATTENDED'", "'FORM_SUBMIT'")
                            .doesNotContain("'PAGE_VIEW'", "'EMAIL_OPEN'", "'EMAIL_CLICK'");
                });
    }

    /**
     * The old part reads the older months through the partial index of the sparse types (the planner proves its
     * predicate from the types named), and the recent part is pruned to the months after the split: in the plan of the
     * read (sequential scans off, as on a large history), every old month is scanned through a partition of {@code
     * activity_sparse_type_idx}, and only the months after the split through the prospects' index.
     */
    @Test
    void theOldPartGoesThroughTheSparseIndexAndTheRecentPartIsPruned() {
        ProspectFactsLoader.Query query = ProspectFactsLoader.activitiesQuery(ConditionNeeds.of(WINDOWS), NOW);
        Map<String, Object> params = new java.util.HashMap<>(query.params());
        params.put("ids", new Long[] {a, b, c});
        java.util.Set<String> sparse = partitionsOf("activity_sparse_type_idx");
        java.util.Set<String> byProspect = partitionsOf("activity_prospect_idx");
        byProspect.addAll(partitionsOf("activity_campaign_touch_idx"));
        long partitions = jdbc.sql("SELECT count(*) FROM pg_inherits WHERE inhparent = 'activity'::regclass")
                .query(Long.class)
                .single();
        List<String> plan = new org.springframework.transaction.support.TransactionTemplate(
                        new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource))
                .execute(status -> {
                    jdbc.sql("SET LOCAL enable_seqscan = off").update();
                    return jdbc.sql("EXPLAIN " + query.sql())
                            .params(params)
                            .query(String.class)
                            .list();
                });
        java.util.regex.Pattern scan = java.util.regex.Pattern.compile(
                "(?:Index Scan using|Index Only Scan using|Bitmap Index Scan on) (\\S+)");
        List<String> indexes = plan.stream()
                .map(scan::matcher)
                .filter(java.util.regex.Matcher::find)
                .map(m -> m.group(1))
                .toList();
        long throughSparse = indexes.stream().filter(sparse::contains).count();
        long throughProspect = indexes.stream().filter(byProspect::contains).count();
        assertThat(partitions).as("the history's months").isGreaterThanOrEqualTo(45);
        assertThat(throughSparse)
                .as("old months through the sparse index: %s", plan)
                .isGreaterThanOrEqualTo(40);
        assertThat(throughProspect)
                .as("only the months after the split through the prospects' index: %s", plan)
                .isBetween(1L, 12L);
    }

    private static java.util.Set<String> partitionsOf(String index) {
        String sql = """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = CAST(:index AS regclass)""";
        return new java.util.HashSet<>(
                jdbc.sql(sql).param("index", index).query(String.class).list());
    }

    /**
     * For random sets of leaves (a type or every type, a window of 1 to 1,000 days or none), the loaded activities of
     * each prospect are exactly its stored ones that some leaf counts: not a bot, of a counted type, after now − the
     * longest window of the leaves counting its type (any time when one has none), in time order — whichever parts
     * the read is split into.
     */
    @Test
    void theLoadedActivitiesAreThoseTheLeavesCountForRandomLeaves() {
        java.util.Random random = new java.util.Random(20261207L);
        List<Long> windows = java.util.Arrays.asList(null, 1L, 7L, 30L, 89L, 90L, 91L, 365L, 366L, 1_000L);
        ActivityType[] types = ActivityType.values();
        for (int run = 0; run < dev.kindling.support.PropertyRuns.cases(60, 600); run++) {
            List<Condition> leaves = new ArrayList<>();
            int count = 1 + random.nextInt(5);
            for (int i = 0; i < count; i++) {
                ActivityType type = random.nextInt(8) == 0 ? null : types[random.nextInt(types.length)];
                leaves.add(new ActivityCondition(
                        type, ActivityFilter.NONE, 1, windows.get(random.nextInt(windows.size())), true));
            }
            ConditionNeeds needs = ConditionNeeds.of(leaves);
            Map<Long, ProspectFacts> loaded = loader.load(List.of(a, b, c), needs, NOW);
            for (long id : List.of(a, b, c)) {
                List<Long> expected = stored.get(id).values().stream()
                        .filter(x -> !x.bot() && needs.counts(x.type()))
                        .filter(x -> needs.windowDays(x.type()) == null
                                || x.occurredAt().isAfter(NOW.minus(Duration.ofDays(needs.windowDays(x.type())))))
                        .sorted(java.util.Comparator.comparing(Activity::occurredAt)
                                .thenComparing(Activity::id))
                        .map(Activity::id)
                        .toList();
                assertThat(loaded.get(id).activities().stream()
                                .map(Activity::id)
                                .toList())
                        .as("prospect %d, leaves %s", id, leaves)
                        .isEqualTo(expected);
            }
        }
    }

    /** The partial index's function holds exactly the types the loader counts sparse; it is the index's predicate. */
    @Test
    void theSparseIndexHoldsTheSparseTypes() {
        for (ActivityType type : ActivityType.values()) {
            assertThat(jdbc.sql("SELECT activity_sparse_type(:type)")
                            .param("type", type.name())
                            .query(Boolean.class)
                            .single())
                    .as(type.name())
                    .isEqualTo(ProspectFactsLoader.SPARSE.contains(type));
        }
        assertThat(jdbc.sql("SELECT pg_get_indexdef('activity_sparse_type_idx'::regclass)")
                        .query(String.class)
                        .single())
                .contains("(prospect_id, type, occurred_at)")
                .contains("NOT bot")
                .contains("activity_sparse_type(type)");
    }

    /** Each condition's answer and next flip on the loaded facts are those on every activity stored. */
    private void answersAsOnTheWholeHistory(List<Condition> conditions, Map<Long, ProspectFacts> loaded) {
        for (long id : loaded.keySet()) {
            ProspectFacts some = loaded.get(id);
            ProspectFacts all = new ProspectFacts(
                    id,
                    some.fields(),
                    some.score(),
                    some.grade(),
                    some.stage(),
                    some.ownerId(),
                    some.listIds(),
                    List.copyOf(stored.get(id).values()),
                    some.lastActivityAt(),
                    some.opportunities(),
                    some.programs());
            for (Condition condition : conditions) {
                assertThat(evaluator.outcome(condition, some, NOW))
                        .as("prospect %d, %s", id, condition)
                        .isEqualTo(evaluator.outcome(condition, all, NOW));
            }
        }
    }

    private static ActivityCondition counted(ActivityType type, String urlContains, Long withinDays) {
        return new ActivityCondition(
                type, new ActivityFilter(null, urlContains, null, null, null), 1, withinDays, true);
    }

    /** The labels of the loaded activities, in the loader's order (by time). */
    private static List<String> labels(ProspectFacts facts) {
        Map<Long, String> byId = new LinkedHashMap<>();
        stored.get(facts.id()).forEach((label, activity) -> byId.put(activity.id(), label));
        return facts.activities().stream().map(x -> byId.get(x.id())).toList();
    }

    private static long prospect(String email) {
        long id = jdbc.sql("""
                        INSERT INTO prospect (email, captured_at, created_at, updated_at)
                        VALUES (:email, :now, :now, :now) RETURNING id""")
                .param("email", email)
                .param("now", Timestamp.from(NOW))
                .query(Long.class)
                .single();
        stored.put(id, new LinkedHashMap<>());
        return id;
    }

    private static void activity(long prospect, String label, ActivityType type, Instant at, String url, boolean bot) {
        Map<String, String> properties = url == null ? Map.of() : Map.of("url", url);
        long id = jdbc.sql("""
                        INSERT INTO activity (external_id, type, occurred_at, received_at, prospect_id, properties, bot,
                                              processed_at)
                        VALUES (:external, :type, :at, :now, :prospect, CAST(:properties AS jsonb), :bot, :now)
                        RETURNING id""")
                .param("external", "facts-" + prospect + "-" + label)
                .param("type", type.name())
                .param("at", Timestamp.from(at))
                .param("now", Timestamp.from(NOW))
                .param("prospect", prospect)
                .param("properties", url == null ? "{}" : "{\"url\": \"" + url + "\"}")
                .param("bot", bot)
                .query(Long.class)
                .single();
        stored.get(prospect).put(label, new Activity(id, type, null, at, null, properties, bot));
    }
}
