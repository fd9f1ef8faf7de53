package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The KPI dashboard over a known history ({@link KpiDataset}): every KPI's exact value, previous period, trend. */
@IntegrationTest
// alone among the shared context's classes: changes the monthly MQL target
@ResourceLock(IntegrationTest.SHARED_DATA)
class KpiReportIT {

    static final String JUNE = "/api/v1/reports/kpis?from=1963-06-01&to=1963-06-30";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    /** Written once for the class: the dashboard reads whole tables by period. */
    private static KpiDataset data;

    private int savedTarget;

    @BeforeEach
    void historyOf1963AndAMonthlyTargetOf62() {
        if (data == null) {
            data = new KpiDataset(jdbc, 1963).write();
            backDatedPageViewOfDProcessedNow();
        }
        savedTarget = jdbc.sql("SELECT monthly_mql_target FROM sales_settings")
                .query(Integer.class)
                .single();
        jdbc.sql("UPDATE sales_settings SET monthly_mql_target = 62").update();
    }

    /**
     * D's page view of May 12th, 1963, queued as an import queues it and processed by intake now: its ACTIVITY ledger
     * entry is written today. (The API accepts nothing before 2000, so the row goes into the queue with SQL.)
     */
    private void backDatedPageViewOfDProcessedNow() {
        Instant occurred = Instant.parse("1963-05-12T12:00:00Z");
        String external = "kpi-" + data.tag + "-D-back-dated";
        jdbc.sql("INSERT INTO activity_key (external_id, occurred_at) VALUES (:x, :at)")
                .param("x", external)
                .param("at", Timestamp.from(occurred))
                .update();
        jdbc.sql("""
                        WITH a AS (
                            INSERT INTO activity (external_id, type, occurred_at, received_at, prospect_id, properties)
                            VALUES (:x, 'PAGE_VIEW', :at, now(), :p, '{"url": "https://kpis.example/docs"}')
                            RETURNING id, occurred_at, received_at, prospect_id)
                        INSERT INTO activity_queue (activity_id, occurred_at, received_at, prospect_id)
                        SELECT id, occurred_at, received_at, prospect_id FROM a""")
                .param("x", external)
                .param("at", Timestamp.from(occurred))
                .param("p", data.ids.get("D"))
                .update();
        await("the back-dated page view processed")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> jdbc.sql("SELECT processed_at IS NOT NULL FROM activity WHERE external_id = :x")
                        .param("x", external)
                        .query(Boolean.class)
                        .single());
    }

    @AfterEach
    void restoreTarget() {
        jdbc.sql("UPDATE sales_settings SET monthly_mql_target = :t")
                .param("t", savedTarget)
                .update();
    }

    private JsonNode dashboard(String path) {
        TestApi.Response response = new TestApi(port).get(path);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Each KPI as "value numerator/denominator" for a figure. */
    private static String figure(JsonNode f) {
        return text(f.get("value")) + " " + text(f.get("numerator")) + "/" + text(f.get("denominator"));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "null" : node.asText();
    }

    private static Map<String, JsonNode> byKey(JsonNode dashboard) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        dashboard.get("kpis").forEach(k -> out.put(k.get("key").asText(), k));
        return out;
    }

    private static List<String> trend(JsonNode kpi, String field) {
        List<String> out = new ArrayList<>();
        kpi.get("trend").forEach(f -> out.add(text(f.get(field))));
        return out;
    }

    private static List<String> nulls(int n, String... then) {
        List<String> out = new ArrayList<>(java.util.Collections.nCopies(n, "null"));
        out.addAll(Arrays.asList(then));
        return out;
    }

    @Test
    void everyKpiOfThePeriodAndOfThePreviousOneHasItsHandComputedValue() {
        JsonNode d = dashboard(JUNE + "&period=month");
        Map<String, JsonNode> k = byKey(d);

        assertThat(d.get("previousFrom").asText()).isEqualTo("1963-05-02");
        assertThat(d.get("previousTo").asText()).isEqualTo("1963-05-31");
        assertThat(d.get("monthlyMqlTarget").asInt()).isEqualTo(62);
        assertThat(k.keySet())
                .containsExactly(
                        "mqls",
                        "visitorToProspect",
                        "prospectToMql",
                        "mqlToSal",
                        "leadActiveRate",
                        "mqlToOpportunity",
                        "opportunityToWon",
                        "prospectToWon",
                        "salesCycleDays",
                        "leadTimeDays",
                        "costPerWonDeal",
                        "emailOpenRate",
                        "emailClickRate");
        Map<String, String> current = new LinkedHashMap<>();
        Map<String, String> previous = new LinkedHashMap<>();
        k.forEach((key, kpi) -> {
            current.put(key, figure(kpi.get("current")));
            previous.put(key, figure(kpi.get("previous")));
        });
        assertThat(current)
                .containsExactly(
                        Map.entry("mqls", "3.0 3/null"),
                        Map.entry("visitorToProspect", "50.0 2/4"),
                        Map.entry("prospectToMql", "50.0 2/4"),
                        Map.entry("mqlToSal", "66.7 2/3"),
                        Map.entry("leadActiveRate", "33.3 2/6"),
                        Map.entry("mqlToOpportunity", "66.7 2/3"),
                        Map.entry("opportunityToWon", "33.3 1/3"),
                        Map.entry("prospectToWon", "25.0 1/4"),
                        Map.entry("salesCycleDays", "22.5 2/null"),
                        Map.entry("leadTimeDays", "18.0 1/null"),
                        Map.entry("costPerWonDeal", "1550.0 3100.0/2"),
                        Map.entry("emailOpenRate", "75.0 3/4"),
                        Map.entry("emailClickRate", "50.0 2/4"));
        assertThat(previous)
                .containsExactly(
                        Map.entry("mqls", "1.0 1/null"),
                        Map.entry("visitorToProspect", "33.3 1/3"),
                        Map.entry("prospectToMql", "100.0 2/2"),
                        Map.entry("mqlToSal", "0.0 0/1"),
                        Map.entry("leadActiveRate", "100.0 2/2"),
                        Map.entry("mqlToOpportunity", "100.0 1/1"),
                        Map.entry("opportunityToWon", "100.0 2/2"),
                        Map.entry("prospectToWon", "50.0 1/2"),
                        Map.entry("salesCycleDays", "5.0 1/null"),
                        Map.entry("leadTimeDays", "25.0 1/null"),
                        Map.entry("costPerWonDeal", "600.0 600.0/1"),
                        Map.entry("emailOpenRate", "50.0 1/2"),
                        Map.entry("emailClickRate", "0.0 0/2"));
        assertThat(k.get("mqls").get("current").get("target").asDouble())
                .as("all of June")
                .isEqualTo(62.0);
        assertThat(k.get("mqls").get("previous").get("target").asDouble())
                .as("30 of May's 31 days")
                .isEqualTo(60.0);
    }

    @Test
    void theMonthlyTrendShowsTheTwelveMonthsEndingWithThePeriodsMonth() {
        JsonNode d = dashboard(JUNE + "&period=month");
        Map<String, JsonNode> k = byKey(d);

        assertThat(d.get("trendPeriods")).hasSize(12);
        assertThat(d.get("trendPeriods").get(0).get("from").asText()).isEqualTo("1962-07-01");
        assertThat(d.get("trendPeriods").get(10).get("to").asText()).isEqualTo("1963-05-31");
        assertThat(d.get("trendPeriods").get(11).get("to").asText()).isEqualTo("1963-06-30");
        List<String> zeros = java.util.Collections.nCopies(10, "0.0");
        List<String> mqls = new ArrayList<>(zeros);
        mqls.addAll(List.of("1.0", "3.0"));
        assertThat(trend(k.get("mqls"), "value")).isEqualTo(mqls);
        assertThat(trend(k.get("mqls"), "target")).containsOnly("62.0");
        assertThat(trend(k.get("prospectToMql"), "value")).isEqualTo(nulls(10, "100.0", "50.0"));
        assertThat(trend(k.get("visitorToProspect"), "value"))
                .as("May 1st … 31st is the previous period's visitors")
                .isEqualTo(nulls(10, "33.3", "50.0"));
        assertThat(trend(k.get("leadActiveRate"), "value"))
                .as("nobody was captured before May 1963")
                .isEqualTo(nulls(10, "100.0", "33.3"));
        assertThat(trend(k.get("costPerWonDeal"), "value"))
                .as("all of K2 in May")
                .isEqualTo(nulls(10, "620.0", "1550.0"));
        assertThat(trend(k.get("salesCycleDays"), "value")).isEqualTo(nulls(10, "5.0", "22.5"));
        assertThat(trend(k.get("emailClickRate"), "value")).isEqualTo(nulls(10, "0.0", "50.0"));
    }

    @Test
    void aBackDatedActivityProcessedNowCountsAsActivityWhenItOccurredNotWhenItWasProcessed() {
        Map<String, Object> entry =
                jdbc.sql("""
                        SELECT at, occurred_at FROM score_ledger WHERE prospect_id = :d AND kind = 'ACTIVITY'""").param("d", data.ids.get("D")).query().singleRow();
        assertThat(((Timestamp) entry.get("at")).toInstant())
                .as("processed now")
                .isAfter(Instant.now().minus(Duration.ofDays(1)));
        assertThat(((Timestamp) entry.get("occurred_at")).toInstant())
                .as("the activity's occurrence")
                .isEqualTo("1963-05-12T12:00:00Z");

        String segment = "&segment=source&segmentValue=" + data.source;
        JsonNode may = byKey(dashboard("/api/v1/reports/kpis?from=1963-05-01&to=1963-05-31" + segment))
                .get("leadActiveRate");
        assertThat(figure(may.get("current")))
                .as("D (page view May 12) and F (May 21) of D and F, captured by then")
                .isEqualTo("100.0 2/2");

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode now = byKey(dashboard("/api/v1/reports/kpis?from=" + today.minusDays(29) + "&to=" + today + segment))
                .get("leadActiveRate");
        assertThat(figure(now.get("current")))
                .as("A, D and F: none had a scoring activity in the last 30 days, whatever was processed in them")
                .isEqualTo("0.0 0/3");
    }

    @Test
    void theWeeklyTrendProratesTheMonthlyTargetByTheDaysOfEachMonthAWeekCovers() {
        JsonNode d = dashboard(JUNE + "&period=week");
        Map<String, JsonNode> k = byKey(d);

        assertThat(d.get("period").asText()).isEqualTo("week");
        assertThat(d.get("trendPeriods").get(0).get("from").asText())
                .as("a Monday")
                .isEqualTo("1963-04-08");
        assertThat(d.get("trendPeriods").get(11).get("from").asText()).isEqualTo("1963-06-24");
        assertThat(d.get("trendPeriods").get(11).get("to").asText()).isEqualTo("1963-06-30");
        assertThat(trend(k.get("mqls"), "value"))
                .containsExactly("0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "1.0", "0.0", "2.0", "1.0", "0.0", "0.0");
        assertThat(trend(k.get("mqls"), "target"))
                .containsExactly(
                        "14.5", "14.5", "14.5", "14.1", "14.0", "14.0", "14.0", "14.1", "14.5", "14.5", "14.5", "14.5");
        assertThat(k.get("mqls").get("current").get("target").asDouble())
                .as("the period, not the trend")
                .isEqualTo(62.0);
    }

    @Test
    void eachAssetCountsTheMqlsWhoTouchedItBeforeTheirMql() {

        JsonNode assets = dashboard(JUNE).get("assets");

        List<String> rows = new ArrayList<>();
        assets.forEach(a -> rows.add(a.get("type").asText() + " " + a.get("id").asText() + " "
                + a.get("name").asText()
                + " " + a.get("mqls").asLong() + " " + text(a.get("percent")) + " "
                + a.get("previousMqls").asLong()
                + " " + text(a.get("previousPercent"))));
        assertThat(rows)
                .as("A's click came after its MQL; B's download was a bot's")
                .containsExactly(
                        "FORM kpi-" + data.tag + " " + data.formName + " 2 66.7 1 100.0",
                        "EMAIL " + data.templateId + " " + data.emailName + " 1 33.3 0 0.0",
                        "FILE " + data.linkId + " " + data.fileName + " 1 33.3 0 0.0");
    }

    @Test
    void theCsvHasOneRowPerKpiAndSpanAndOnePerAssetAndSpanWithFormulasGuarded() {
        TestApi api = new TestApi(port);

        TestApi.Response csv =
                api.send(api.request(JUNE).header("Accept", "text/csv").GET().build());
        TestApi.Response format = api.get(JUNE + "&format=csv");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(format.body()).isEqualTo(csv.body());
        List<String> lines = List.of(csv.body().split("\r\n"));
        assertThat(lines.getFirst())
                .isEqualTo("section,key,label,unit,span,from,to,value,numerator,denominator,target");
        assertThat(lines).hasSize(1 + 13 * 14 + 3 * 2);
        assertThat(lines)
                .contains(
                        "kpi,mqls,MQLs,count,current,1963-06-01,1963-06-30,3.0,3,,62.0",
                        "kpi,mqls,MQLs,count,previous,1963-05-02,1963-05-31,1.0,1,,60.0",
                        "kpi,mqls,MQLs,count,trend,1963-05-01,1963-05-31,1.0,1,,62.0",
                        "kpi,costPerWonDeal,Cost per won deal,money,current,1963-06-01,1963-06-30,1550.0,3100.00,2,",
                        "kpi,mqlToSal,MQL → SAL,percent,previous,1963-05-02,1963-05-31,0.0,0,1,",
                        "asset,form:kpi-" + data.tag + ",'" + data.formName
                                + ",percent,current,1963-06-01,1963-06-30,66.7,2,3,",
                        "asset,file:" + data.linkId + "," + data.fileName
                                + ",percent,previous,1963-05-02,1963-05-31,0.0,0,1,");
    }

    @Test
    void aSegmentRestrictsEveryKpiToItsProspectsAndTheirOpportunities() {
        JsonNode d = dashboard(JUNE + "&segment=source&segmentValue=" + data.source);
        Map<String, String> current = new LinkedHashMap<>();
        byKey(d).forEach((key, kpi) -> current.put(key, figure(kpi.get("current"))));

        assertThat(d.get("segment").asText()).isEqualTo("source");
        assertThat(current)
                .as("A, D and F; O1 and O4 by their contact roles")
                .containsExactly(
                        Map.entry("mqls", "2.0 2/null"),
                        Map.entry("visitorToProspect", "100.0 1/1"),
                        Map.entry("prospectToMql", "100.0 1/1"),
                        Map.entry("mqlToSal", "50.0 1/2"),
                        Map.entry("leadActiveRate", "33.3 1/3"),
                        Map.entry("mqlToOpportunity", "100.0 2/2"),
                        Map.entry("opportunityToWon", "100.0 1/1"),
                        Map.entry("prospectToWon", "100.0 1/1"),
                        Map.entry("salesCycleDays", "22.5 2/null"),
                        Map.entry("leadTimeDays", "18.0 1/null"),
                        Map.entry("costPerWonDeal", "null null/2"),
                        Map.entry("emailOpenRate", "50.0 1/2"),
                        Map.entry("emailClickRate", "50.0 1/2"));
        List<String> assets = new ArrayList<>();
        d.get("assets")
                .forEach(a ->
                        assets.add(a.get("type").asText() + " " + a.get("mqls").asLong() + " " + text(a.get("percent"))
                                + " " + a.get("previousMqls").asLong()));
        assertThat(assets).containsExactly("FORM 1 50.0 1", "FILE 1 50.0 0");

        JsonNode campaign = byKey(dashboard(JUNE + "&segment=campaign&segmentValue=" + data.ids.get("K1")))
                .get("costPerWonDeal");
        assertThat(figure(campaign.get("current")))
                .as("K1's cost; no prospect came from K1")
                .isEqualTo("null 3000.0/0");
    }

    @Test
    void badParametersAreAnsweredWithFieldErrors() {
        TestApi api = new TestApi(port);
        assertErrors(api, "", "from", "to");
        assertErrors(api, "?from=1963-06-30&to=1963-06-01", "to");
        assertErrors(api, "?from=1960-01-01&to=1965-01-01", "to");
        assertErrors(api, "?from=1963-06-01&to=1963-06-30&period=fortnight", "period");
        assertErrors(api, "?from=1963-13-01&to=yesterday&period=day", "from", "to", "period");
        assertErrors(api, "?from=1963-06-01&to=1963-06-30&segment=source", "segmentValue");
        assertErrors(api, "?from=1963-06-01&to=1963-06-30&segment=zodiac&segmentValue=x", "segment", "segmentValue");
        assertErrors(api, "?from=1963-06-01&to=1963-06-30&segment=campaign&segmentValue=abc", "segmentValue");
        TestApi.Response csv = api.send(api.request("/api/v1/reports/kpis?from=1963-06-30&to=1963-06-01")
                .header("Accept", "text/csv")
                .GET()
                .build());
        assertThat(csv.status()).as("an error asked for as CSV").isEqualTo(400);
        assertThat(api.get("/api/v1/reports/kpis?from=1960-01-01&to=1964-12-31").status())
                .as("five years exactly")
                .isEqualTo(200);
    }

    private static void assertErrors(TestApi api, String query, String... fields) {
        TestApi.Response response = api.get("/api/v1/reports/kpis" + query);
        assertThat(response.status()).as(query).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .as(query)
                .containsExactly(fields);
    }
}
