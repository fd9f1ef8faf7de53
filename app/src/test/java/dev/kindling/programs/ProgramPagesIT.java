package dev.kindling.programs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The program builder in headless Chromium: a marketer builds a small program step by step and starts it. */
@IntegrationTest
class ProgramPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void aMarketerBuildsAProgramOfAnActionAWaitAndATriggerWithBranchesThenStartsIt() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        long prospect = api.post("/api/v1/prospects", "{\"email\":\"builder-" + run + "@example.com\"}").json()
                .get("id").asLong();
        long list = api.post("/api/v1/lists", "{\"name\":\"Builder " + run + "\",\"kind\":\"STATIC\"}").json()
                .get("id").asLong();
        api.post("/api/v1/lists/" + list + "/members", "{\"prospectIds\":[" + prospect + "]}");

        browser.at(port).signIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/programs");
        browser.find("#program-name").sendKeys("Builder <b>" + run + "</b>");
        new Select(browser.find("#program-list")).selectByValue(String.valueOf(list));
        browser.follow("#create-program");
        assertThat(browser.text("#program-title")).isEqualTo("Builder <b>" + run + "</b>");
        assertThat(browser.text("#program-tree")).contains("end", "END");

        // a first step, loaded into the page by htmx
        browser.find("#insert-at-start").click();
        browser.await(d -> !d.findElements(By.id("step-editor")).isEmpty());
        browser.find("#step-id").sendKeys("bonus");
        new Select(browser.find("#step-type")).selectByValue("ACTION");
        new Select(browser.find("#action-type")).selectByValue("adjustScore");
        browser.find("#action-value").sendKeys("5");
        browser.follow("#save-step");
        assertThat(browser.text("#program-tree")).contains("Adjust score by +5");

        // a wait after it; a zero-day wait is refused with the step named
        browser.find("[data-insert='bonus:next']").click();
        browser.await(d -> !d.findElements(By.id("step-editor")).isEmpty());
        browser.find("#step-id").sendKeys("pause");
        new Select(browser.find("#step-type")).selectByValue("WAIT");
        browser.find("#days").sendKeys("0");
        browser.follow("#save-step");
        assertThat(browser.text("#errors")).contains("steps.pause");
        browser.find("#days").clear();
        browser.find("#days").sendKeys("3");
        browser.follow("#save-step");
        assertThat(browser.text("#program-tree")).contains("Wait 3 days");

        // a trigger with its yes branch scoring
        browser.find("[data-insert='pause:next']").click();
        browser.await(d -> !d.findElements(By.id("step-editor")).isEmpty());
        browser.find("#step-id").sendKeys("clicked");
        new Select(browser.find("#step-type")).selectByValue("TRIGGER");
        new Select(browser.find("#event-type")).selectByValue("emailClicked");
        browser.find("#days").sendKeys("7");
        browser.follow("#save-step");
        browser.find("[data-insert='clicked:yes']").click();
        browser.await(d -> !d.findElements(By.id("step-editor")).isEmpty());
        browser.find("#step-id").sendKeys("hot");
        new Select(browser.find("#action-type")).selectByValue("adjustScore");
        browser.find("#action-value").sendKeys("20");
        browser.follow("#save-step");

        String tree = browser.text("#program-tree");
        assertThat(tree).containsSubsequence("bonus", "pause", "clicked", "Within up to 7 days: email clicked?",
                "hot", "Adjust score by +20", "end", "go to end");
        assertThat(browser.driver().findElement(By.cssSelector("[data-step='hot']")).getAttribute("data-branch"))
                .isEqualTo("yes");
        assertThat(browser.text("#program-version")).isEqualTo("5");

        browser.follow("#start-program");
        assertThat(browser.text("#program-status")).isEqualTo("RUNNING");
        assertThat(browser.text("#enrollments")).contains("builder-" + run + "@example.com");

        browser.open("/prospects/" + prospect);
        browser.await(d -> d.findElement(By.id("program-enrollments")).getText().contains("Builder"));
        assertThat(browser.text("#program-enrollments")).contains("Builder <b>" + run + "</b>");
    }
}
