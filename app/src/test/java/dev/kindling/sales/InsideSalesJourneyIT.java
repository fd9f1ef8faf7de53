package dev.kindling.sales;

import static dev.kindling.support.TestApi.created;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.Browser;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An inside-sales rep's day in headless Chromium, on a database and clock of its own (so the weekly review counts
 * only what the test did): two MQLs reach the rep through intake and round-robin; the rep signs in, opens the queue,
 * opens a lead (hostile data shown as text; explanations, stars, flames and quadrant on the page), logs an attempt,
 * accepts and converts it; the other lead is left alone and breaches when the clock moves 25 h. The weekly review
 * page then shows one met and one breached handoff and the MQL → SAL → SQL conversion 2 → 1 → 1.
 */
@MovingClockTest
class InsideSalesJourneyIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    SlaCheckJob slaJob;

    @Test
    void anInsideSalesRepWorksTheQueueAndTheWeeklyReviewShowsWhatWasDone() {
        TestApi admin = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String day = clock.instant().toString().substring(0, 10);
        String nextDay = clock.instant().plus(Duration.ofDays(1)).toString().substring(0, 10);
        String email = "rita-" + run + "@journey.example";
        long rep = created(admin.post("/api/v1/users", """
                {"email":"%s","name":"Rita Rep","role":"INSIDE_SALES","password":"password-%s"}""".formatted(email, run)));
        long team =
                created(admin.post("/api/v1/teams", "{\"name\":\"Journey %s\",\"managerId\":%d}".formatted(run, rep)));
        assertThat(admin.patch("/api/v1/users/" + rep, "{\"teamId\":" + team + "}")
                        .status())
                .isEqualTo(200);
        assertThat(admin.send(admin.request("/api/v1/assignment/settings")
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(
                                        "{\"MQL\":{\"mode\":\"ROUND_ROBIN\",\"teamId\":" + team + "}}"))
                                .build())
                        .status())
                .isEqualTo(200);

        String hostile = "<img src=x onerror=alert(1)>";
        long lead = prospect(admin, "hot", run, hostile, "Acme <script>x()</script>");
        long ignored = prospect(admin, "cold", run, "Ivo", "Ignored Ltd");
        for (long id : List.of(lead, ignored)) {
            qualify(admin, id);
            assertThat(admin.get("/api/v1/prospects/" + id)
                            .json()
                            .get("ownerId")
                            .asLong())
                    .isEqualTo(rep);
        }

        browser.at(port).signedIn(email, "password-" + run).open("/sales/queue");
        WebElement row = browser.find("#queue tbody tr[data-prospect='" + lead + "']");
        assertThat(row.getText()).contains(hostile);
        assertThat(browser.driver().findElements(By.cssSelector("#queue tbody tr[data-prospect]")))
                .hasSize(2);
        browser.follow("#queue tbody tr[data-prospect='" + lead + "'] a.lead-link");

        // the sales view: the prospect's data as text, the explanations and the fit signals
        assertThat(browser.text("#lead-name")).startsWith(hostile);
        assertThat(browser.driver().findElements(By.cssSelector("img[src=x]")))
                .as("no injected element")
                .isEmpty();
        assertThat(browser.driver().getPageSource()).doesNotContain("<script>x()</script>");
        assertThat(browser.text("#lead-stage")).isEqualTo("MQL");
        assertThat(browser.text("#lead-quadrant")).isIn("HOT", "NURTURE", "SCREEN", "DISCARD");
        assertThat(browser.text("#fit-quadrant")).isEqualTo(browser.text("#lead-quadrant"));
        assertThat(browser.find("#fit-stars").getDomAttribute("data-stars")).isNotBlank();
        assertThat(browser.find("#fit-flames").getDomAttribute("data-flames")).isNotBlank();
        assertThat(browser.driver().findElements(By.cssSelector("#score-by-rule tbody tr")))
                .isNotEmpty();
        assertThat(browser.text("#score-by-rule")).contains("Form");
        assertThat(browser.driver().findElements(By.cssSelector("#grade-explanation tbody tr")))
                .isNotEmpty();
        assertThat(browser.text("#lead-sla")).isEqualTo("ON_TRACK");

        clock.advance(Duration.ofHours(2));
        new Select(browser.find("#attempt-kind")).selectByValue("CALL");
        new Select(browser.find("#attempt-outcome")).selectByValue("CONNECTED");
        browser.find("#attempt-note").sendKeys("Pilot in Q3");
        browser.follow("#log-attempt");
        assertThat(browser.text("#notice")).isEqualTo("Attempt logged.");
        assertThat(browser.text("#lead-sla")).isEqualTo("MET");
        assertThat(browser.text("#attempts tbody")).contains("CONNECTED", "Pilot in Q3", "Rita Rep");

        browser.follow("#accept");
        assertThat(browser.text("#lead-stage")).isEqualTo("SAL");

        browser.find("#convert-name").sendKeys("Pilot " + run);
        browser.find("#convert-amount").sendKeys("15000");
        browser.follow("#convert");
        assertThat(browser.text("#lead-stage")).isEqualTo("SQL");
        assertThat(browser.text("#opportunities tbody")).contains("Pilot " + run, "$15,000.00");

        // the other lead is left alone past its 24 h
        clock.advance(Duration.ofHours(25));
        slaJob.runDue();

        browser.open("/reports/weekly?from=" + day + "&to=" + nextDay);
        assertThat(browser.text("#card-handoffs")).isEqualTo("2");
        assertThat(browser.text("#card-compliance")).isEqualTo("50.0 %");
        List<String> total = cells("#follow-up tr[data-level=TOTAL] td");
        // name, handed off, met, breached, open, compliance, median h, p90 h, attempts / lead, accepted, rejected,
        // converted, no outcome
        assertThat(total.subList(1, 6)).containsExactly("2", "1", "1", "0", "50.0 %");
        assertThat(total.subList(9, 13)).containsExactly("1", "0", "1", "1");
        assertThat(cells("#follow-up tr[data-level=REP] td").getFirst()).isEqualTo("Rita Rep");
        assertThat(browser.text("#not-followed"))
                .contains("cold-" + run, "no contact by the due time")
                .doesNotContain("hot-" + run);
        assertThat(cells("#conversion tbody td")).containsExactly("2", "1 (50.0 %)", "1 (50.0 %)", "0 (0.0 %)");
        assertThat(browser.text("#card-mql-sql")).isEqualTo("50.0 %");
        assertThat(browser.text("#card-supply")).startsWith("2 / ");
        assertThat(browser.text("#card-pipeline")).isEqualTo("$15,000.00 (1)");
        assertThat(browser.find("#conversion-chart")).isNotNull();
        assertThat(browser.find("#conversion-chart g[data-key=SQL] .chart-value")
                        .getText())
                .isEqualTo("1");
    }

    private List<String> cells(String css) {
        return browser.driver().findElements(By.cssSelector(css)).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** A click and a whitepaper form from a director of a 500-people company: over the default MQL threshold. */
    private void qualify(TestApi admin, long id) {
        for (String[] a :
                new String[][] {{"EMAIL_CLICK", ""}, {"FORM_SUBMIT", ",\"properties\":{\"formName\":\"Whitepaper\"}"}
                }) {
            IntakeProgress.ingest(admin, """
                    {"activities":[{"externalId":"%s","prospectId":%d,"type":"%s","occurredAt":"%s"%s}]}""".formatted(
                            UUID.randomUUID(), id, a[0], clock.instant().minusSeconds(60), a[1]));
        }
    }

    private static long prospect(TestApi admin, String name, String run, String firstName, String company) {
        return created(admin.post("/api/v1/prospects", """
                {"email":"%s-%s@lead-%s.example","firstName":"%s","lastName":"Lead","company":"%s",
                 "jobTitle":"Director of IT","employees":500}""".formatted(name, run, run, firstName, company)));
    }
}
