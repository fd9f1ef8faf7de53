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
import tools.jackson.databind.JsonNode;

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
        long prospect = api.post("/api/v1/prospects", "{\"email\":\"builder-" + run + "@example.com\"}")
                .json()
                .get("id")
                .asLong();
        long list = api.post("/api/v1/lists", "{\"name\":\"Builder " + run + "\",\"kind\":\"STATIC\"}")
                .json()
                .get("id")
                .asLong();
        api.post("/api/v1/lists/" + list + "/members", "{\"prospectIds\":[" + prospect + "]}");

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
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
        assertThat(browser.text("#errors")).contains("Steps › pause");
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
        assertThat(tree)
                .containsSubsequence(
                        "bonus",
                        "pause",
                        "clicked",
                        "Within up to 7 days: email clicked?",
                        "hot",
                        "Adjust score by +20",
                        "end",
                        "go to end");
        assertThat(browser.driver()
                        .findElement(By.cssSelector("[data-step='hot']"))
                        .getAttribute("data-branch"))
                .isEqualTo("yes");
        assertThat(browser.text("#program-version")).isEqualTo("5");

        browser.follow("#start-program");
        assertThat(browser.text("#program-status")).isEqualTo("RUNNING");
        assertThat(browser.text("#enrollments")).contains("builder-" + run + "@example.com");

        browser.open("/prospects/" + prospect);
        // the panel is swapped in by htmx: an element found just before the swap goes stale, so look again
        browser.await(d -> {
            try {
                return d.findElement(By.id("program-enrollments")).getText().contains("Builder");
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        assertThat(browser.text("#program-enrollments")).contains("Builder <b>" + run + "</b>");
    }

    @Test
    void aMarketerSetsBusinessHoursAndAWaitUntilADateIsToldWhatIsWrongAndTheSavedDefinitionHasThem() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/programs");
        browser.find("#program-name").sendKeys("Hours " + run);
        browser.follow("#create-program");
        long id = Long.parseLong(browser.path().replaceAll("\\D", ""));

        // closing before opening and an unknown zone: refused, each next to its field, the form keeps what was typed
        browser.find("#hours-enabled").click();
        setValue("#hours-opens", "17:00");
        setValue("#hours-closes", "09:00");
        browser.find("#hours-zone").clear();
        browser.find("#hours-zone").sendKeys("Mars/Olympus_Mons");
        browser.follow("#save-settings");
        assertThat(browser.text("#hours-closes-errors")).contains("must be after the opening time");
        assertThat(browser.text("#hours-zone-errors")).contains("is not a known time zone");
        assertThat(browser.find("#hours-zone").getAttribute("value")).isEqualTo("Mars/Olympus_Mons");
        assertThat(browser.find("#hours-enabled").isSelected()).isTrue();
        assertThat(api.get("/api/v1/programs/" + id).json().get("definition").has("businessHours"))
                .isFalse();

        setValue("#hours-opens", "08:30");
        setValue("#hours-closes", "18:00");
        browser.find("#hours-zone").clear();
        browser.find("#hours-zone").sendKeys("Europe/Berlin");
        browser.find("#hours-friday").click();
        browser.follow("#save-settings");
        assertThat(browser.driver().findElements(By.id("errors"))).isEmpty();
        JsonNode hours =
                api.get("/api/v1/programs/" + id).json().get("definition").get("businessHours");
        assertThat(hours.get("days").valueStream().map(JsonNode::asString).toList())
                .containsExactly("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY");
        assertThat(hours.get("opens").asString()).isEqualTo("08:30");
        assertThat(hours.get("closes").asString()).isEqualTo("18:00");
        assertThat(hours.get("zone").asString()).isEqualTo("Europe/Berlin");
        assertThat(browser.find("#hours-enabled").isSelected()).isTrue();
        assertThat(browser.find("#hours-friday").isSelected()).isFalse();

        // a wait until a date that has passed is refused; a future one is saved as that moment in the program's zone
        browser.find("#insert-at-start").click();
        browser.await(d -> !d.findElements(By.id("step-editor")).isEmpty());
        browser.find("#step-id").sendKeys("hold");
        new Select(browser.find("#step-type")).selectByValue("WAIT");
        browser.find("#wait-until").click();
        assertThat(browser.find("#until-zone").getAttribute("value")).isEqualTo("Europe/Berlin");
        setValue("#until-date", "2020-01-06");
        setValue("#until-time", "10:00");
        browser.follow("#save-step");
        assertThat(browser.text("#until-errors")).contains("must be in the future");
        assertThat(browser.find("#until-date").getAttribute("value")).isEqualTo("2020-01-06");

        setValue("#until-date", "2099-06-15");
        browser.follow("#save-step");
        assertThat(browser.text("#program-tree")).contains("Wait until 2099-06-15 10:00 Europe/Berlin");
        JsonNode definition = api.get("/api/v1/programs/" + id).json().get("definition");
        assertThat(definition.get("start").asString()).isEqualTo("hold");
        JsonNode hold = definition
                .get("steps")
                .valueStream()
                .filter(st -> st.get("id").asString().equals("hold"))
                .findFirst()
                .orElseThrow();
        assertThat(hold.get("until").asString()).isEqualTo("2099-06-15T08:00:00Z");
        assertThat(hold.has("days")).isFalse();
        assertThat(definition.get("businessHours").get("zone").asString()).isEqualTo("Europe/Berlin");

        // editing shows the date again in the program's zone
        browser.find("[data-step='hold'] .edit-step").click();
        browser.await(d -> !d.findElements(By.id("step-editor")).isEmpty());
        assertThat(browser.find("#wait-until").isSelected()).isTrue();
        assertThat(browser.find("#until-date").getAttribute("value")).isEqualTo("2099-06-15");
        assertThat(browser.find("#until-time").getAttribute("value")).isEqualTo("10:00");
    }

    /** Sets a date or time input as its picker would (typing into them depends on the browser's locale). */
    private static void setValue(String css, String value) {
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript(
                        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));",
                        browser.find(css),
                        value);
    }
}
