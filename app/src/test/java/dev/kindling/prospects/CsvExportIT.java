package dev.kindling.prospects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The listing APIs answer CSV when asked ({@code Accept: text/csv} or {@code format=csv}): every page the filters
 * select, formula injection guarded, validation errors as problem+json; the weekly review's tables too, for API keys.
 */
@IntegrationTest
class CsvExportIT {

    /** One more than a CSV page (500 rows per query), so the export must read two pages. */
    private static final int MANY = 501;

    @LocalServerPort
    int port;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    private TestApi.Response csv(String path) {
        return api.send(api.request(path).header("Accept", "text/csv").GET().build());
    }

    private static List<String> lines(TestApi.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/csv");
        assertThat(response.raw().headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(d -> assertThat(d).startsWith("attachment; filename="));
        assertThat(response.body()).endsWith("\r\n");
        return Arrays.asList(response.body().split("\r\n"));
    }

    private long prospect(String json) {
        return api.newProspect(json);
    }

    /** {@value #MANY} prospects from one batch of activities, and one whose fields are formulas. */
    private List<Long> manyProspects() {
        StringBuilder batch = new StringBuilder("{\"activities\":[");
        for (int i = 0; i < MANY; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append("""
                    {"externalId":"csv-%s-%d","email":"csv-%s-%d@csv.example","type":"PAGE_VIEW","occurredAt":"%s"}""".formatted(run, i, run, i, Instant.now().minusSeconds(60)));
        }
        IntakeProgress.ingest(api, batch.append("]}").toString());
        prospect("""
                {"email":"csv-%s-evil@csv.example","firstName":"=HYPERLINK(\\"http://evil.example\\")",
                 "lastName":"-2+3","jobTitle":"@SUM(A1)"}""".formatted(run));
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        do {
            var page = api.get("/api/v1/prospects?limit=500&q=csv-" + run + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            page.get("items").forEach(p -> ids.add(p.get("id").asLong()));
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(ids).hasSize(MANY + 1);
        return ids;
    }

    @Test
    void prospectsAndListMembersExportEveryPageWithFormulasDisarmed() {
        List<Long> ids = manyProspects();

        List<String> prospects = lines(csv("/api/v1/prospects?q=csv-" + run));
        assertThat(prospects.getFirst()).startsWith("id,email,first_name,last_name,company,");
        assertThat(prospects).hasSize(1 + MANY + 1);
        assertThat(prospects.stream().skip(1).map(l -> l.split(",")[1]).distinct())
                .hasSize(MANY + 1);
        String evil = prospects.stream()
                .filter(l -> l.contains("csv-" + run + "-evil"))
                .findFirst()
                .orElseThrow();
        assertThat(evil)
                .contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\",'-2+3,")
                .contains(",'@SUM(A1),");

        assertThat(lines(api.get("/api/v1/prospects?format=csv&q=csv-" + run))).hasSize(1 + MANY + 1);
        assertThat(lines(csv("/api/v1/prospects?stage=CUSTOMER&q=csv-" + run)))
                .as("the same filters")
                .hasSize(1);
        assertThat(api.get("/api/v1/prospects?limit=1&q=csv-" + run).contentType())
                .as("JSON stays the default")
                .startsWith("application/json");

        long listId = TestApi.created(
                api.post("/api/v1/lists", "{\"name\":\"CSV members " + run + "\",\"kind\":\"STATIC\"}"));
        assertThat(api.post("/api/v1/lists/" + listId + "/members", "{\"prospectIds\":" + ids + "}")
                        .status())
                .isEqualTo(200);
        List<String> members = lines(csv("/api/v1/lists/" + listId + "/members"));
        assertThat(members.getFirst()).isEqualTo("prospect_id,email,first_name,last_name,member_since");
        assertThat(members).hasSize(1 + MANY + 1);
        assertThat(members.stream()
                        .filter(l -> l.contains("csv-" + run + "-evil"))
                        .findFirst()
                        .orElseThrow())
                .contains(",\"'=HYPERLINK(");
        assertThat(lines(api.get("/api/v1/lists/" + listId + "/members?format=csv")))
                .hasSize(1 + MANY + 1);
    }

    @Test
    void opportunitiesExportWithTheirFilters() {
        long buyer = prospect("{\"email\":\"buyer-%s@csv.example\"}".formatted(run));
        for (String name : new String[] {"=cmd|' /C calc'!A0", "Plain deal " + run}) {
            var deal = api.post("/api/v1/opportunities", """
                    {"name":"%s","amount":1200.50,"contactRoles":[{"prospectId":%d,"role":"ECONOMIC_BUYER","primary":true}]}""".formatted(name, buyer));
            assertThat(deal.status()).as(deal.body()).isEqualTo(201);
        }
        List<String> deals = lines(csv("/api/v1/opportunities?prospectId=" + buyer));
        assertThat(deals.getFirst()).startsWith("id,name,account_id,account_name,amount,currency,stage,status,");
        assertThat(deals).hasSize(3);
        assertThat(deals)
                .anySatisfy(l -> assertThat(l)
                        .contains(",'=cmd|' /C calc'!A0,")
                        .contains(",1200.50,")
                        .contains(buyer + ":ECONOMIC_BUYER"));
        assertThat(lines(api.get("/api/v1/opportunities?format=csv&status=WON&prospectId=" + buyer)))
                .hasSize(1);
    }

    @Test
    void badFiltersAndUnknownListsAreProblemsEvenWhenCsvIsAsked() {
        var stage = csv("/api/v1/prospects?stage=NOPE");
        assertThat(stage.status()).isEqualTo(400);
        assertThat(stage.contentType()).startsWith("application/problem+json");
        var status = csv("/api/v1/opportunities?status=MAYBE");
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.contentType()).startsWith("application/problem+json");
        var list = csv("/api/v1/lists/999999999/members");
        assertThat(list.status()).isEqualTo(404);
        assertThat(list.contentType()).startsWith("application/problem+json");
        assertThat(csv("/api/v1/prospects").status())
                .as("the API door still wants a key")
                .isEqualTo(200);
        assertThat(new TestApi(port, null)
                        .send(new TestApi(port, null)
                                .request("/api/v1/prospects")
                                .header("Accept", "text/csv")
                                .GET()
                                .build())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void theWeeklyReviewsTablesAnswerAnApiKeyInCsv() {
        List<String> reasons = lines(csv("/api/v1/reports/weekly?table=reject-reasons"));
        assertThat(reasons.getFirst()).isEqualTo("reason,leads");
        List<String> followUp = lines(api.get("/api/v1/reports/weekly?format=csv&table=follow-up"));
        assertThat(followUp.getFirst()).startsWith("level,id,name,handoffs,met,breached,open,");
        assertThat(followUp).anySatisfy(l -> assertThat(l).startsWith("TOTAL,"));

        var missing = csv("/api/v1/reports/weekly");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("errors").findValuesAsString("field")).containsExactly("table");
        assertThat(api.get("/api/v1/reports/weekly").contentType()).startsWith("application/json");
    }
}
