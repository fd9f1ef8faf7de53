package dev.kindling.opportunities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The opportunity pages and the prospect page's panel, in headless Chromium, as a sales rep and as marketing. */
@IntegrationTest
class OpportunityPagesIT {

    static final String XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void aSalesRepCreatesAnOpportunityOnTheProspectPageAndClosesItWonAndTheProspectBecomesACustomer() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        long p = api.post("/api/v1/prospects", "{\"email\":\"deal-" + run + "@corp-" + run + ".example\"}")
                .json()
                .get("id")
                .asLong();
        String rep = user(api, "SALES", run);

        browser.at(port).signedIn(rep, "long-enough-password");
        browser.open("/prospects/" + p);
        assertThat(browser.text("#opportunities")).contains("No opportunities", "including 'not' ones");
        browser.find("#new-opportunity summary").click();
        browser.find("#opportunity-name").sendKeys(XSS + " " + run);
        WebElement amount = browser.find("#opportunity-amount");
        amount.clear();
        amount.sendKeys("2500.5");
        browser.find("#opportunity-stage").sendKeys("Discovery");
        new Select(browser.find("#opportunity-role")).selectByValue("ECONOMIC_BUYER");
        browser.follow("#create-opportunity");

        assertThat(browser.text("#opportunity-notice")).contains("Opportunity created.");
        assertThat(browser.text("#prospect-opportunities"))
                .contains(XSS, "OPEN", "Discovery", "$2,500.50", "ECONOMIC_BUYER");
        assertThat(browser.text("#prospect-stage")).isEqualTo("SQL");
        assertThat(browser.driver().findElements(By.cssSelector("#prospect-opportunities script")))
                .isEmpty();

        browser.follow("#prospect-opportunities tbody tr a");
        assertThat(browser.text("#opportunity-name")).isEqualTo(XSS + " " + run);
        assertThat(browser.text("#contacts")).contains("deal-" + run);
        browser.follow("#mark-won");
        assertThat(browser.text("#notice")).contains("Marked won.");
        assertThat(browser.text("#opportunity-status")).isEqualTo("WON");
        assertThat(browser.driver().findElements(By.id("mark-lost")))
                .as("a closed deal is not closed again")
                .isEmpty();
        assertThat(api.get("/api/v1/prospects/" + p + "/stages")
                        .json()
                        .get("stage")
                        .asString())
                .isEqualTo("CUSTOMER");

        browser.open("/opportunities?status=WON");
        assertThat(browser.text("#opportunities")).contains(XSS + " " + run, "deal-" + run);
    }

    @Test
    void aSalesRepLosesADealWithAReasonAndMarketingSeesItButCannotChangeIt() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        long p = api.post("/api/v1/prospects", "{\"email\":\"lose-" + run + "@corp-" + run + ".example\"}")
                .json()
                .get("id")
                .asLong();
        long id = api.post("/api/v1/opportunities", """
                {"name":"Lost %s","amount":10,"contactRoles":[{"prospectId":%d,"role":"EVALUATOR"}]}""".formatted(run, p))
                .json()
                .get("id")
                .asLong();

        browser.at(port).signedIn(user(api, "INSIDE_SALES", run), "long-enough-password");
        browser.open("/opportunities/" + id);
        new Select(browser.find("#lost-reason")).selectByValue("COMPETITOR");
        browser.follow("#mark-lost");
        assertThat(browser.text("#opportunity-status")).isEqualTo("LOST");
        assertThat(browser.text("#opportunity-lost-reason")).isEqualTo("COMPETITOR");
        assertThat(api.get("/api/v1/prospects/" + p + "/stages")
                        .json()
                        .get("stage")
                        .asString())
                .isEqualTo("RECYCLED");

        browser.signedIn(user(api, "MARKETING", run), "long-enough-password");
        browser.open("/opportunities/" + id);
        assertThat(browser.text("#opportunity-status")).isEqualTo("LOST");
        assertThat(browser.driver().findElements(By.id("edit-form"))).isEmpty();
        browser.open("/prospects/" + p);
        assertThat(browser.text("#prospect-opportunities")).contains("Lost " + run, "COMPETITOR");
        assertThat(browser.driver().findElements(By.id("new-opportunity"))).isEmpty();
    }

    private static String user(TestApi api, String role, String run) {
        String email = role.toLowerCase() + "-" + run + "@opps-pages.example";
        TestApi.Response user = api.post("/api/v1/users", """
                {"email":"%s","name":"%s %s","role":"%s","password":"long-enough-password"}""".formatted(email, role, run, role));
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        return email;
    }
}
