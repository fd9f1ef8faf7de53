package dev.kindling.automation;

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

/** The automation pages in headless Chromium: create a rule with the condition builder, preview, resume, matches. */
@IntegrationTest
class AutomationPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void aRuleCreatedInTheUiPreviewsResumesAndShowsItsMatches() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String domain = "@ui-" + run + ".example";
        for (String name : new String[] {"ada", "bob"}) {
            assertThat(api.post("/api/v1/prospects", "{\"email\":\"" + name + "-" + run + domain + "\"}")
                            .status())
                    .isEqualTo(201);
        }
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/automation");
        browser.follow("#new-rule");
        browser.await(d -> !d.findElements(By.cssSelector(".condition-builder[data-ready]"))
                .isEmpty());
        String name = "<b>UI rule</b> " + run;
        browser.find("#name").sendKeys(name);
        browser.find(".cb-add-condition").click();
        WebElement leaf = browser.find(".cb-leaf");
        new Select(leaf.findElement(By.cssSelector(".cb-field"))).selectByValue("email");
        new Select(browser.find(".cb-leaf").findElement(By.cssSelector(".cb-op"))).selectByValue("endsWith");
        browser.find(".cb-leaf .cb-value").sendKeys(domain);
        new Select(browser.find("#action-type-0")).selectByValue("adjustScore");
        browser.find("#action-value-0").sendKeys("5");
        browser.follow("#save-rule");

        assertThat(browser.path()).matches("/automation/\\d+");
        assertThat(browser.text("h1")).isEqualTo(name);
        assertThat(browser.text("#status")).isEqualTo("PAUSED");
        assertThat(browser.text("#actions")).isEqualTo("adjustScore 5");
        long id = Long.parseLong(browser.path().substring("/automation/".length()));
        try {
            browser.follow("#preview");
            assertThat(browser.text("#preview-count")).isEqualTo("2");
            assertThat(browser.driver().findElements(By.cssSelector("#preview-sample tbody tr")))
                    .hasSize(2);

            browser.follow("#resume");
            assertThat(browser.text("#resumed")).startsWith("Resumed: 2 prospects matched");
            assertThat(browser.text("#status")).isEqualTo("ACTIVE");
            assertThat(browser.driver().findElements(By.cssSelector("#matches tbody tr")))
                    .hasSize(2);
            assertThat(browser.text("#matches")).contains("ada-" + run + domain).contains("RETROACTIVE");
            browser.screenshot("automation-rule-resumed");

            browser.follow("#pause");
            assertThat(browser.text("#status")).isEqualTo("PAUSED");
            browser.open("/automation");
            assertThat(browser.text("#rules")).contains(name);
        } finally {
            api.send(api.request("/api/v1/automation-rules/" + id).DELETE().build());
        }
    }

    @Test
    void invalidActionsAreShownWithTheirFieldNamedInWordsAndNothingIsSaved() {
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/automation/new");
        browser.await(d -> !d.findElements(By.cssSelector(".condition-builder[data-ready]"))
                .isEmpty());
        browser.find("#name").sendKeys("Broken " + UUID.randomUUID());
        new Select(browser.find("#action-type-0")).selectByValue("callWebhook");
        browser.find("#action-value-0").sendKeys("javascript:alert(1)");
        browser.follow("#save-rule");
        assertThat(browser.text("#errors")).contains("Actions 1 › URL");
        assertThat(browser.path()).isEqualTo("/automation");
    }
}
