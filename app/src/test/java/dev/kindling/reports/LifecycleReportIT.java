package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The lifecycle report over a known history ({@link LifecycleDataset}): exact counts, conversions, velocities. */
@IntegrationTest
class LifecycleReportIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private JsonNode report(LifecycleDataset data, String query) {
        TestApi.Response response =
                new TestApi(port).get("/api/v1/reports/lifecycle?from=" + data.from() + "&to=" + data.to() + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<Long> counts(JsonNode funnel) {
        List<Long> out = new ArrayList<>();
        funnel.get("steps").forEach(s -> out.add(s.get("count").asLong()));
        return out;
    }

    private static List<String> conversions(JsonNode funnel) {
        List<String> out = new ArrayList<>();
        funnel.get("steps")
                .forEach(s -> out.add(
                        s.get("conversionPercent").isNull()
                                ? null
                                : s.get("conversionPercent").asText()));
        return out;
    }

    /** Each velocity pair as "FROM>TO n median mean". */
    private static List<String> velocity(JsonNode funnel) {
        List<String> out = new ArrayList<>();
        funnel.get("velocity")
                .forEach(v -> out.add(v.get("from").asText() + ">" + v.get("to").asText() + " "
                        + v.get("prospects").asLong() + " " + text(v.get("medianDays")) + " "
                        + text(v.get("meanDays"))));
        return out;
    }

    private static String text(JsonNode node) {
        return node.isNull() ? "null" : node.asText();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void theCohortViewCountsProspectsCapturedInThePeriodAndHowFarTheyGotSince() {
        LifecycleDataset data = new LifecycleDataset(jdbc, 1991).write();

        JsonNode total = report(data, "&view=cohort&model=pardot").get("total");

        assertThat(total.get("steps").findValuesAsString("label"))
                .containsExactly("Visitors", "Prospects", "MQL", "Opportunity", "Won");
        assertThat(counts(total)).containsExactly(4L, 6L, 3L, 3L, 1L);
        assertThat(conversions(total)).containsExactly(null, null, "50.0", "66.7", "33.3");
        assertThat(velocity(total))
                .containsExactly(
                        "ANONYMOUS>CAPTURED 2 3.0 3.0",
                        "CAPTURED>MQL 3 10.0 8.33",
                        "MQL>SQL 2 8.0 8.0",
                        "SQL>CUSTOMER 1 20.0 20.0");
        assertThat(total.get("offPath").get("RECYCLED").asLong())
                .as("P2 was recycled after the period")
                .isEqualTo(1);
        assertThat(total.get("offPath").get("DISQUALIFIED").asLong()).isEqualTo(1);
    }

    @Test
    void theFlowViewCountsStageEntriesInThePeriodWhateverTheCaptureDate() {
        LifecycleDataset data = new LifecycleDataset(jdbc, 1992).write();

        JsonNode total = report(data, "&view=flow").get("total");

        assertThat(counts(total)).containsExactly(4L, 6L, 4L, 3L, 1L);
        assertThat(conversions(total)).containsExactly(null, null, "50.0", "50.0", "33.3");
        assertThat(velocity(total))
                .containsExactly(
                        "ANONYMOUS>CAPTURED 2 3.0 3.0",
                        "CAPTURED>MQL 4 10.0 14.75",
                        "MQL>SQL 2 8.0 8.0",
                        "SQL>CUSTOMER 1 20.0 20.0");
        assertThat(total.get("offPath").get("RECYCLED").asLong()).isZero();
    }

    @Test
    void theStageModelShowsEveryStageOfTheSuccessPath() {
        LifecycleDataset data = new LifecycleDataset(jdbc, 1993).write();

        JsonNode total = report(data, "&view=cohort&model=stages").get("total");

        assertThat(total.get("steps").findValuesAsString("stage"))
                .containsExactly("ANONYMOUS", "CAPTURED", "ENGAGED", "MQL", "SAL", "SQL", "CUSTOMER");
        assertThat(counts(total)).containsExactly(4L, 6L, 3L, 3L, 0L, 3L, 1L);
        assertThat(conversions(total)).containsExactly(null, null, "50.0", "100.0", "0.0", null, "33.3");
        assertThat(velocity(total)).contains("ENGAGED>MQL 3 8.0 7.0", "MQL>SAL 0 null null");
    }

    @Test
    void aSegmentValueFiltersTheFunnelTheVisitorsAndTheInventory() {
        LifecycleDataset data = new LifecycleDataset(jdbc, 1994).write();

        JsonNode report = report(data, "&segment=source&segmentValue=" + encode(data.sourceA));
        JsonNode total = report.get("total");

        assertThat(report.get("segment").asText()).isEqualTo("source");
        assertThat(report.get("segments")).isEmpty();
        assertThat(counts(total)).containsExactly(3L, 5L, 3L, 2L, 1L);
        assertThat(conversions(total)).containsExactly(null, null, "60.0", "66.7", "50.0");
        JsonNode inventory = total.get("inventory");
        assertThat(List.of("CAPTURED", "ENGAGED", "MQL", "SAL", "SQL", "CUSTOMER", "RECYCLED", "DISQUALIFIED").stream()
                        .map(s -> inventory.get(s).asLong())
                        .toList())
                .containsExactly(1L, 0L, 1L, 0L, 1L, 1L, 1L, 1L);
    }

    @Test
    void aListSegmentCountsTheListsMembersOnly() {
        LifecycleDataset data = new LifecycleDataset(jdbc, 1995).write();
        TestApi api = new TestApi(port);
        long listId = api.post("/api/v1/lists", "{\"name\":\"segment " + data.tag + "\",\"kind\":\"STATIC\"}")
                .json()
                .get("id")
                .asLong();
        List<Long> sourceA = List.of("p1", "p2", "p3", "p4", "p6", "p7").stream()
                .map(data.ids::get)
                .toList();
        assertThat(api.post("/api/v1/lists/" + listId + "/members", "{\"prospectIds\":" + sourceA + "}")
                        .status())
                .isBetween(200, 204);

        JsonNode byList = report(data, "&segment=list&segmentValue=" + listId).get("total");
        JsonNode bySource = report(data, "&segment=source&segmentValue=" + encode(data.sourceA))
                .get("total");

        assertThat(counts(byList)).isEqualTo(counts(bySource));
        assertThat(velocity(byList)).isEqualTo(velocity(bySource));
    }

    @Test
    void aSegmentWithoutValueBreaksTheFunnelDownByItsValues() {
        LifecycleDataset data = new LifecycleDataset(jdbc, 1995).write();

        JsonNode report = report(data, "&segment=source");

        assertThat(counts(report.get("total"))).containsExactly(4L, 6L, 3L, 3L, 1L);
        JsonNode segments = report.get("segments");
        assertThat(segments).hasSize(2);
        assertThat(segments.get(0).get("value").asText()).isEqualTo(data.sourceA);
        assertThat(counts(segments.get(0).get("funnel"))).containsExactly(3L, 5L, 3L, 2L, 1L);
        assertThat(segments.get(1).get("value").asText()).isEqualTo(data.sourceB);
        assertThat(counts(segments.get(1).get("funnel"))).containsExactly(0L, 1L, 0L, 1L, 0L);
        assertThat(segments.get(1).get("funnel").get("inventory").get("SQL").asLong())
                .isEqualTo(1);
    }

    @Test
    void csvHasOneRowPerStepAndGuardsCellsThatLookLikeFormulas() {
        LifecycleDataset data = new LifecycleDataset(jdbc, 1996).write();
        TestApi api = new TestApi(port);

        TestApi.Response csv = api.send(
                api.request("/api/v1/reports/lifecycle?from=" + data.from() + "&to=" + data.to() + "&segment=source")
                        .header("Accept", "text/csv")
                        .GET()
                        .build());

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo(LifecycleCsv.HEADER);
        assertThat(lines)
                .contains(
                        "source,(all),step,,ANONYMOUS,Visitors,4,,,,",
                        "source,(all),step,,CAPTURED,Prospects,6,,,,",
                        "source,(all),velocity,CAPTURED,MQL,,,,3,10.0,8.33",
                        "source," + data.sourceA + ",step,,MQL,MQL,3,60.0,,,",
                        "source,\"'=SUM(1+1),B-" + data.tag + "\",step,,SQL,Opportunity,1,,,,");
        assertThat(csv.body()).doesNotContain(",=SUM", ",\"=SUM");
    }

    @Test
    void csvCellsStartingWithAFormulaCharacterAreQuotedAsText() {
        assertThat(LifecycleCsv.cell("=1+1")).isEqualTo("'=1+1");
        assertThat(LifecycleCsv.cell("+1")).isEqualTo("'+1");
        assertThat(LifecycleCsv.cell("-1")).isEqualTo("'-1");
        assertThat(LifecycleCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(LifecycleCsv.cell("\tx")).isEqualTo("'\tx");
        assertThat(LifecycleCsv.cell("\rx")).isEqualTo("\"'\rx\"");
        assertThat(LifecycleCsv.cell("a \"b\", c")).isEqualTo("\"a \"\"b\"\", c\"");
        assertThat(LifecycleCsv.cell("plain")).isEqualTo("plain");
    }

    @Test
    void badParametersAreAnsweredWithFieldErrors() {
        TestApi api = new TestApi(port);
        assertErrors(api, "", "from", "to");
        assertErrors(api, "?from=2024-13-01&to=yesterday", "from", "to");
        assertErrors(api, "?from=2024-03-01&to=2024-02-01", "to");
        assertErrors(api, "?from=2020-01-01&to=2023-01-01", "to");
        assertErrors(
                api, "?from=2024-01-01&to=2024-02-01&view=sideways&model=x&segment=zodiac", "view", "model", "segment");
        assertErrors(api, "?from=2024-01-01&to=2024-02-01&segmentValue=x", "segmentValue");
        assertErrors(api, "?from=2024-01-01&to=2024-02-01&segment=campaign&segmentValue=abc", "segmentValue");
        assertErrors(api, "?from=2024-01-01&to=2024-02-01&segment=list", "segmentValue");
        TestApi.Response csv = api.send(api.request("/api/v1/reports/lifecycle?from=2024-02-01&to=2024-01-01")
                .header("Accept", "text/csv")
                .GET()
                .build());
        assertThat(csv.status()).as("an error asked for as CSV").isEqualTo(400);
        assertThat(api.get("/api/v1/reports/lifecycle?from=2020-01-01&to=2022-12-31")
                        .status())
                .as("three years exactly")
                .isEqualTo(200);
    }

    private static void assertErrors(TestApi api, String query, String... fields) {
        TestApi.Response response = api.get("/api/v1/reports/lifecycle" + query);
        assertThat(response.status()).as(query).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .as(query)
                .containsExactly(fields);
    }
}
