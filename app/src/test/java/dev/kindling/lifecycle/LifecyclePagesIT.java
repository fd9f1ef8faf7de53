package dev.kindling.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The lifecycle settings page and the lifecycle panel of the prospect page, in headless Chromium. */
@IntegrationTest
// alone among the shared context's classes: changes the lifecycle thresholds every prospect is staged by
@ResourceLock(IntegrationTest.SHARED_DATA)
class LifecyclePagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void aMarketerChangesTheMqlScoreThresholdAndSeesItSaved() {
        TestApi api = new TestApi(port);
        JsonNode original = api.get("/api/v1/lifecycle").json();
        try {
            browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
            browser.open("/lifecycle");
            assertThat(browser.text("#transitions")).contains("ENGAGED", "a hand-raise activity", "later");
            WebElement score = browser.find("#mqlScore");
            score.clear();
            score.sendKeys("57");
            browser.follow("#save-lifecycle");

            assertThat(browser.text("#saved")).contains("Saved.");
            assertThat(browser.find("#mqlScore").getAttribute("value")).isEqualTo("57");
            assertThat(api.get("/api/v1/lifecycle").json().get("mqlScore").asInt())
                    .isEqualTo(57);

            browser.open("/lifecycle");
            assertThat(browser.find("#mqlScore").getAttribute("value")).isEqualTo("57");

            WebElement days = browser.find("#inactivityDays");
            days.clear();
            days.sendKeys("0");
            browser.follow("#save-lifecycle");
            assertThat(browser.text("#errors")).contains("Inactivity days");
            assertThat(api.get("/api/v1/lifecycle").json().get("inactivityDays").asInt())
                    .isEqualTo(original.get("inactivityDays").asInt());
        } finally {
            api.send(api.request("/api/v1/lifecycle")
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(original.toString()))
                    .build());
        }
    }

    @Test
    void aMarketerChoosesWhatRecyclingDoesToTheScoreAndMustSayHowManyPoints() {
        TestApi api = new TestApi(port);
        JsonNode original = api.get("/api/v1/lifecycle").json();
        try {
            browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
            browser.open("/lifecycle");
            assertThat(new org.openqa.selenium.support.ui.Select(browser.find("#recycleMode"))
                            .getFirstSelectedOption()
                            .getAttribute("value"))
                    .isEqualTo("RESET");
            new org.openqa.selenium.support.ui.Select(browser.find("#recycleMode")).selectByValue("SUBTRACT");
            browser.follow("#save-lifecycle");
            assertThat(browser.text("#errors")).contains("Recycle › points");
            assertThat(new org.openqa.selenium.support.ui.Select(browser.find("#recycleMode"))
                            .getFirstSelectedOption()
                            .getAttribute("value"))
                    .isEqualTo("SUBTRACT");
            assertThat(api.get("/api/v1/lifecycle")
                            .json()
                            .get("recycle")
                            .get("mode")
                            .asString())
                    .isEqualTo("RESET");

            browser.find("#recyclePoints").sendKeys("15");
            browser.follow("#save-lifecycle");
            assertThat(browser.text("#saved")).contains("Saved.");
            JsonNode recycle = api.get("/api/v1/lifecycle").json().get("recycle");
            assertThat(recycle.get("mode").asString()).isEqualTo("SUBTRACT");
            assertThat(recycle.get("points").asInt()).isEqualTo(15);
            assertThat(browser.find("#recyclePoints").getAttribute("value")).isEqualTo("15");
        } finally {
            api.send(api.request("/api/v1/lifecycle")
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(original.toString()))
                    .build());
        }
    }

    @Test
    void aMarketerAsksForAKeyActionWithinDaysAndMustSayHowManyDays() {
        TestApi api = new TestApi(port);
        JsonNode original = api.get("/api/v1/lifecycle").json();
        try {
            browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
            browser.open("/lifecycle");
            assertThat(browser.find("#mqlKeyActionDays").getAttribute("value")).isEqualTo("0");
            browser.find("#mqlKeyActionTypes input[value='WEBINAR_ATTENDED']").click();
            browser.find("#mqlKeyActionTypes input[value='FORM_SUBMIT']").click();
            browser.follow("#save-lifecycle");
            assertThat(browser.text("#errors")).contains("MQL key action days");
            assertThat(browser.find("#mqlKeyActionTypes input[value='WEBINAR_ATTENDED']")
                            .isSelected())
                    .isTrue();
            assertThat(api.get("/api/v1/lifecycle").json().get("mqlKeyActionTypes"))
                    .isEmpty();

            WebElement days = browser.find("#mqlKeyActionDays");
            days.clear();
            days.sendKeys("30");
            browser.follow("#save-lifecycle");
            assertThat(browser.text("#saved")).contains("Saved.");
            JsonNode saved = api.get("/api/v1/lifecycle").json();
            assertThat(saved.get("mqlKeyActionTypes"))
                    .extracting(JsonNode::asString)
                    .containsExactly("FORM_SUBMIT", "WEBINAR_ATTENDED");
            assertThat(saved.get("mqlKeyActionDays").asInt()).isEqualTo(30);
            assertThat(browser.find("#mqlKeyActionTypes input[value='FORM_SUBMIT']")
                            .isSelected())
                    .isTrue();
        } finally {
            api.send(api.request("/api/v1/lifecycle")
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(original.toString()))
                    .build());
        }
    }

    @Test
    void theProspectPageShowsCausesAndTheStagesReached() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        long id = api.post("/api/v1/prospects", "{\"email\":\"page-" + run + "@corp-" + run + ".example\"}")
                .json()
                .get("id")
                .asLong();
        api.post("/api/v1/prospects/" + id + "/stage", "{\"stage\":\"SAL\",\"reason\":\"met at the fair\"}");

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/prospects/" + id);
        assertThat(browser.text("#stage-history")).contains("user:admin@kindling.local", "api");
        assertThat(browser.text("#stages-reached")).contains("Captured", "SAL");
    }
}
