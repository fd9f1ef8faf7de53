package dev.kindling.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PropertyRuns;
import dev.kindling.support.TestApi;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The relevance index changes no result: random rules (score actions, an add to a static list, do-not-email, every
 * repeat kind), random dynamic lists reading scores, activities, fields and each other's memberships, and a running
 * program fed by one of them and suppressed by another, over pairs of identical prospects. The same activities go through intake for the first
 * prospect of each pair with the index and for the second without it (every round evaluating everything), and every
 * pair ends with the same score, memberships, rule matches, do-not-email flag, enrollments and next condition check.
 */
@IntegrationTest
// alone among the shared context's classes: it turns the index off for a while, and counts on its own rules only
@ResourceLock(IntegrationTest.SHARED_DATA)
class RelevanceIndexIT {

    private static final String[] TYPES = {"EMAIL_CLICK", "PAGE_VIEW", "FORM_SUBMIT", "EMAIL_OPEN"};

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConditionWatchers watchers;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    TestApi api;
    String run;
    String domain;
    final List<Long> rules = new ArrayList<>();
    final List<Long> lists = new ArrayList<>();
    final List<Long> programs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        domain = "@relevance-" + run + ".example";
    }

    @AfterEach
    void cleanUp() {
        watchers.relevance(true);
        watchers.activityCache(true);
        programs.forEach(id -> api.post("/api/v1/programs/" + id + "/pause", ""));
        rules.forEach(id ->
                api.send(api.request("/api/v1/automation-rules/" + id).DELETE().build()));
        for (int i = lists.size() - 1; i >= 0; i--) {
            api.send(api.request("/api/v1/lists/" + lists.get(i)).DELETE().build());
        }
    }

    @Test
    void theIndexedRoundsEndWhereFullRoundsEnd() {
        long seed = 20261206L;
        for (int configuration = 0, n = PropertyRuns.cases(2, 6); configuration < n; configuration++) {
            compare(seed + configuration);
        }
    }

    private void compare(long seed) {
        Random random = new Random(seed);
        long staticList = list("{\"name\":\"static %s %d\",\"kind\":\"STATIC\"}".formatted(run, seed));
        List<Long> referable = new ArrayList<>(List.of(staticList));
        List<Long> dynamic = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long id = list("{\"name\":\"dynamic %s %d %d\",\"kind\":\"DYNAMIC\",\"condition\":%s}"
                    .formatted(run, seed, i, mine(condition(random, referable))));
            referable.add(id);
            dynamic.add(id);
        }
        // a chain that takes three rounds whatever the draw: an open scores (beyond what intake's scoring reaches), the
        // score joins a list, the list scores
        long scored = list("{\"name\":\"scored %s %d\",\"kind\":\"DYNAMIC\",\"condition\":%s}"
                .formatted(run, seed, mine("{\"score\":{\"gte\":1000}}")));
        referable.add(scored);
        dynamic.add(scored);
        rule(seed, "opened", mine("{\"activity\":{\"type\":\"EMAIL_OPEN\"}}"), adjust(1000), "null");
        rule(seed, "listed", mine("{\"list\":{\"memberOf\":" + scored + "}}"), adjust(5), "null");
        for (int i = 0; i < 10; i++) {
            String action = switch (random.nextInt(5)) {
                case 0 -> "{\"type\":\"addToList\",\"listId\":" + staticList + "}";
                case 1 -> "{\"type\":\"setDoNotEmail\",\"value\":true}";
                default -> adjust(5 * (1 + random.nextInt(3)));
            };
            String repeat = switch (random.nextInt(3)) {
                case 0 -> "null";
                case 1 -> "{\"daysBeforeEligible\":0,\"maxMatches\":3}";
                default -> "{\"daysBeforeEligible\":30,\"maxMatches\":2}";
            };
            rule(seed, "random " + i, mine(condition(random, referable)), action, repeat);
        }
        // the program watcher depends on its recipient and suppression lists alone (a list joined or left in a later
        // round that the program names must still reach it): the suppression list one of the other dynamic lists
        int recipient = random.nextInt(dynamic.size());
        int suppression = (recipient + 1 + random.nextInt(dynamic.size() - 1)) % dynamic.size();
        long programId = TestApi.created(api.post(
                "/api/v1/programs", """
                {"name": "program %s %d", "start": "trigger", "recipientListIds": [%d], "suppressionListIds": [%d],
                 "steps": [
                   {"id": "trigger", "type": "TRIGGER", "event": {"type": "emailClicked"}, "timing": "UP_TO", "days": 14,
                    "yes": "points", "no": "end"},
                   {"id": "points", "type": "ACTION", "action": {"type": "adjustScore", "points": 5}, "next": "end"},
                   {"id": "end", "type": "END"}]}""".formatted(run, seed, dynamic.get(recipient), dynamic.get(suppression))));
        programs.add(programId);
        assertThat(api.post("/api/v1/programs/" + programId + "/start", "").status())
                .isEqualTo(200);

        int pairs = 16;
        List<Long> indexed = new ArrayList<>();
        List<Long> full = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String industry = random.nextBoolean() ? "Software" : "Retail";
            indexed.add(prospect("a" + seed + "-" + i, industry));
            full.add(prospect("b" + seed + "-" + i, industry));
        }
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        double keptInAll = 0;
        for (int wave = 0; wave < 2; wave++) {
            List<Activity> activities = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                if (wave == 0 && i % 2 == 0) {
                    // every other prospect opens an email first: the chain above
                    activities.add(new Activity(
                            i, "open-" + i + "-" + seed, "EMAIL_OPEN", base.minus(Duration.ofHours(2)), "none"));
                }
                for (int k = random.nextInt(5); k > 0; k--) {
                    activities.add(new Activity(
                            i,
                            "w" + wave + "-" + i + "-" + k + "-" + seed,
                            TYPES[random.nextInt(TYPES.length)],
                            base.minus(Duration.ofHours(1 + random.nextInt(24 * 40))),
                            random.nextBoolean() ? "https://x.example/pricing" : "https://x.example/blog"));
                }
            }
            watchers.relevance(true);
            double keptBefore = kept();
            send(activities, indexed, "a");
            keptInAll += kept() - keptBefore;
            watchers.relevance(false);
            send(activities, full, "b");
            watchers.relevance(true);
            // after each wave: the next wave's first round evaluates everything again and would hide a difference
            for (int i = 0; i < pairs; i++) {
                assertThat(state(indexed.get(i)))
                        .as("seed %d, wave %d, pair %d", seed, wave, i)
                        .isEqualTo(state(full.get(i)));
            }
        }
        // the index was at work: the later rounds kept answers of the indexed side
        assertThat(keptInAll).as("answers kept by the index").isPositive();
        // the configuration did something: rules matched
        assertThat(jdbc.sql("SELECT count(*) FROM automation_rule_prospect WHERE prospect_id = ANY(:ids)")
                        .param("ids", indexed.toArray(Long[]::new))
                        .query(Long.class)
                        .single())
                .isPositive();
    }

    /**
     * A settle reads each prospect's counted activities once: the later rounds of a chain (an open scores, the score
     * makes a rule counting opens within 30 days match, whose points make it evaluated again) take them from the first
     * read, and answer as the rounds that read them again do.
     */
    @Test
    void theLaterRoundsOfASettleDoNotReadTheActivitiesAgain() {
        rule(1, "opened", mine("{\"activity\":{\"type\":\"EMAIL_OPEN\"}}"), adjust(1000), "null");
        rule(
                1,
                "engaged",
                mine("{\"all\":[{\"score\":{\"gte\":1000}},"
                        + "{\"activity\":{\"type\":\"EMAIL_OPEN\",\"atLeast\":1,\"withinDays\":30}}]}"),
                adjust(5),
                "{\"daysBeforeEligible\":0,\"maxMatches\":2}");
        int n = 6;
        List<Long> cached = new ArrayList<>();
        List<Long> reread = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cached.add(prospect("c" + i, "Software"));
            reread.add(prospect("r" + i, "Software"));
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        List<Activity> opens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            opens.add(new Activity(i, "once-open-" + i, "EMAIL_OPEN", at, "none"));
        }
        double loaded = loaded();
        double reused = reused();
        double rounds = rounds();
        send(opens, cached, "c");
        double cachedLoads = loaded() - loaded;
        double cachedReuses = reused() - reused;
        assertThat(rounds() - rounds).as("the chain took later rounds").isGreaterThanOrEqualTo(3);
        watchers.activityCache(false);
        loaded = loaded();
        reused = reused();
        send(opens, reread, "r");
        double rereadLoads = loaded() - loaded;
        double rereadReuses = reused() - reused;
        watchers.activityCache(true);
        assertThat(cachedLoads)
                .as("each prospect's activities read once in the settle")
                .isEqualTo(n);
        assertThat(cachedReuses)
                .as("the later rounds took them from the settle")
                .isGreaterThanOrEqualTo(2.0 * n);
        assertThat(rereadReuses).as("nothing kept without the cache").isZero();
        assertThat(rereadLoads).as("read again in each later round without it").isGreaterThanOrEqualTo(3.0 * n);
        for (int i = 0; i < n; i++) {
            assertThat(state(cached.get(i))).as("prospect %d", i).isEqualTo(state(reread.get(i)));
            assertThat(state(cached.get(i)).get("rules").toString()).contains(":2");
        }
    }

    /**
     * Activities stored while the watchers settle are seen by the later rounds: a running program sends its email to
     * the prospects joining its recipient list, which records the send as an activity in the same transaction; the
     * joining scores (another round), and the score makes a rule reading "an email was sent" evaluated again. With the
     * settle's activities cache it must match in that round, as it does when the round reads them again.
     */
    @Test
    void aLaterRoundSeesTheActivitiesAnEarlierRoundStored() {
        String template = """
                {"name":"Relevance %s","subject":"Hello","html":"<p>Hi <a href=\\"{{unsubscribe_url}}\\">Unsubscribe</a></p>",
                 "text":"Hi\\nUnsubscribe: {{unsubscribe_url}}\\n","blocks":[]}""".formatted(run);
        long templateId = TestApi.created(api.post("/api/v1/email/templates", template));
        long opened = list("{\"name\":\"opened %s\",\"kind\":\"DYNAMIC\",\"condition\":%s}"
                .formatted(run, mine("{\"activity\":{\"type\":\"EMAIL_OPEN\"}}")));
        long programId = TestApi.created(api.post("/api/v1/programs", """
                {"name": "mailing %s", "start": "mail", "recipientListIds": [%d],
                 "steps": [
                   {"id": "mail", "type": "ACTION", "action": {"type": "sendEmail", "templateId": "%d"}, "next": "end"},
                   {"id": "end", "type": "END"}]}""".formatted(run, opened, templateId)));
        programs.add(programId);
        assertThat(api.post("/api/v1/programs/" + programId + "/start", "").status())
                .isEqualTo(200);
        rule(2, "listed", mine("{\"list\":{\"memberOf\":" + opened + "}}"), adjust(1), "null");
        long mailed = rule(
                2,
                "mailed",
                mine("{\"all\":[{\"score\":{\"gte\":0}},{\"activity\":{\"type\":\"EMAIL_SENT\"}}]}"),
                adjust(100),
                "null");
        long cached = prospect("mailed-c", "Software");
        long reread = prospect("mailed-r", "Software");
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        List<Activity> open = List.of(new Activity(0, "mail-open", "EMAIL_OPEN", at, "none"));
        send(open, List.of(cached), "c");
        watchers.activityCache(false);
        send(open, List.of(reread), "r");
        watchers.activityCache(true);
        for (long id : List.of(cached, reread)) {
            assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE prospect_id = :id AND type = 'EMAIL_SENT'")
                            .param("id", id)
                            .query(Long.class)
                            .single())
                    .as("the program mailed prospect %d", id)
                    .isEqualTo(1);
            // matched in the transaction of the open, after the other rule: not by the later processing of the send
            assertThat(jdbc.sql("SELECT depth FROM automation_match WHERE rule_id = :r AND prospect_id = :id")
                            .param("r", mailed)
                            .param("id", id)
                            .query(Integer.class)
                            .list())
                    .as("the rule reading the send matched in the settle, prospect %d", id)
                    .containsExactly(2);
        }
        assertThat(state(cached)).isEqualTo(state(reread));
    }

    private record Activity(int pair, String key, String type, Instant occurredAt, String url) {}

    /** The activities, each for its pair's prospect of {@code prospects}, through intake, drained. */
    private void send(List<Activity> activities, List<Long> prospects, String side) {
        if (activities.isEmpty()) {
            return;
        }
        List<String> json = new ArrayList<>();
        for (Activity a : activities) {
            json.add(
                    "{\"prospectId\":%d,\"externalId\":\"%s\",\"type\":\"%s\",\"occurredAt\":\"%s\",\"properties\":{\"url\":\"%s\"}}"
                            .formatted(
                                    prospects.get(a.pair()), side + run + a.key(), a.type(), a.occurredAt(), a.url()));
        }
        TestApi.Response accepted = api.post("/api/v1/activities", "{\"activities\":[" + String.join(",", json) + "]}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        IntakeProgress.awaitDrained(api, Duration.ofSeconds(120));
    }

    private double kept() {
        return registry.get("kindling.conditions.answers.kept").counter().count();
    }

    private double loaded() {
        return registry.get("kindling.conditions.activities.loaded").counter().count();
    }

    private double reused() {
        return registry.get("kindling.conditions.activities.reused").counter().count();
    }

    private double rounds() {
        return registry.get("kindling.conditions.rounds").counter().count();
    }

    /** What the watchers and their actions decided for one prospect. */
    private Map<String, Object> state(long id) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.putAll(jdbc.sql("SELECT p.score, p.do_not_email, d.condition_check_at"
                        + " FROM prospect p LEFT JOIN prospect_due d ON d.prospect_id = p.id WHERE p.id = :id")
                .param("id", id)
                .query()
                .singleRow());
        state.put(
                "lists",
                jdbc.sql("SELECT list_id FROM list_member WHERE prospect_id = :id ORDER BY list_id")
                        .param("id", id)
                        .query(Long.class)
                        .list());
        state.put(
                "rules",
                jdbc.sql("SELECT rule_id || ':' || matches FROM automation_rule_prospect WHERE prospect_id = :id"
                                + " ORDER BY rule_id")
                        .param("id", id)
                        .query(String.class)
                        .list());
        state.put(
                "enrollments",
                jdbc.sql("SELECT program_id || ':' || status || ':' || step_id FROM program_enrollment"
                                + " WHERE prospect_id = :id ORDER BY program_id, id")
                        .param("id", id)
                        .query(String.class)
                        .list());
        return state;
    }

    private static String adjust(int points) {
        return "{\"type\":\"adjustScore\",\"points\":" + points + "}";
    }

    private long rule(long seed, String name, String condition, String action, String repeat) {
        long id = TestApi.created(api.post(
                "/api/v1/automation-rules",
                "{\"name\":\"rule %s %d %s\",\"condition\":%s,\"actions\":[%s],\"repeat\":%s}"
                        .formatted(run, seed, name, condition, action, repeat)));
        rules.add(id);
        assertThat(api.post("/api/v1/automation-rules/" + id + "/resume", "").status())
                .isEqualTo(200);
        return id;
    }

    private String condition(Random random, List<Long> referable) {
        List<String> leaves = new ArrayList<>();
        for (int k = 1 + random.nextInt(2); k > 0; k--) {
            String leaf = switch (random.nextInt(7)) {
                case 0 -> "{\"score\":{\"gte\":" + (5 * random.nextInt(7)) + "}}";
                case 1 ->
                    "{\"activity\":{\"type\":\"%s\",\"atLeast\":%d%s}}"
                            .formatted(
                                    TYPES[random.nextInt(TYPES.length)],
                                    1 + random.nextInt(2),
                                    random.nextBoolean() ? ",\"withinDays\":30" : "");
                case 2 -> "{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"Software\"}";
                case 3 -> "{\"list\":{\"memberOf\":" + referable.get(random.nextInt(referable.size())) + "}}";
                case 4 -> "{\"daysSinceLastActivity\":{\"lte\":" + (1 + random.nextInt(10)) + "}}";
                // the flag a rule's setDoNotEmail writes, which its event names alone
                case 5 -> "{\"field\":\"doNotEmail\",\"op\":\"eq\",\"value\":" + random.nextBoolean() + "}";
                default -> "{\"not\":{\"score\":{\"gte\":" + (5 * random.nextInt(7)) + "}}}";
            };
            leaves.add(leaf);
        }
        return leaves.size() == 1
                ? leaves.get(0)
                : "{\"" + (random.nextBoolean() ? "all" : "any") + "\":[" + String.join(",", leaves) + "]}";
    }

    private String mine(String condition) {
        return "{\"all\":[{\"field\":\"email\",\"op\":\"endsWith\",\"value\":\"" + domain + "\"}," + condition + "]}";
    }

    private long list(String json) {
        long id = TestApi.created(api.post("/api/v1/lists", json));
        lists.add(id);
        return id;
    }

    private long prospect(String name, String industry) {
        return api.newProspect("""
                {"email":"%s-%s%s","industry":"%s"}""".formatted(name, run, domain, industry));
    }
}
