package dev.kindling.lists;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The list pages in headless Chromium: a marketer creates a dynamic list and sees it fill as activities arrive. */
@IntegrationTest
class ListPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void aDynamicListCreatedInThePageGainsAProspectOnceItsActivityIsIngested() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "webinar-" + run + "@example.com";
        long id = api.post("/api/v1/prospects", "{\"email\":\"" + email + "\"}")
                .json()
                .get("id")
                .asLong();

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/lists");
        browser.find("#name").sendKeys("Webinar <b>" + run + "</b>");
        // the visual condition builder: all of (email contains <run>, did WEBINAR_ATTENDED)
        browser.await(d -> !d.findElements(By.cssSelector(".condition-builder[data-ready]"))
                .isEmpty());
        browser.find(".cb-add-condition").click();
        select(leaf(0), ".cb-field", "email");
        select(leaf(0), ".cb-op", "contains");
        leaf(0).findElement(By.cssSelector(".cb-value")).sendKeys(run);
        browser.find(".cb-add-condition").click();
        select(leaf(1), ".cb-kind", "activity");
        select(leaf(1), ".cb-activity-type", "WEBINAR_ATTENDED");
        browser.follow("#create-list");
        assertThat(browser.text("h1")).isEqualTo("Webinar <b>" + run + "</b>");
        assertThat(browser.text("#members")).contains("No members.");
        long list = Long.parseLong(browser.driver().getCurrentUrl().replaceAll(".*/lists/", ""));

        try {
            api.post("/api/v1/activities", """
                    {"activities": [{"externalId": "%s", "type": "WEBINAR_ATTENDED", "prospectId": %d, "occurredAt": "%s"}]}""".formatted(run, id, Instant.now().minusSeconds(5)));
            IntakeProgress.awaitDrained(api);

            browser.open("/lists/" + list);
            assertThat(browser.text("#members")).contains(email);
            assertThat(browser.text("#history")).contains(email, "JOINED", "condition");
            assertThat(browser.text("#member-count")).isEqualTo("1");

            // the saved condition is shown in the builder; an overlong value is refused with its path
            browser.await(d -> d.findElements(By.cssSelector(".condition-builder[data-ready] .cb-leaf"))
                            .size()
                    == 2);
            leaf(0).findElement(By.cssSelector(".cb-value")).sendKeys("x".repeat(501));
            browser.follow("#save-list");
            assertThat(browser.text("#errors")).contains("Condition › all 1");

            browser.open("/lists");
            assertThat(browser.text("#lists")).contains("Webinar <b>" + run + "</b>");
        } finally {
            api.send(api.request("/api/v1/lists/" + list).DELETE().build());
        }
    }

    private static WebElement leaf(int n) {
        return browser.driver().findElements(By.cssSelector(".cb-leaf")).get(n);
    }

    private static void select(WebElement scope, String css, String value) {
        new Select(scope.findElement(By.cssSelector(css))).selectByValue(value);
    }
}
