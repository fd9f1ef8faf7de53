package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Form errors as a screen reader meets them, in headless Chromium: each message next to its field, the field marked
 * invalid and described by the message, the fields named in words, and the layout's one live region telling what a
 * form post or an htmx swap came to.
 */
@IntegrationTest
class AccessibleFormErrorsIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void aRefusedCampaignMarksEachWrongFieldInvalidDescribedByItsMessageAndTheLiveRegionReadsTheSummary() {
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/campaigns");
        assertThat(browser.driver().findElements(By.cssSelector("[aria-live]")))
                .singleElement()
                .satisfies(region -> {
                    assertThat(region.getDomAttribute("id")).isEqualTo("live-status");
                    assertThat(region.getDomAttribute("aria-live")).isEqualTo("polite");
                });

        browser.find("#name").sendKeys("Broken " + UUID.randomUUID());
        browser.find("#cost").clear();
        browser.find("#cost").sendKeys("-5");
        setValue("#startDate", "2026-03-10");
        setValue("#endDate", "2026-03-01");
        browser.follow("#create-campaign");

        WebElement cost = browser.find("#cost");
        assertThat(cost.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(cost.getDomAttribute("aria-describedby")).isEqualTo("cost-error");
        assertThat(browser.text("#cost-error")).contains("must be between 0");
        WebElement endDate = browser.find("#endDate");
        assertThat(endDate.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.text("#" + endDate.getDomAttribute("aria-describedby")))
                .contains("must not be before");
        // a field that is fine is not marked, and what describes it is there but says nothing
        WebElement name = browser.find("#name");
        assertThat(name.getDomAttribute("aria-invalid")).isEqualTo("false");
        assertThat(browser.find("#" + name.getDomAttribute("aria-describedby")).getDomProperty("textContent"))
                .isEmpty();

        // the summary names the fields in words, and the live region reads it out
        assertThat(browser.text("#errors")).contains("Cost: ", "End date: ").doesNotContain("endDate:");
        browser.await(d -> d.findElement(By.id("live-status"))
                .getDomProperty("textContent")
                .contains("Cost: "));
    }

    @Test
    void anHtmxSwapIsAnnouncedInTheLiveRegionWithWhatItBrought() {
        TestApi api = new TestApi(port);
        TestApi.Response program = api.post(
                "/api/v1/programs",
                "{\"name\":\"Announce " + UUID.randomUUID()
                        + "\",\"start\":\"end\",\"steps\":[{\"id\":\"end\",\"type\":\"END\"}]}");
        assertThat(program.status()).as(program.body()).isEqualTo(201);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/programs/" + program.json().get("id").asLong());

        browser.find("#insert-at-start").click();
        browser.await(d -> d.findElement(By.id("live-status"))
                .getDomProperty("textContent")
                .equals("Insert a step at the start"));
    }

    private static void setValue(String css, String value) {
        ((JavascriptExecutor) browser.driver())
                .executeScript(
                        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));",
                        browser.find(css),
                        value);
    }
}
