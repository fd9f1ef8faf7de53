package dev.kindling.sales;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.assignment.Assignments;
import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An inside-sales user works the queue in headless Chromium; the SLA and weekly pages render for a manager. */
@IntegrationTest
class SalesPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    Assignments assignments;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anInsideSalesUserLogsAnAttemptAndAcceptsALeadFromTheQueue() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long id = assignedLead("isr", "Isa Rep", run, """
                {"email":"buyer-%s@corp-%s.example","firstName":"<b>Bo</b>","lastName":"Buyer","company":"Corp %s"}""".formatted(run, run, run));

        browser.at(port)
                .signedIn("isr-" + run + "@kindling.example", "password-" + run)
                .open("/sales/queue?scope=mine");
        assertThat(browser.find("#queue tbody tr[data-prospect='" + id + "'] .sla-state")
                        .getText())
                .isEqualTo("ON_TRACK");
        browser.follow("#queue tbody tr[data-prospect='" + id + "'] a.lead-link");
        assertThat(browser.text("#lead-name")).isEqualTo("<b>Bo</b> Buyer");
        assertThat(browser.text("#lead-stage")).isEqualTo("MQL");
        assertThat(browser.find("#score-panel")).isNotNull();
        assertThat(browser.find("#fit-panel")).isNotNull();

        new Select(browser.find("#attempt-kind")).selectByValue("CALL");
        new Select(browser.find("#attempt-outcome")).selectByValue("CONNECTED");
        browser.find("#attempt-note").sendKeys("Talked about the pilot");
        browser.follow("#log-attempt");
        assertThat(browser.text("#notice")).isEqualTo("Attempt logged.");
        assertThat(browser.text("#lead-sla")).isEqualTo("MET");
        assertThat(browser.text("#attempts tbody")).contains("CONNECTED").contains("Talked about the pilot");

        browser.follow("#accept");
        assertThat(browser.text("#notice")).contains("SAL");
        assertThat(browser.text("#lead-stage")).isEqualTo("SAL");
        assertThat(jdbc.sql("SELECT stage FROM prospect WHERE id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .isEqualTo("SAL");

        new Select(browser.find("#reject-reason")).selectByValue("OTHER");
        browser.follow("#reject");
        assertThat(browser.text("#errors")).contains("Note");
        assertThat(browser.text("#lead-stage")).isEqualTo("SAL");
    }

    @Test
    void theConvertFormTakesAGroupedAmountKeepsWhatWasTypedNextToAnErrorAndTasksAreWorkedFromTheQueue() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long id = assignedLead("conv", "Cory Rep", run, """
                {"email":"deal-%s@acct-%s.example","firstName":"Dee","lastName":"Deal","company":"Acct %s"}""".formatted(run, run, run));

        browser.at(port)
                .signedIn("conv-" + run + "@kindling.example", "password-" + run)
                .open("/sales/leads/" + id);
        assertThat(browser.text("#tasks")).contains("Follow up");
        browser.find("#convert-amount").sendKeys("12,500");
        new Select(browser.find("#convert-role")).selectByValue("ECONOMIC_BUYER");
        browser.follow("#convert");
        assertThat(browser.text("#convert-name-error")).contains("required");
        assertThat(browser.find("#convert-amount").getAttribute("value")).isEqualTo("12,500");
        assertThat(new Select(browser.find("#convert-role"))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("ECONOMIC_BUYER");
        assertThat(browser.text("#lead-stage")).isEqualTo("MQL");

        browser.find("#convert-name").sendKeys("Pilot " + run);
        browser.follow("#convert");
        assertThat(browser.text("#notice")).contains("Converted");
        assertThat(browser.text("#lead-stage")).isEqualTo("SQL");
        assertThat(jdbc.sql("""
                        SELECT o.amount || ' ' || (o.account_id = p.account_id) FROM opportunity o
                          JOIN opportunity_contact_role r ON r.opportunity_id = o.id JOIN prospect p ON p.id = r.prospect_id
                         WHERE p.id = :id""").param("id", id).query(String.class).single()).isEqualTo("12500.00 true");
        assertThat(browser.text("#handoff-closed")).contains("CONVERTED");
        assertThat(browser.driver().findElements(By.cssSelector("#no-handoff"))).isEmpty();

        browser.find("#task-subject").sendKeys("Send the contract to <b>Dee</b>");
        browser.follow("#add-task");
        assertThat(browser.text("#notice")).isEqualTo("Task added.");
        long task = jdbc.sql("SELECT id FROM sales_task WHERE prospect_id = :id AND status = 'OPEN'")
                .param("id", id)
                .query(Long.class)
                .single();
        browser.open("/sales/queue");
        assertThat(browser.text("#tasks tr[data-task='" + task + "']")).contains("Send the contract to <b>Dee</b>");
        browser.follow("#complete-" + task);
        assertThat(browser.driver().findElements(By.cssSelector("#tasks tr[data-task='" + task + "']")))
                .isEmpty();
        assertThat(jdbc.sql("SELECT status FROM sales_task WHERE id = :id")
                        .param("id", task)
                        .query(String.class)
                        .single())
                .isEqualTo("DONE");
    }

    @Test
    void anAdminInNoTeamOpensTheQueueOnEveryonesLeads() {
        browser.at(port)
                .signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD)
                .open("/sales/queue");
        assertThat(new Select(browser.find("#scope")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("all");
    }

    @Test
    void theSlaAndWeeklyReviewPagesRenderWithChartsAndCsvLinks() {
        browser.at(port)
                .signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD)
                .open("/reports/weekly");
        assertThat(browser.find("#followup-chart")).isNotNull();
        assertThat(browser.find("#supply-chart")).isNotNull();
        assertThat(browser.driver().findElements(By.cssSelector("a.csv"))).hasSizeGreaterThanOrEqualTo(8);
        assertThat(browser.find("#follow-up tr[data-level=TOTAL]").getText()).startsWith("Total");
        browser.open("/sales/sla");
        assertThat(browser.find("#sla-report")).isNotNull();
        assertThat(browser.find("#settings-form input[name=firstContactHours]").getDomProperty("value"))
                .isNotBlank();
    }

    /**
     * A prospect made from {@code prospectJson}, moved to MQL and assigned to a new INSIDE_SALES user
     * {@code <user>-<run>@kindling.example} (password {@code password-<run>}); returns the prospect's id.
     */
    long assignedLead(String user, String name, String run, String prospectJson) {
        TestApi admin = new TestApi(port);
        long repId = admin.post("/api/v1/users", """
                {"email":"%s-%s@kindling.example","name":"%s","role":"INSIDE_SALES","password":"password-%s"}""".formatted(user, run, name, run))
                .json()
                .get("id")
                .asLong();
        long id = admin.post("/api/v1/prospects", prospectJson).json().get("id").asLong();
        admin.post("/api/v1/prospects/" + id + "/stage", "{\"stage\":\"MQL\",\"reason\":\"test\"}");
        assignments.assignTo(id, repId, "test", true);
        return id;
    }
}
