package dev.kindling.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Users & teams, the assignment page and the prospect page's owner panel, in headless Chromium as the admin. */
@IntegrationTest
class AssignmentPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void theTeamsTableNamesEachMemberWithTheirEmail() {
        TestApi api = new TestApi(port);
        People people = new People(api);
        long team = people.team("named", null);
        long ada = people.user("Ada " + people.run, "SALES", team);
        people.user("Bob " + people.run, "SALES", team);
        String adaEmail = api.get("/api/v1/users/" + ada).json().get("email").asString();

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/settings/users");

        String members = browser.text("#team-" + team + " td.team-members");
        assertThat(members)
                .contains("Ada " + people.run + " <" + adaEmail + ">", "Bob " + people.run)
                .doesNotContain("null");
    }

    @Test
    void theAdminCreatesATeamWithAManagerThenATerritoryForItAndAnEmptyTerritoryIsRefused() {
        TestApi api = new TestApi(port);
        People people = new People(api);
        long pat = people.user("Pat " + people.run, "INSIDE_SALES", null);
        String team = "Monaco desk " + people.run;

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/settings/users");
        browser.find("#team-name").sendKeys(team);
        new Select(browser.find("#team-manager")).selectByValue(String.valueOf(pat));
        browser.follow("#create-team");
        assertThat(browser.text("#teams")).contains(team, "Pat " + people.run);
        JsonNode created = api.get("/api/v1/teams")
                .json()
                .valueStream()
                .filter(t -> t.get("name").asString().equals(team))
                .findFirst()
                .orElseThrow();
        assertThat(created.get("managerId").asLong()).isEqualTo(pat);

        browser.open("/assignment");
        browser.find("#territory-name").sendKeys("Monaco " + people.run);
        browser.find("#territory-countries").sendKeys("mc");
        browser.find("#territory-min").sendKeys("10");
        new Select(browser.find("#territory-target"))
                .selectByValue("team:" + created.get("id").asLong());
        browser.follow("#create-territory");
        assertThat(browser.text("#territories")).contains("Monaco " + people.run, "MC", "10 – ∞", "team " + team);
        JsonNode territory = api.get("/api/v1/territories")
                .json()
                .valueStream()
                .filter(t -> t.get("name").asString().equals("Monaco " + people.run))
                .findFirst()
                .orElseThrow();
        try {
            assertThat(territory.get("countries").get(0).asString()).isEqualTo("MC");
            assertThat(territory.get("teamId").asLong())
                    .isEqualTo(created.get("id").asLong());

            browser.find("#territory-name").sendKeys("Everything " + people.run);
            browser.follow("#create-territory");
            assertThat(browser.text("#errors")).contains("at least one criterion");
            assertThat(api.get("/api/v1/territories").body()).doesNotContain("Everything " + people.run);
        } finally {
            api.send(api.request("/api/v1/territories/" + territory.get("id").asLong())
                    .DELETE()
                    .build());
        }
    }

    @Test
    void theProspectPageShowsTheOwnerEscapedWithTheHistoryAndTheAdminReassigns() {
        TestApi api = new TestApi(port);
        People people = new People(api);
        String hostile = "<img src=x onerror=alert(1)> Rep " + people.run;
        long rep = people.user(hostile, "SALES", null);
        long other = people.user("Other " + people.run, "SALES", null);
        long prospect = people.prospect("page", "\"firstName\":\"<script>alert(2)</script>\"");
        assertThat(api.post("/api/v1/prospects/" + prospect + "/owner", "{\"userId\":" + rep + "}")
                        .status())
                .isEqualTo(200);

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/prospects/" + prospect);
        assertThat(browser.text("#derived")).contains(hostile);
        assertThat(browser.text("#assignment-history")).contains(hostile, "user:");
        assertThat(browser.driver().findElements(org.openqa.selenium.By.cssSelector("#derived img")))
                .isEmpty();

        new Select(browser.find("#owner-user")).selectByValue(String.valueOf(other));
        browser.follow("#assign-owner");
        assertThat(browser.text("#derived")).contains("Other " + people.run);
        assertThat(browser.text("#assignment-history")).contains("Other " + people.run, "forced");
        assertThat(people.owner(prospect)).isEqualTo(other);
    }
}
