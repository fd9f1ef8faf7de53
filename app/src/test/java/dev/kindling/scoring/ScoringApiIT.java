package dev.kindling.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.reports.CohortDays;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
// alone among the shared context's classes: changes the scoring settings and adds rules that score any CHAT or page
// view
@ResourceLock(IntegrationTest.SHARED_DATA)
class ScoringApiIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    javax.sql.DataSource dataSource;

    TestApi api;
    String run;
    String now;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60).toString();
    }

    private String activity(String id, String email, String type, String occurredAt, String extra) {
        return """
                {"externalId":"%s-%s","email":"%s","type":"%s","occurredAt":"%s"%s}""".formatted(run, id, email, type, occurredAt, extra);
    }

    private long ingest(String email, String... activities) {
        IntakeProgress.ingest(api, "{\"activities\":[" + String.join(",", activities) + "]}");
        return api.prospectId(email);
    }

    private JsonNode score(long id) {
        var response = api.get("/api/v1/prospects/" + id + "/score");
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private long createRule(String json) {
        return TestApi.created(api.post("/api/v1/scoring-rules", json));
    }

    private static JsonNode activityEntry(JsonNode score) {
        List<JsonNode> entries = new ArrayList<>();
        score.get("ledger").forEach(e -> {
            if (e.get("kind").asString().equals("ACTIVITY")) {
                entries.add(e);
            }
        });
        assertThat(entries).hasSize(1);
        return entries.getFirst();
    }

    private List<String> kinds(JsonNode score) {
        List<String> kinds = new ArrayList<>();
        score.get("ledger").forEach(e -> kinds.add(e.get("kind").asString()));
        return kinds;
    }

    @Test
    void theDefaultRulesOfTheSpecAreInstalled() {
        JsonNode rules = api.get("/api/v1/scoring-rules").json();
        List<String> names = new ArrayList<>();
        rules.forEach(r -> names.add(r.get("name").asString()));
        assertThat(names)
                .contains(
                        "Page view",
                        "File download",
                        "Tracked link click",
                        "Form submit",
                        "Form error",
                        "Email open",
                        "Email click",
                        "Webinar registered",
                        "Webinar attended",
                        "Event attended",
                        "Chat",
                        "Demo request",
                        "Pricing page",
                        "Opportunity created",
                        "Opportunity lost",
                        "Unsubscribe");
        JsonNode pricing = null;
        for (JsonNode r : rules) {
            if (r.get("name").asString().equals("Pricing page")) {
                pricing = r;
            }
        }
        assertThat(pricing.get("urlPattern").asString()).isEqualTo("pricing");
        assertThat(pricing.get("points").asInt()).isEqualTo(10);
        assertThat(pricing.get("activityType").asString()).isEqualTo("PAGE_VIEW");
    }

    @Test
    void aPricingPageViewScoresThePageViewAndThePricingRuleWithLedgerEntries() {
        String email = "pricing-" + run + "@scoring.example";
        long id = ingest(
                email,
                activity("1", email, "PAGE_VIEW", now, ",\"properties\":{\"url\":\"https://acme.example/pricing\"}"),
                activity("2", email, "FORM_SUBMIT", now, ""));

        JsonNode score = score(id);
        assertThat(score.get("score").asInt()).isEqualTo(61);
        assertThat(kinds(score)).containsExactly("ACTIVITY", "ACTIVITY", "ACTIVITY");
        assertThat(score.get("ledger").get(0).get("result").asInt()).isEqualTo(61);
        List<String> byRule = new ArrayList<>();
        score.get("byRule")
                .forEach(r -> byRule.add(
                        r.get("name").asString() + "=" + r.get("points").asInt()));
        assertThat(byRule).containsExactlyInAnyOrder("Form submit=50", "Pricing page=10", "Page view=1");
        assertThat(score.get("nextDecayAt").isNull()).isFalse();
        assertThat(api.get("/api/v1/prospects/" + id).json().get("score").asInt())
                .isEqualTo(61);
    }

    @Test
    void aDailyCapAndAFirstTimeOnlyRuleLimitThePoints() {
        String daily = "daily-" + run;
        String opened = "opened-" + run;
        createRule("""
                {"name":"capped %s","activityType":"CUSTOM","customName":"%s","points":4,"maxPointsPerDay":10,
                 "category":"caps"}""".formatted(run, daily));
        createRule("""
                {"name":"once %s","activityType":"CUSTOM","customName":"%s","points":5,"firstTimeOnly":true,
                 "firstTimeKey":"emailId"}""".formatted(run, opened));
        String email = "caps-" + run + "@scoring.example";
        // yesterday (UTC): recent enough not to decay, one whole day for the cap
        String day = Instant.now()
                .truncatedTo(ChronoUnit.DAYS)
                .minus(1, ChronoUnit.DAYS)
                .toString()
                .substring(0, 11);
        long id = ingest(
                email,
                activity("d1", email, "CUSTOM", day + "10:00:00Z", ",\"customName\":\"" + daily + "\""),
                activity("d2", email, "CUSTOM", day + "10:01:00Z", ",\"customName\":\"" + daily + "\""),
                activity("d3", email, "CUSTOM", day + "10:02:00Z", ",\"customName\":\"" + daily + "\""),
                activity("d4", email, "CUSTOM", day + "10:03:00Z", ",\"customName\":\"" + daily + "\""),
                activity(
                        "o1",
                        email,
                        "CUSTOM",
                        day + "11:00:00Z",
                        ",\"customName\":\"" + opened + "\",\"properties\":{\"emailId\":\"e1\"}"),
                activity(
                        "o2",
                        email,
                        "CUSTOM",
                        day + "11:01:00Z",
                        ",\"customName\":\"" + opened + "\",\"properties\":{\"emailId\":\"e1\"}"));
        // a later batch still sees the cap memory
        ingest(
                email,
                activity("d5", email, "CUSTOM", day + "12:00:00Z", ",\"customName\":\"" + daily + "\""),
                activity(
                        "o3",
                        email,
                        "CUSTOM",
                        day + "12:01:00Z",
                        ",\"customName\":\"" + opened + "\",\"properties\":{\"emailId\":\"e1\"}"),
                activity(
                        "o4",
                        email,
                        "CUSTOM",
                        day + "12:02:00Z",
                        ",\"customName\":\"" + opened + "\",\"properties\":{\"emailId\":\"e2\"}"));

        JsonNode score = score(id);
        assertThat(score.get("score").asInt()).isEqualTo(10 + 5 + 5);
        assertThat(score.get("byCategory").toString()).contains("{\"category\":\"caps\",\"points\":10}");
    }

    @Test
    void aResetCanBeUndoneOnceAndAdjustmentsAreManualEntries() {
        String email = "reset-" + run + "@scoring.example";
        long id = ingest(email, activity("1", email, "DEMO_REQUEST", now, ""));
        assertThat(score(id).get("score").asInt()).isEqualTo(50);

        var reset = api.post("/api/v1/prospects/" + id + "/score/reset", "");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().get("score").asInt()).isZero();
        var undo = api.post("/api/v1/prospects/" + id + "/score/undo-reset", "");
        assertThat(undo.status()).isEqualTo(200);
        assertThat(undo.json().get("score").asInt()).isEqualTo(50);
        assertThat(undo.json().get("ledger").get(0).get("undoes").asLong())
                .isEqualTo(undo.json().get("ledger").get(1).get("id").asLong());
        assertThat(api.post("/api/v1/prospects/" + id + "/score/undo-reset", "").status())
                .isEqualTo(409);

        var adjusted = api.post("/api/v1/prospects/" + id + "/score/adjust", "{\"delta\":-70,\"reason\":\"spam\"}");
        assertThat(adjusted.status()).isEqualTo(200);
        assertThat(adjusted.json().get("score").asInt()).isZero();
        assertThat(kinds(adjusted.json())).startsWith("MANUAL", "RESET", "RESET", "ACTIVITY");
        var bad = api.post("/api/v1/prospects/" + id + "/score/adjust", "{\"delta\":0,\"note\":1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("delta", "reason", "note");
        assertThat(api.post("/api/v1/prospects/999999999/score/reset", "").status())
                .isEqualTo(404);
    }

    @Test
    void aLedgerEntryIsDatedByItsActivitysOccurrenceItsOwnOrLookedUpForAnEntryWrittenBeforeV620() {
        String email = "occurred-" + run + "@scoring.example";
        Instant tenDaysAgo = Instant.parse(now).minus(10, ChronoUnit.DAYS);
        long id = ingest(email, activity("1", email, "FORM_SUBMIT", tenDaysAgo.toString(), ""));
        JsonNode entry = activityEntry(score(id));
        assertThat(Instant.parse(entry.get("occurredAt").asString())).isEqualTo(tenDaysAgo);
        assertThat(Instant.parse(entry.get("at").asString())).isAfter(tenDaysAgo.plus(9, ChronoUnit.DAYS));

        // an entry written before V620 has no occurred_at of its own: its activity is looked up
        jdbc.sql("UPDATE score_ledger SET occurred_at = NULL WHERE prospect_id = :id")
                .param("id", id)
                .update();
        JsonNode older = activityEntry(score(id));
        assertThat(Instant.parse(older.get("occurredAt").asString())).isEqualTo(tenDaysAgo);
    }

    /** A page view, a chat and an email click of {@code email}, now: the prospect's id. */
    long ingestThree(String email) {
        return ingest(
                email,
                activity("1", email, "PAGE_VIEW", now, ""),
                activity("2", email, "CHAT", now, ""),
                activity("3", email, "EMAIL_CLICK", now, ""));
    }

    @Test
    void theLedgerIsPagedNewestFirst() {
        String email = "paged-" + run + "@scoring.example";
        long id = ingestThree(email);
        JsonNode first = api.get("/api/v1/prospects/" + id + "/score?limit=2").json();
        assertThat(first.get("ledger")).hasSize(2);
        JsonNode second = api.get("/api/v1/prospects/" + id + "/score?limit=2&before="
                        + first.get("nextBefore").asLong())
                .json();
        assertThat(second.get("ledger")).hasSize(1);
        assertThat(second.get("ledger").get(0).get("result").asInt()).isEqualTo(1);
        assertThat(second.get("nextBefore").isNull()).isTrue();
        assertThat(api.get("/api/v1/prospects/" + id + "/score?limit=0").status())
                .isEqualTo(400);
    }

    /**
     * The ledger's primary key is its index by prospect, {@code (prospect_id, id, at)} (V769: the key {@code (id, at)}
     * and {@code (prospect_id, id)} were two indexes every entry was written into): besides it, only the KPI
     * dashboard's index by occurrence is written per entry, and a prospect's entries newest first, by the sums and by
     * a time bound are read through the key, in every partition, answering what they answered.
     */
    @Test
    void theLedgerIsReadThroughItsKeyByProspect() {
        assertThat(jdbc.sql("""
                        SELECT regexp_replace(indexdef, '^.* INDEX (\\S+) ON (ONLY )?\\S+ USING \\w+ ', '\\1 ')
                          FROM pg_indexes WHERE tablename = 'score_ledger' ORDER BY 1""").query(String.class).list())
                .containsExactly(
                        "score_ledger_activity_occurred_idx (COALESCE(occurred_at, at))"
                                + " WHERE (kind = 'ACTIVITY'::text)",
                        "score_ledger_pkey (prospect_id, id, at)");
        String email = "keyed-" + run + "@scoring.example";
        long id = ingestThree(email);
        JsonNode page = api.get("/api/v1/prospects/" + id + "/score?limit=2").json();
        assertThat(page.get("ledger")).hasSize(2);
        assertThat(page.get("ledger").get(0).get("result").asInt())
                .isEqualTo(score(id).get("score").asInt());
        assertThat(page.get("ledger").get(0).get("id").asLong())
                .isGreaterThan(page.get("ledger").get(1).get("id").asLong());

        List<String> plans = new ArrayList<>();
        for (String read : List.of(
                "SELECT id FROM score_ledger WHERE prospect_id = :id AND id < :before ORDER BY id DESC LIMIT 3",
                "SELECT kind, sum(delta) FROM score_ledger WHERE prospect_id = :id GROUP BY kind",
                "SELECT sum(delta) FROM score_ledger WHERE prospect_id = :id AND at > now() - interval '1 day'")) {
            plans.add(new org.springframework.transaction.support.TransactionTemplate(
                            new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource))
                    .execute(status -> {
                        jdbc.sql("SET LOCAL enable_seqscan = off").update();
                        return String.join(
                                "\n",
                                jdbc.sql("EXPLAIN " + read)
                                        .param("id", id)
                                        .param("before", Long.MAX_VALUE)
                                        .query(String.class)
                                        .list());
                    }));
        }
        assertThat(plans)
                .allSatisfy(plan -> assertThat(plan)
                        .as(plan)
                        .containsPattern("(Index Scan|Index Only Scan|Bitmap Index Scan)( Backward)? (using|on) "
                                + "score_ledger_\\w*pkey")
                        .doesNotContain("occurred_idx")
                        .doesNotContain("Seq Scan"));
    }

    @Test
    void invalidRulesAreRefusedWithEveryFieldError() {
        var response = api.post("/api/v1/scoring-rules", """
                {"name":"","activityType":"NOPE","urlPattern":"^/(a|b)$","points":5000,"colour":"red",
                 "maxPointsPerDay":0,"firstTimeKey":"emailId"}""");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        response.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields)
                .contains("name", "activityType", "urlPattern", "points", "colour", "maxPointsPerDay", "firstTimeKey");
        assertThat(api.post("/api/v1/scoring-rules", """
                {"name":"x","activityType":"CUSTOM","points":1}""").body()).contains("customName");
        assertThat(api.post("/api/v1/scoring-rules", """
                {"name":"x","activityType":"PAGE_VIEW","points":1,"campaignId":987654321}""").status()).isEqualTo(400);
        long id = createRule("""
                {"name":"patch me %s","activityType":"CHAT","points":2}""".formatted(run));
        assertThat(api.patch("/api/v1/scoring-rules/" + id, "{\"points\":-1001}")
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/api/v1/scoring-rules/" + id).json().get("points").asInt())
                .isEqualTo(2);
        var deleted =
                api.send(api.request("/api/v1/scoring-rules/" + id).DELETE().build());
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/api/v1/scoring-rules/" + id).status()).isEqualTo(404);
    }

    @Test
    void settingsAreReadAndValidated() {
        JsonNode settings = api.get("/api/v1/scoring-settings").json();
        assertThat(settings.get("inactivityDays").asInt()).isEqualTo(90);
        assertThat(settings.get("inactivityAction").asString()).isEqualTo("SET_TO_ZERO");
        assertThat(settings.get("floor").asInt()).isZero();
        var bad = api.send(api.request("/api/v1/scoring-settings")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"inactivityDays\":0,\"floor\":\"low\"}"))
                .build());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("inactivityDays", "floor", "halfLifeDays", "inactivityAction");
    }

    @Test
    void rescoringPreviewsThenAppliesTheNewPointsAsRescoreEntries() {
        String name = "rescore-" + run;
        long rule = createRule("""
                {"name":"%s","activityType":"CUSTOM","customName":"%s","points":5}""".formatted(name, name));
        String email = "rescore-" + run + "@scoring.example";
        long id = ingest(
                email,
                activity("1", email, "CUSTOM", now, ",\"customName\":\"" + name + "\""),
                activity("2", email, "CUSTOM", now, ",\"customName\":\"" + name + "\""));
        assertThat(score(id).get("score").asInt()).isEqualTo(10);

        assertThat(api.patch("/api/v1/scoring-rules/" + rule, "{\"points\":20}").status())
                .isEqualTo(200);
        var preview = api.post("/api/v1/scoring/rescore/preview", "");
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.json().get("changed").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(preview.json().get("maxChange").asInt()).isGreaterThanOrEqualTo(30);
        assertThat(preview.json().get("applied").asBoolean()).isFalse();
        assertThat(score(id).get("score").asInt()).isEqualTo(10);

        var applied = api.post("/api/v1/scoring/rescore", "");
        assertThat(applied.status()).isEqualTo(200);
        JsonNode score = score(id);
        assertThat(score.get("score").asInt()).isEqualTo(40);
        assertThat(score.get("ledger").get(0).get("kind").asString()).isEqualTo("RESCORE");
        assertThat(score.get("ledger").get(0).get("delta").asInt()).isEqualTo(30);
        // applied once, a second preview finds nothing to change for this prospect
        assertThat(api.post("/api/v1/scoring/rescore", "").status()).isEqualTo(200);
        assertThat(score(id).get("ledger").get(0).get("kind").asString()).isEqualTo("RESCORE");
        assertThat(score(id).get("score").asInt()).isEqualTo(40);
    }

    /**
     * A frequency-band suggestion of the closed-loop report, applied as it comes: the report's rule body for "≥ 5 page
     * views in 30 days", POSTed unchanged to the rules API, scores the fifth page view of a 30-day window (windows are
     * fixed periods from 1970-01-01, as the report counts them) — not the fourth nor the sixth, and not five page views
     * spread over more than 30 days. Held alone (this class): the rule scores any prospect's page views while it lives.
     */
    @Test
    void aFrequencyBandSuggestionOfTheClosedLoopAppliedAsARuleScoresTheNthOccurrenceWithinItsWindow() {
        // a cohort on a day no other cohort of the run has: 4 busy prospects (5 page views within the hour, all won)
        // and 4 browsers (one page view, none won)
        Instant day = CohortDays.next();
        List<String> activities = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            for (int k = 0; k < (i < 4 ? 5 : 1); k++) {
                activities.add(activity(
                        "band-" + i + "-" + k,
                        bandEmail(i),
                        "PAGE_VIEW",
                        day.plus(40L * i + k, ChronoUnit.MINUTES).toString(),
                        ",\"properties\":{\"url\":\"https://band.example/" + run + "/" + k + "\"}"));
            }
        }
        ingest(bandEmail(0), activities.toArray(String[]::new));
        for (int i = 0; i < 8; i++) {
            long prospect = api.prospectId(bandEmail(i));
            long opportunity = TestApi.created(api.post("/api/v1/opportunities", """
                    {"name":"Band %s %d","amount":1000,"stage":"Discovery",
                     "contactRoles":[{"prospectId":%d,"role":"DECISION_MAKER","primary":true}]}""".formatted(run, i, prospect)));
            var closed = i < 4
                    ? api.post("/api/v1/opportunities/" + opportunity + "/won", "")
                    : api.post("/api/v1/opportunities/" + opportunity + "/lost", "{\"reason\":\"COMPETITOR\"}");
            assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        }
        IntakeProgress.awaitDrained(api);
        String date = day.toString().substring(0, 10);
        var report = api.get("/api/v1/reports/closed-loop?from=" + date + "&to=" + date + "&minProspects=4");
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        JsonNode band = null;
        for (JsonNode a : report.json().get("actions")) {
            if (a.get("action").get("type").asString().equals("PAGE_VIEW")
                    && a.get("action").path("atLeast").asInt() == 5) {
                band = a;
            }
        }
        assertThat(band).as(report.body()).isNotNull();
        assertThat(band.get("action").get("withinDays").asInt()).isEqualTo(30);
        assertThat(band.get("prospects").asInt()).isEqualTo(4);
        assertThat(band.get("won").asInt()).isEqualTo(4);
        assertThat(band.get("ruleId").isNull())
                .as("no rule scores this band yet")
                .isTrue();
        JsonNode body = band.get("rule");
        assertThat(body.isObject()).as(band.toString()).isTrue();
        int points = body.get("points").asInt();
        assertThat(points).as(band.toString()).isPositive();

        var created = api.post("/api/v1/scoring-rules", body.toString());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long rule = created.json().get("id").asLong();
        try {
            assertThat(created.json().get("occurrence").asInt()).isEqualTo(5);
            assertThat(created.json().get("withinDays").asInt()).isEqualTo(30);
            // a 30-day window of the rule that ended a month or more ago: four page views, then a fifth, then a sixth
            long window = 30 * 86_400L;
            Instant start = Instant.ofEpochSecond((Instant.now().getEpochSecond() / window - 2) * window);
            String email = "band-new-" + run + "@scoring.example";
            List<String> four = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                four.add(pageView("new-" + k, email, start.plus(k + 1L, ChronoUnit.HOURS)));
            }
            long id = ingest(email, four.toArray(String[]::new));
            assertThat(entriesOf(id, rule))
                    .as("the fourth page view scores nothing")
                    .isEmpty();
            Instant fifth = start.plus(5, ChronoUnit.DAYS);
            ingest(email, pageView("new-4", email, fifth));
            List<JsonNode> entries = entriesOf(id, rule);
            assertThat(entries).as("the fifth page view of the window scores").hasSize(1);
            assertThat(entries.getFirst().get("delta").asInt()).isEqualTo(points);
            assertThat(Instant.parse(entries.getFirst().get("occurredAt").asString()))
                    .isEqualTo(fifth);
            ingest(email, pageView("new-5", email, start.plus(6, ChronoUnit.DAYS)));
            assertThat(entriesOf(id, rule)).as("the sixth scores nothing").hasSize(1);

            // five page views 8 days apart (32 days): no window of 30 days holds five of them
            String spread = "band-spread-" + run + "@scoring.example";
            List<String> apart = new ArrayList<>();
            Instant earlier = start.minus(60, ChronoUnit.DAYS);
            for (int k = 0; k < 5; k++) {
                apart.add(pageView("spread-" + k, spread, earlier.plus(8L * k, ChronoUnit.DAYS)));
            }
            long wide = ingest(spread, apart.toArray(String[]::new));
            assertThat(entriesOf(wide, rule))
                    .as("five page views spread over more than 30 days")
                    .isEmpty();
        } finally {
            api.send(api.request("/api/v1/scoring-rules/" + rule).DELETE().build());
        }
    }

    private String bandEmail(int i) {
        return "band" + i + "-" + run + "@scoring.example";
    }

    private String pageView(String id, String email, Instant at) {
        return activity(
                id, email, "PAGE_VIEW", at.toString(), ",\"properties\":{\"url\":\"https://band.example/new\"}");
    }

    /** The prospect's ACTIVITY ledger entries of one rule. */
    private List<JsonNode> entriesOf(long prospect, long rule) {
        List<JsonNode> entries = new ArrayList<>();
        var score = api.get("/api/v1/prospects/" + prospect + "/score?limit=" + ProspectScores.MAX_PAGE);
        assertThat(score.json().hasNonNull("nextBefore"))
                .as("the whole ledger in one page")
                .isFalse();
        score.json().get("ledger").forEach(e -> {
            if (e.hasNonNull("ruleId") && e.get("ruleId").asLong() == rule) {
                entries.add(e);
            }
        });
        return entries;
    }

    @Test
    void salesMayReadAScoreButNotResetIt() {
        String email = "sales-" + UUID.randomUUID() + "@kindling.example";
        var user = api.post("/api/v1/users", """
                {"email":"%s","name":"A seller","role":"SALES","password":"long-enough-password"}""".formatted(email));
        var key =
                api.post("/api/v1/api-keys", """
                {"userId":%d,"name":"integration"}""".formatted(user.json().get("id").asLong()));
        TestApi sales = api.as(key.json().get("key").asString());
        String prospect = "seller-view-" + run + "@scoring.example";
        long id = ingest(prospect, activity("1", prospect, "CHAT", now, ""));
        assertThat(sales.get("/api/v1/prospects/" + id + "/score").status()).isEqualTo(200);
        assertThat(sales.post("/api/v1/prospects/" + id + "/score/reset", "").status())
                .isEqualTo(403);
        assertThat(sales.post("/api/v1/scoring-rules", "{}").status()).isEqualTo(403);
    }
}
