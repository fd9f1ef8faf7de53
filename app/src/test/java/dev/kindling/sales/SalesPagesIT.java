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
        TestApi admin = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "isr-" + run + "@kindling.example";
        long repId = admin.post("/api/v1/users", """
                {"email":"%s","name":"Isa Rep","role":"INSIDE_SALES","password":"password-%s"}""".formatted(email, run))
                .json().get("id").asLong();
        long id = admin.post("/api/v1/prospects", """
                {"email":"buyer-%s@corp-%s.example","firstName":"<b>Bo</b>","lastName":"Buyer","company":"Corp %s"}"""
                .formatted(run, run, run)).json().get("id").asLong();
        admin.post("/api/v1/prospects/" + id + "/stage", "{\"stage\":\"MQL\",\"reason\":\"test\"}");
        assignments.assignTo(id, repId, "test", true);

        browser.at(port).signIn(email, "password-" + run).open("/sales/queue?scope=mine");
        assertThat(browser.find("#queue tbody tr[data-prospect='" + id + "'] .sla-state").getText()).isEqualTo("ON_TRACK");
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
        assertThat(jdbc.sql("SELECT stage FROM prospect WHERE id = :id").param("id", id).query(String.class).single())
                .isEqualTo("SAL");

        new Select(browser.find("#reject-reason")).selectByValue("OTHER");
        browser.follow("#reject");
        assertThat(browser.text("#errors")).contains("note");
        assertThat(browser.text("#lead-stage")).isEqualTo("SAL");
    }

    @Test
    void theSlaAndWeeklyReviewPagesRenderWithChartsAndCsvLinks() {
        browser.at(port).signIn("admin@kindling.local", TestApi.ADMIN_PASSWORD).open("/reports/weekly");
        assertThat(browser.find("#followup-chart")).isNotNull();
        assertThat(browser.find("#supply-chart")).isNotNull();
        assertThat(browser.driver().findElements(By.cssSelector("a.csv"))).hasSizeGreaterThanOrEqualTo(8);
        assertThat(browser.find("#follow-up tr[data-level=TOTAL]").getText()).startsWith("Total");
        browser.open("/sales/sla");
        assertThat(browser.find("#sla-report")).isNotNull();
        assertThat(browser.find("#settings-form input[name=firstContactHours]").getDomProperty("value")).isNotBlank();
    }
}
