package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/reports/closed-loop} over a cohort of its own ({@link ClosedLoopDataset}) captured on one
 * day of 2001–2019 no other test uses ({@link CohortDays}), so the figures are exact. Hand-computed: 30 prospects, 10 won, average
 * 1/3; the Demo form 8 of 10 (lift 2.4; shrunk (8 + 10/3) / 20 = 0.567, lift 1.7, 20 × log2 1.7 = 15.3 → 15 points),
 * the blog page 2 of 20 (lift 0.3; shrunk (2 + 10/3) / 30, lift 0.533, −18.1 → −18).
 */
@IntegrationTest
class ClosedLoopIT {

    @LocalServerPort
    int port;

    TestApi api;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
    }

    private static JsonNode row(JsonNode actions, String label) {
        for (JsonNode a : actions) {
            if (a.get("action").get("label").asString().equals(label)) {
                return a;
            }
        }
        throw new AssertionError("no action " + label + " in " + actions);
    }

    @Test
    void theReportCountsActionsBeforeTheFirstOpportunityWithCloseRatesLiftsAndSuggestedRules() {
        ClosedLoopDataset d = new ClosedLoopDataset(api, CohortDays.next()).create();
        TestApi.Response r = api.get("/api/v1/reports/closed-loop?" + d.period() + "&minProspects=5");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();

        assertThat(body.get("cohort").asInt()).isEqualTo(30);
        assertThat(body.get("won").asInt()).isEqualTo(10);
        assertThat(body.get("averageCloseRate").asDouble()).isCloseTo(1 / 3.0, within(1e-9));
        JsonNode actions = body.get("actions");
        JsonNode demo = row(actions, "FORM_SUBMIT formName=" + d.demoForm());
        assertThat(demo.get("action").get("type").asString()).isEqualTo("FORM_SUBMIT");
        assertThat(demo.get("action").get("formName").asString()).isEqualTo(d.demoForm());
        assertThat(demo.get("prospects").asInt()).isEqualTo(10);
        assertThat(demo.get("won").asInt()).isEqualTo(8);
        assertThat(demo.get("closeRate").asDouble()).isCloseTo(0.8, within(1e-9));
        assertThat(demo.get("lift").asDouble()).isCloseTo(2.4, within(1e-9));
        assertThat(demo.get("suggestedPoints").asInt()).isEqualTo(15);
        int current = demo.get("currentPoints").asInt();
        // no rule scores exactly this form: a new rule gives the difference, so the form is worth 15 in all
        assertThat(demo.get("ruleId").isNull()).isTrue();
        assertThat(demo.get("rule").get("activityType").asString()).isEqualTo("FORM_SUBMIT");
        assertThat(demo.get("rule").get("formName").asString()).isEqualTo(d.demoForm());
        assertThat(demo.get("rule").get("points").asInt()).isEqualTo(15 - current);

        JsonNode pricing = row(actions, "PAGE_VIEW urlPath=/pricing-" + d.tag);
        assertThat(pricing.get("rule").get("urlPattern").asString()).isEqualTo("/pricing-" + d.tag);
        JsonNode blog = row(actions, "PAGE_VIEW urlPath=/blog-" + d.tag);
        assertThat(blog.get("prospects").asInt()).isEqualTo(20);
        assertThat(blog.get("lift").asDouble()).isCloseTo(0.3, within(1e-9));
        assertThat(blog.get("suggestedPoints").asInt()).isEqualTo(-18);
        // sorted by lift, the pooled row last
        List<Double> lifts = new ArrayList<>();
        actions.forEach(a -> {
            if (!a.get("action").get("type").asString().equals("POOLED")) {
                lifts.add(a.get("lift").asDouble());
            }
        });
        assertThat(lifts).isSortedAccordingTo((x, y) -> Double.compare(y, x));
        JsonNode pooled = actions.get(actions.size() - 1);
        assertThat(pooled.get("action").get("type").asString()).isEqualTo("POOLED");
        assertThat(pooled.get("action").get("actions").asInt()).isEqualTo(1);
        assertThat(pooled.get("prospects").asInt()).isEqualTo(2);
        assertThat(pooled.get("rule").isNull()).isTrue();

        JsonNode banking = null;
        for (JsonNode f : body.get("fit")) {
            if (f.get("value").asString().equals("Banking " + d.tag)) {
                banking = f;
            }
        }
        assertThat(banking).isNotNull();
        assertThat(banking.get("field").asString()).isEqualTo("industry");
        assertThat(banking.get("lift").asDouble()).isCloseTo(2.4, within(1e-9));
        assertThat(banking.get("criterion").get("condition").toString())
                .isEqualTo("{\"field\":\"industryOrAccount\",\"op\":\"in\",\"value\":[\"Banking " + d.tag + "\"]}");
        assertThat(banking.get("criterion").get("weight").asInt()).isEqualTo(2);

        int bandProspects = 0;
        int bandWon = 0;
        for (JsonNode b : body.get("byScoreBand")) {
            bandProspects += b.get("prospects").asInt();
            bandWon += b.get("won").asInt();
        }
        assertThat(bandProspects).isEqualTo(30);
        assertThat(bandWon).isEqualTo(10);
        int gradeProspects = 0;
        for (JsonNode g : body.get("byGrade")) {
            gradeProspects += g.get("prospects").asInt();
        }
        assertThat(gradeProspects).isEqualTo(30);
        assertThat(body.get("suggestedMqlThreshold").get("rule").asString()).contains("2× the cohort's average");
        assertThat(body.get("suggestedMqlThreshold")
                        .get("keyAction")
                        .get("label")
                        .asString())
                .isEqualTo("FORM_SUBMIT formName=" + d.demoForm());

        JsonNode v = body.get("validation");
        assertThat(v.get("holdoutProspects").asInt()).isEqualTo(6);
        assertThat(v.get("currentModelAuc").isNull())
                .as("no won prospect among the 6 newest")
                .isTrue();
        assertThat(v.get("suggestedModelAuc").isNull()).isTrue();
        assertThat(v.get("trustworthy").asBoolean()).isFalse();
        assertThat(v.get("note").asString()).startsWith("Too few outcomes to trust");
    }

    @Test
    void whatProspectsDidAfterTheirFirstOpportunityWasCreatedIsNotCounted() {
        ClosedLoopDataset d = new ClosedLoopDataset(api, CohortDays.next()).create();
        String path = "/api/v1/reports/closed-loop?" + d.period() + "&minProspects=5";
        JsonNode before = api.get(path).json();
        // the 16 prospects with an opportunity (10 won) all submit a form after it was created: had it counted, it
        // would be an action of 16 prospects with a close rate of 10/16
        StringBuilder activities = new StringBuilder();
        Instant now = Instant.now();
        for (int i = 0; i < 16; i++) {
            activities.append(i == 0 ? "" : ",").append("""
                    {"externalId":"leak-%s-%d","email":"%s","type":"FORM_SUBMIT","occurredAt":"%s",
                     "properties":{"formName":"Leak %s"}}""".formatted(d.tag, i, d.email(i), now, d.tag));
        }
        dev.kindling.intake.IntakeProgress.ingest(api, "{\"activities\":[" + activities + "]}");

        JsonNode after = api.get(path).json();
        List<String> labels = new ArrayList<>();
        after.get("actions")
                .forEach(a -> labels.add(a.get("action").get("label").asString()));
        assertThat(labels).doesNotContain("FORM_SUBMIT formName=Leak " + d.tag);
        assertThat(after.get("actions")).isEqualTo(before.get("actions"));
        assertThat(after.get("validation")).isEqualTo(before.get("validation"));
    }

    @Test
    void gradesAreCountedAsTheyWereWhenTheFirstOpportunityWasCreatedNotAsTheyAreToday() {
        ClosedLoopDataset d = new ClosedLoopDataset(api, CohortDays.next()).create();
        String path = "/api/v1/reports/closed-loop?" + d.period() + "&minProspects=5";
        JsonNode before = api.get(path).json();
        // the 14 prospects without an opportunity are cut at the end of their capture day, years before they were
        // first graded (now): they count under their first recorded grade, and the report says how many
        assertThat(before.get("gradesBeforeHistory").asInt()).isEqualTo(14);

        long buyer = d.ids.get(0);
        String gradeThen =
                api.get("/api/v1/prospects/" + buyer).json().get("grade").asString();
        TestApi.Response patched = api.patch(
                "/api/v1/prospects/" + buyer, "{\"jobTitle\":\"Chief Executive Director\",\"employees\":5000}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("grade").asString())
                .as("the grade moved after the opportunity was created")
                .isNotEqualTo(gradeThen);

        JsonNode after = api.get(path).json();
        assertThat(after.get("byGrade")).isEqualTo(before.get("byGrade"));
        assertThat(gradeRow(after, gradeThen).get("won").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void scoreBandsCountTheLedgerScoreWhenTheFirstOpportunityWasCreatedNotTheScoreOfToday() {
        ClosedLoopDataset d = new ClosedLoopDataset(api, CohortDays.next()).create();
        String path = "/api/v1/reports/closed-loop?" + d.period() + "&minProspects=5";
        JsonNode before = api.get(path).json();

        // a won buyer (its opportunity created when the dataset was made) and a browser without an opportunity (cut
        // at the end of its capture day, years ago) both gain 200 points today: after their cuts, so nothing moves
        long buyer = d.ids.get(0);
        long browser = d.ids.get(20);
        for (long id : new long[] {buyer, browser}) {
            TestApi.Response adjusted = api.post(
                    "/api/v1/prospects/" + id + "/score/adjust", "{\"delta\":200,\"reason\":\"closed loop test\"}");
            assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(200);
        }
        assertThat(api.get(path).json().get("byScoreBand")).isEqualTo(before.get("byScoreBand"));

        // the browser's first opportunity, created now, moves its cut after the 200 points: it is counted at ≥ 150
        TestApi.Response o = api.post("/api/v1/opportunities", """
                {"name":"CL %s late","amount":500,"stage":"Discovery",
                 "contactRoles":[{"prospectId":%d,"role":"DECISION_MAKER","primary":true}]}""".formatted(d.tag, browser));
        assertThat(o.status()).as(o.body()).isEqualTo(201);
        JsonNode after = api.get(path).json();
        assertThat(after.get("cohort").asInt()).isEqualTo(30);
        assertThat(after.get("won").asInt()).isEqualTo(10);
        JsonNode top = after.get("byScoreBand").get(ClosedLoopReport.BAND_EDGES.length - 1);
        assertThat(top.get("from").asInt()).isEqualTo(150);
        assertThat(top.get("prospects").asInt())
                .isEqualTo(before.get("byScoreBand")
                                .get(ClosedLoopReport.BAND_EDGES.length - 1)
                                .get("prospects")
                                .asInt()
                        + 1);
        assertThat(top.get("won").asInt())
                .isEqualTo(before.get("byScoreBand")
                        .get(ClosedLoopReport.BAND_EDGES.length - 1)
                        .get("won")
                        .asInt());
    }

    private static JsonNode gradeRow(JsonNode report, String grade) {
        for (JsonNode g : report.get("byGrade")) {
            if (g.get("grade").asString().equals(grade)) {
                return g;
            }
        }
        throw new AssertionError("no grade " + grade + " in " + report.get("byGrade"));
    }

    @Test
    void theTablesComeAsCsvByAcceptHeaderOrFormatParameter() {
        ClosedLoopDataset d = new ClosedLoopDataset(api, CohortDays.next()).create();
        TestApi.Response csv = api.send(api.request("/api/v1/reports/closed-loop?" + d.period() + "&minProspects=5")
                .header("Accept", "text/csv")
                .GET()
                .build());
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body())
                .startsWith("table,label,prospects,won,close_rate,lift,suggested_points,current_points,"
                        + "average_won_amount\r\n");
        assertThat(csv.body()).contains("action,FORM_SUBMIT formName=" + d.demoForm() + ",10,8,0.8,");
        assertThat(csv.body()).contains("\r\nfit,industry=Banking " + d.tag + ",10,8,0.8,");
        TestApi.Response byParameter =
                api.get("/api/v1/reports/closed-loop?" + d.period() + "&minProspects=5&format=csv");
        assertThat(byParameter.contentType()).startsWith("text/csv");
        assertThat(byParameter.body()).isEqualTo(csv.body());
    }

    @Test
    void badParametersAreFieldErrors() {
        assertFields("from=2030-02-01&to=2030-01-01", "to");
        assertFields("from=2020-01-01&to=2025-01-01", "to");
        assertFields("from=2030-01-01&to=2030-02-01&minProspects=0", "minProspects");
        assertFields("from=2030-01-01&to=2030-02-01&minProspects=100001", "minProspects");
        assertFields(
                "from=2030-01-01&to=2030-02-01&minProspects=" + URLEncoder.encode("1 OR 1=1", StandardCharsets.UTF_8),
                "minProspects");
        assertFields("to=2030-02-01", "from");
        assertFields("from=30-01-01&to=2030-02-01", "from");
    }

    private void assertFields(String query, String... fields) {
        TestApi.Response response = api.get("/api/v1/reports/closed-loop?" + query);
        assertThat(response.status()).as(query + " " + response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .as(query)
                .containsExactly(fields);
    }
}
