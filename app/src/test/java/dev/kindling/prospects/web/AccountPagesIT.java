package dev.kindling.prospects.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
// alone among the shared context's classes: changes how account engagement is counted
@ResourceLock(IntegrationTest.SHARED_DATA)
class AccountPagesIT {

    static final String ADMIN = "admin@kindling.local";

    @LocalServerPort
    int port;

    TestApi api;
    UiSession ui;
    String run;
    String domain;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        ui = UiSession.signedIn(port, ADMIN, TestApi.ADMIN_PASSWORD);
        run = UUID.randomUUID().toString().substring(0, 8);
        domain = "acct-" + run + ".example";
    }

    long prospect(String name, int score) {
        long id = api.newProspect("{\"email\":\"" + name + "@" + domain + "\",\"firstName\":\"" + name
                + "\",\"company\":\"<i>Acme " + run + "</i>\"}");
        if (score != 0) {
            assertThat(api.post(
                                    "/api/v1/prospects/" + id + "/score/adjust",
                                    "{\"delta\":" + score + ",\"reason\":\"test\"}")
                            .status())
                    .isEqualTo(200);
        }
        return id;
    }

    @Test
    void anAccountShowsItsEngagementAndItsBuyingCommitteeWithContactRoles() {
        long buyer = prospect("buyer", 80);
        long user = prospect("user", 20);
        var opportunity = api.post("/api/v1/opportunities", """
                {"name":"Deal %s","amount":1000,"currency":"JPY","stage":"Proposal","contactRoles":[{"prospectId":%d,"role":"ECONOMIC_BUYER","primary":true}]}""".formatted(run, buyer));
        assertThat(opportunity.status()).as(opportunity.body()).isEqualTo(201);
        long accountId =
                api.get("/api/v1/prospects/" + buyer).json().get("accountId").asLong();
        int buyerScore =
                api.get("/api/v1/prospects/" + buyer).json().get("score").asInt();
        int userScore = api.get("/api/v1/prospects/" + user).json().get("score").asInt();

        String list = ui.open("/accounts?q=" + domain).body();
        assertThat(list).contains(domain);
        assertThat(cell(list, accountId)).contains(">" + (buyerScore + userScore) + "<");

        String page = ui.open("/accounts/" + accountId).body();
        assertThat(text(page, "fig-contacts")).isEqualTo("2");
        assertThat(text(page, "fig-engagement")).isEqualTo(String.valueOf(buyerScore + userScore));
        assertThat(page).contains("ECONOMIC_BUYER (primary)").contains("Deal " + run);

        ui.open("/accounts");
        assertThat(ui.postForm("/accounts/engagement", "mode=MAX").status()).isEqualTo(302);
        try {
            assertThat(text(ui.open("/accounts/" + accountId).body(), "fig-engagement"))
                    .isEqualTo(String.valueOf(Math.max(buyerScore, userScore)));
        } finally {
            ui.postForm("/accounts/engagement", "mode=SUM");
        }
    }

    @Test
    void aListCanHoldTheProspectsOfAccountsWithAtLeastThreeEngagedContacts() {
        List<Long> engaged = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            engaged.add(prospect("engaged" + i, 200));
        }
        long id = TestApi.created(api.post("/api/v1/lists", """
                {"name":"Engaged accounts %s","kind":"DYNAMIC","condition":{"all":[
                  {"field":"email","op":"contains","value":"%s"},
                  {"field":"account.engagedContacts","op":"gte","value":3}]}}""".formatted(run, domain)));

        List<Long> members = new ArrayList<>();
        api.get("/api/v1/lists/" + id + "/members?limit=500")
                .json()
                .get("items")
                .forEach(n -> members.add(n.get("prospectId").asLong()));

        assertThat(members).containsExactlyInAnyOrderElementsOf(engaged);
    }

    @Test
    void companyNamesFromProspectDataAreShownAsText() {
        long id = prospect("text", 0);
        long accountId =
                api.get("/api/v1/prospects/" + id).json().get("accountId").asLong();
        assertThat(ui.open("/accounts/" + accountId).body()).doesNotContain("<i>Acme");
        assertThat(ui.open("/accounts/987654321").status()).isEqualTo(404);
    }

    static String cell(String page, long accountId) {
        Matcher row = Pattern.compile("href=\"/accounts/" + accountId + "\"[\\s\\S]*?</tr>")
                .matcher(page);
        assertThat(row.find()).isTrue();
        return row.group();
    }

    static String text(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(page);
        assertThat(m.find()).as(id).isTrue();
        return m.group(1).strip();
    }
}
