package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Salesforce settings and console page in headless Chromium: an admin connects Kindling to the (fake) org, runs
 * a cycle, reads what it did per object, sees a refused record in the error queue with Salesforce's record id and
 * the reason, fixes it in Salesforce and retries, dismisses another, links a campaign born in Kindling to a Salesforce
 * Campaign from the campaign's page (and has one created), and pauses the connector; other roles get 403.
 */
@MovingClockTest
class SalesforceConsoleBrowserIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Test
    void anAdminConnectsSyncsReadsTheConsoleAndClearsTheErrorQueue() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        FakeOrg org = FakeSalesforce.shared().newOrg(clock::instant).dailyLimit(1_000_000);

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/settings/salesforce");
        assertThat(browser.text("#not-configured")).contains("Not configured");

        // a mistake first: every problem is listed, nothing stored
        browser.find("#loginUrl").sendKeys("not a url");
        browser.find("#clientId").sendKeys(org.clientId());
        browser.follow("#save-connection");
        // fields named in words, not by their JSON paths
        assertThat(browser.text("#errors"))
                .contains("Login URL: ", "Client secret: ")
                .doesNotContain("loginUrl");
        assertThat(browser.text("#not-configured")).contains("Not configured");

        browser.find("#loginUrl").clear();
        browser.find("#loginUrl").sendKeys(FakeSalesforce.shared().loginUrl());
        browser.find("#clientSecret").sendKeys(org.clientSecret());
        browser.find("#budgetPercent").clear();
        browser.find("#budgetPercent").sendKeys("25");
        browser.follow("#save-connection");
        assertThat(browser.text("#notice")).isEqualTo("Connection saved.");
        browser.follow("#pause");
        assertThat(browser.text("#paused")).isEqualTo("paused");
        // the records come after the pause: the connector's timer may have run a cycle between saving and pausing
        // (it runs one at once for a new connection), which must find nothing, so "sync now" is the cycle that meets
        // them; a second later, so they are newer than anything that cycle read
        clock.advance(Duration.ofSeconds(1));
        org.create("Opportunity", Map.of("Name", "Fine <b>" + run + "</b>", "StageName", "Open", "IsClosed", false));
        String bad = org.create(
                "Opportunity", Map.of("Name", "Refused " + run, "Amount", -3, "StageName", "Open", "IsClosed", false));
        String ignored = org.create(
                "Opportunity", Map.of("Name", "Ignored " + run, "Amount", -4, "StageName", "Open", "IsClosed", false));

        browser.follow("#sync-now");
        assertThat(browser.text("#connected")).isEqualTo("connected");
        assertThat(browser.text("#objects [data-object='Opportunity'] .created"))
                .isEqualTo("1");
        assertThat(browser.text("#objects [data-object='Opportunity'] .failed")).isEqualTo("2");
        assertThat(browser.text("#api-calls")).contains("25 %");
        assertThat(browser.text("#backlog")).matches("\\d+ due to push.*");
        assertThat(browser.text("#error-queue [data-kind='VALIDATION'] .group-count"))
                .isEqualTo("2");
        assertThat(browser.text("#error-queue")).contains(bad, ignored, "amount must not be negative");
        assertThat(browser.find("#errors-csv").getAttribute("href")).endsWith("/settings/salesforce/errors.csv");

        org.edit("Opportunity", bad, Map.of("Amount", 3));
        String badRow = "//tr[contains(@class,'error-row')][td[normalize-space()='" + bad + "']]";
        // the fields are named in words
        assertThat(browser.driver()
                        .findElement(By.xpath(badRow + "/td[contains(@class,'error-fields')]"))
                        .getText())
                .isEqualTo("Amount");
        browser.driver()
                .findElement(By.xpath(badRow + "//button[contains(@class,'retry')]"))
                .click();
        browser.await(d -> d.findElements(By.xpath(badRow)).isEmpty());
        assertThat(browser.text("#notice")).isEqualTo("Retried.");
        assertThat(browser.text("#open-errors")).isEqualTo("1");

        String ignoredRow = "//tr[contains(@class,'error-row')][td[normalize-space()='" + ignored + "']]";
        browser.driver()
                .findElement(By.xpath(ignoredRow + "//button[contains(@class,'dismiss')]"))
                .click();
        browser.await(d -> !d.findElements(By.id("no-errors")).isEmpty());
        browser.screenshot("salesforce-console");

        // a campaign born in Kindling, linked from its page: a bad id is refused in words, an existing Campaign's
        // id links it; unlinked, "create" queues the Campaign, which "sync now" creates in Salesforce
        long campaign = new TestApi(port)
                .post("/api/v1/campaigns", "{\"name\":\"Browser launch " + run + "\",\"channel\":\"EVENT\"}")
                .json()
                .get("id")
                .asLong();
        browser.open("/campaigns/" + campaign);
        assertThat(browser.text("#salesforce-unlinked")).contains("Not linked");
        browser.find("#salesforce-campaign-id").sendKeys("701nope");
        browser.follow("#salesforce-link");
        assertThat(browser.text("#salesforce #errors"))
                .contains("Salesforce ID: must be a Salesforce Campaign id")
                .doesNotContain("salesforceId");
        clock.advance(Duration.ofSeconds(1));
        String existing = org.create("Campaign", Map.of("Name", "Browser launch " + run));
        browser.find("#salesforce-campaign-id").clear();
        browser.find("#salesforce-campaign-id").sendKeys(existing);
        browser.follow("#salesforce-link");
        assertThat(browser.text("#salesforce-notice")).startsWith("Linked");
        assertThat(browser.text("#salesforce-campaign")).contains(existing);
        browser.follow("#salesforce-unlink");
        assertThat(browser.text("#salesforce-notice")).isEqualTo("Unlinked from Salesforce.");
        browser.follow("#salesforce-create");
        assertThat(browser.text("#salesforce-creating")).contains("creating");
        browser.screenshot("salesforce-campaign-creating");
        browser.open("/settings/salesforce");
        browser.follow("#sync-now");
        browser.open("/campaigns/" + campaign);
        String created = org.records("Campaign").stream()
                .filter(r -> r.get("Name").equals("Browser launch " + run)
                        && !r.get("Id").equals(existing))
                .map(r -> (String) r.get("Id"))
                .findFirst()
                .orElseThrow();
        assertThat(browser.text("#salesforce-campaign")).contains(created);
        assertThat(browser.find("#salesforce-campaign a").getAttribute("href")).endsWith("/" + created);

        browser.open("/settings/salesforce");
        browser.follow("#resume");
        assertThat(browser.text("#paused")).isEqualTo("running");
        browser.follow("#pause");

        UiSession marketer = UiSession.signedIn(
                port, new TestApi(port).user("MARKETING", "marketing-pw-" + run).email(), "marketing-pw-" + run);
        assertThat(marketer.get("/settings/salesforce").status()).isEqualTo(403);
    }
}
