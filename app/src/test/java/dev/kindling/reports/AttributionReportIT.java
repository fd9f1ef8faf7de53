package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Attribution and campaign ROI over a known history ({@link AttributionDataset}, 1974): exact credits and ROI. */
@IntegrationTest
class AttributionReportIT {

    private static AttributionDataset data;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void writeOnce() {
        if (data == null) {
            data = new AttributionDataset(jdbc, 1974).write();
        }
    }

    private JsonNode get(String path) {
        TestApi.Response response = new TestApi(port).get(path);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode attribution(String query) {
        return get("/api/v1/reports/attribution?from=" + data.from() + "&to=" + data.to() + query);
    }

    /** Campaign id (null: no touch) → "credit opportunities". */
    private static Map<Long, String> rows(JsonNode report) {
        Map<Long, String> out = new LinkedHashMap<>();
        report.get("rows")
                .forEach(r -> out.put(
                        r.get("campaignId").isNull()
                                ? null
                                : r.get("campaignId").asLong(),
                        r.get("credit").decimalValue().setScale(2).toPlainString() + " "
                                + r.get("opportunities")
                                        .decimalValue()
                                        .stripTrailingZeros()
                                        .toPlainString()));
        return out;
    }

    private static BigDecimal sum(JsonNode report) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode r : report.get("rows")) {
            sum = sum.add(r.get("credit").decimalValue());
        }
        return sum;
    }

    @Test
    void wShapedPipelineCreditsFirstLeadCreationAndOpportunityCreationAndPutsRolelessDealsInNoTouch() {
        JsonNode report = attribution("&model=w_shaped&basis=pipeline");
        assertThat(report.get("model").asText()).isEqualTo("W_SHAPED");
        assertThat(report.get("basis").asText()).isEqualTo("PIPELINE");
        assertThat(report.get("total").decimalValue()).isEqualByComparingTo("1500.00");
        // C: first (30 %) + other (5 %) + opportunity creation (30 %); A: lead creation; B: other; O2 has no role
        Map<Long, String> expected = new LinkedHashMap<>();
        expected.put(data.campaignC, "650.00 0.65");
        expected.put(data.campaignA, "300.00 0.3");
        expected.put(data.campaignB, "50.00 0.05");
        expected.put(null, "500.00 1");
        assertThat(rows(report)).containsExactlyEntriesOf(expected);
        assertThat(sum(report)).isEqualByComparingTo(report.get("total").decimalValue());
        JsonNode a = report.get("rows").get(1);
        assertThat(a.get("campaignName").asText()).isEqualTo("Email A " + data.tag);
        assertThat(a.get("channel").asText()).isEqualTo("EMAIL");
        assertThat(a.get("cost").decimalValue()).isEqualByComparingTo("1000");
        assertThat(a.get("roi").decimalValue()).as("(300 − 1000) / 1000").isEqualByComparingTo("-0.7");
        assertThat(report.get("rows").get(0).get("roi").isNull())
                .as("C costs nothing")
                .isTrue();
        assertThat(report.get("rows").get(3).get("campaignName").asText()).isEqualTo("(no touch)");
    }

    @Test
    void linearWonCreditsTheTouchesBeforeTheCloseAndGivesTheRoundingCentsToTheLargestShare() {
        JsonNode report = attribution("&model=linear&basis=won");
        // six touches before the close: 166.66 each, the 4 cents left to the first (C)
        assertThat(rows(report))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        data.campaignC,
                        "500.02 0.5",
                        data.campaignA,
                        "333.32 0.3333",
                        data.campaignB,
                        "166.66 0.1667"));
        assertThat(sum(report))
                .isEqualByComparingTo("1000.00")
                .isEqualByComparingTo(report.get("total").decimalValue());
    }

    @Test
    void botActivitiesAreNoTouchesAndTheLookbackLeavesOutOlderOnes() {
        // five touches before the creation (the bot's page view is not one, the double A on day 10 counts once)
        assertThat(rows(attribution("&model=linear")))
                .containsEntry(data.campaignC, "600.00 0.6")
                .containsEntry(data.campaignA, "200.00 0.2")
                .containsEntry(data.campaignB, "200.00 0.2");
        // 20 days back from the creation on day 40: B on day 20 and C on day 30 only
        assertThat(rows(attribution("&model=linear&lookbackDays=20")))
                .containsEntry(data.campaignC, "500.00 0.5")
                .containsEntry(data.campaignB, "500.00 0.5")
                .doesNotContainKey(data.campaignA);
    }

    @Test
    void firstTouchAndPrimaryCampaignCreditOneCampaignEach() {
        assertThat(rows(attribution("&model=first_touch")))
                .containsExactlyEntriesOf(orderedMap(data.campaignC, "1000.00 1", null, "500.00 1"));
        assertThat(rows(attribution("&model=primary_campaign")))
                .containsExactlyEntriesOf(orderedMap(data.campaignB, "1000.00 1", null, "500.00 1"));
    }

    private static Map<Long, String> orderedMap(Long k1, String v1, Long k2, String v2) {
        Map<Long, String> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    @Test
    void theCampaignReportGivesRoiCostsPerStepAndThePrimaryCampaignSideBySide() {
        JsonNode report = get("/api/v1/reports/campaigns?from=" + data.from() + "&to=" + data.to() + "&model=linear");
        assertThat(report.get("model").asText()).isEqualTo("LINEAR");
        JsonNode a = row(report.get("campaigns"), data.campaignA);
        // P3 is A's only acquisition (P1's and P2's first touches are C) and reached MQL
        assertThat(a.get("prospects").asLong()).isEqualTo(1);
        assertThat(a.get("mqls").asLong()).isEqualTo(1);
        assertThat(a.get("opportunities").decimalValue()).isEqualByComparingTo("0.2");
        assertThat(a.get("pipeline").decimalValue()).isEqualByComparingTo("200.00");
        assertThat(a.get("wonDeals").decimalValue()).isEqualByComparingTo("0.3333");
        assertThat(a.get("won").decimalValue()).isEqualByComparingTo("333.32");
        assertThat(a.get("roi").decimalValue()).isEqualByComparingTo("-0.6667");
        assertThat(a.get("costPerLead").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(a.get("costPerMql").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(a.get("costPerOpportunity").decimalValue()).isEqualByComparingTo("5000.00");
        assertThat(a.get("costPerWonDeal").decimalValue()).isEqualByComparingTo("3000.00");
        assertThat(a.get("primaryWon").decimalValue()).isEqualByComparingTo("0");
        assertThat(a.get("primaryRoi").decimalValue()).isEqualByComparingTo("-1");
        JsonNode b = row(report.get("campaigns"), data.campaignB);
        assertThat(b.get("primaryWon").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(b.get("primaryPipeline").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(b.get("primaryRoi").decimalValue()).as("(1000 − 500) / 500").isEqualByComparingTo("1");
        JsonNode c = row(report.get("campaigns"), data.campaignC);
        assertThat(c.get("prospects").asLong()).isEqualTo(2);
        assertThat(c.get("roi").isNull()).as("no cost, no ROI").isTrue();
        JsonNode email = null;
        for (JsonNode ch : report.get("channels")) {
            if (ch.get("channel").asText().equals("EMAIL")) {
                email = ch;
            }
        }
        assertThat(email).isNotNull();
        assertThat(email.get("won").decimalValue())
                .as("only A credits won revenue in 1974")
                .isEqualByComparingTo("333.32");
    }

    @Test
    void fullPathHasNoPipelineInTheCampaignReport() {
        JsonNode report =
                get("/api/v1/reports/campaigns?from=" + data.from() + "&to=" + data.to() + "&model=full_path");
        JsonNode b = row(report.get("campaigns"), data.campaignB);
        assertThat(b.get("pipeline").isNull()).isTrue();
        assertThat(b.get("won").decimalValue())
                .as("B is only an 'other' touch: 10 % of 1000 over its two others")
                .isEqualByComparingTo("50.00");
    }

    private static JsonNode row(JsonNode rows, long campaignId) {
        for (JsonNode r : rows) {
            if (!r.get("campaignId").isNull() && r.get("campaignId").asLong() == campaignId) {
                return r;
            }
        }
        throw new AssertionError("no row for campaign " + campaignId);
    }

    @Test
    void bothReportsAnswerCsvWhenAskedByHeaderOrParameter() {
        TestApi api = new TestApi(port);
        String query = "?from=" + data.from() + "&to=" + data.to() + "&model=w_shaped";
        TestApi.Response csv = api.send(api.request("/api/v1/reports/attribution" + query)
                .header("Accept", "text/csv")
                .GET()
                .build());
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = new ArrayList<>(List.of(csv.body().split("\r\n")));
        assertThat(lines.get(0)).isEqualTo("campaign_id,campaign_name,channel,cost,opportunities,credit,roi");
        assertThat(lines)
                .contains(
                        data.campaignC + ",<b>Ads C</b> " + data.tag + ",ADS,0.00,0.6500,650.00,",
                        ",(no touch),,,1.0000,500.00,");
        TestApi.Response roi = api.get("/api/v1/reports/campaigns" + query + "&format=csv");
        assertThat(roi.status()).as(roi.body()).isEqualTo(200);
        assertThat(roi.contentType()).startsWith("text/csv");
        assertThat(roi.body())
                .startsWith("level,campaign_id,campaign_name,channel,cost,prospects,mqls,")
                .contains("\r\ncampaign," + data.campaignA + ",Email A " + data.tag + ",EMAIL,1000.00,1,1,")
                .contains("\r\nchannel,,,EMAIL,");
    }

    @Test
    void aCampaignsDrillDownGivesEachModelsCreditAndTheOpportunitiesAndTouchesThatEarnedIt() {
        String query = "?from=" + data.from() + "&to=" + data.to() + "&model=w_shaped&basis=pipeline";
        JsonNode drill = get("/api/v1/reports/attribution/campaigns/" + data.campaignC + query);
        assertThat(drill.get("campaignId").asLong()).isEqualTo(data.campaignC);
        assertThat(drill.get("campaignName").asText()).isEqualTo("<b>Ads C</b> " + data.tag);
        Map<String, String> models = new LinkedHashMap<>();
        drill.get("models")
                .forEach(m -> models.put(
                        m.get("model").asText(),
                        m.get("credit").decimalValue().setScale(2).toPlainString()));
        // O1's touches before its creation: C@3 (first), A@10 (lead creation), C@15, B@20, C@30 (opportunity creation)
        assertThat(models)
                .doesNotContainKey("FULL_PATH")
                .containsEntry("FIRST_TOUCH", "1000.00")
                .containsEntry("LAST_TOUCH", "1000.00")
                .containsEntry("LINEAR", "600.00")
                .containsEntry("W_SHAPED", "650.00")
                .containsEntry("PRIMARY_CAMPAIGN", "0.00");
        JsonNode opportunities = drill.get("opportunities");
        assertThat(opportunities).hasSize(1);
        JsonNode o1 = opportunities.get(0);
        assertThat(o1.get("id").asLong()).isEqualTo(data.o1);
        assertThat(o1.get("amount").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(o1.get("credit").decimalValue()).isEqualByComparingTo("650.00");
        List<String> touches = new ArrayList<>();
        o1.get("touches")
                .forEach(t -> touches.add(t.get("campaignId").asLong() + " "
                        + t.get("credit").decimalValue().setScale(2).toPlainString() + " "
                        + t.get("prospectEmail").asText().substring(0, 2)));
        assertThat(touches)
                .containsExactlyInAnyOrder(
                        data.campaignC + " 300.00 p1",
                        data.campaignA + " 300.00 p1",
                        data.campaignC + " 50.00 p2",
                        data.campaignB + " 50.00 p1",
                        data.campaignC + " 300.00 p1");

        TestApi api = new TestApi(port);
        TestApi.Response csv = api.send(api.request("/api/v1/reports/attribution/campaigns/" + data.campaignC + query)
                .header("Accept", "text/csv")
                .GET()
                .build());
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = List.of(csv.body().split("\r\n"));
        assertThat(lines.get(0))
                .isEqualTo("opportunity_id,opportunity_name,amount,campaign_credit,touch_campaign_id,"
                        + "touch_campaign_name,touch_at,prospect_email,share,credit");
        assertThat(lines).hasSize(6);
        assertThat(lines.get(1)).startsWith(data.o1 + ",Deal one " + data.tag + ",1000.00,650.00,");
        assertThat(api.get("/api/v1/reports/attribution/campaigns/" + data.campaignC + query + "&format=csv")
                        .body())
                .isEqualTo(csv.body());

        TestApi.Response unknown = api.get("/api/v1/reports/attribution/campaigns/999999999" + query);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        rejects("/api/v1/reports/attribution/campaigns/" + data.campaignC + query + "&model=bogus", "model");
    }

    @Test
    void badInputIsA400WithFieldErrors() {
        String period = "from=" + data.from() + "&to=" + data.to();
        rejects("/api/v1/reports/attribution?" + period + "&model=bogus", "model");
        rejects("/api/v1/reports/attribution?from=1974-02-01&to=1974-01-01", "to");
        rejects("/api/v1/reports/attribution?" + period + "&lookbackDays=-1", "lookbackDays");
        rejects("/api/v1/reports/attribution?" + period + "&halfLifeDays=0", "halfLifeDays");
        rejects("/api/v1/reports/attribution?from=1970-01-01&to=1975-01-01", "to");
        rejects("/api/v1/reports/attribution?" + period + "&model=full_path&basis=pipeline", "model");
        rejects("/api/v1/reports/attribution?" + period + "&basis=lost", "basis");
        rejects("/api/v1/reports/attribution?to=1974-01-01&lookbackDays=x", "from", "lookbackDays");
        rejects("/api/v1/reports/campaigns?" + period + "&model=bogus", "model");
        rejects("/api/v1/reports/campaigns?from=1970-01-01&to=1975-01-01", "to");
        rejects("/api/v1/reports/campaigns?from=1974-02-01&to=1974-01-01", "to");
        rejects("/api/v1/reports/campaigns?" + period + "&lookbackDays=-1", "lookbackDays");
        rejects("/api/v1/reports/attribution?" + period + "&model=bogus&format=csv", "model");
        assertThat(new TestApi(port)
                        .get("/api/v1/reports/attribution?from=1970-01-01&to=1974-12-31")
                        .status())
                .as("five years exactly")
                .isEqualTo(200);
    }

    private void rejects(String path, String... fields) {
        TestApi.Response response = new TestApi(port).get(path);
        assertThat(response.status()).as(path).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .as(path)
                .containsExactly(fields);
    }

    @Test
    void anyRoleMayReadTheReportsButOnlyWithAKey() {
        TestApi admin = new TestApi(port);
        String query = "?from=" + data.from() + "&to=" + data.to();
        TestApi sales = admin.keyOf(admin.user("SALES", null).id());
        assertThat(sales.get("/api/v1/reports/attribution" + query).status()).isEqualTo(200);
        assertThat(admin.as(null).get("/api/v1/reports/campaigns" + query).status())
                .isEqualTo(401);
    }
}
