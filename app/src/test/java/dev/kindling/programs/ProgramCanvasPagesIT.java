package dev.kindling.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The program canvas in headless Chromium: steps as boxes with their figures, branches as labelled arrows. */
@IntegrationTest
class ProgramCanvasPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    ProgramSweeper sweeper;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theCanvasDrawsEachStepWithItsFiguresAndTheYesAndNoBranchesBetweenTheRightStepsAndANodeOpensItsEditor() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String industry = "<i>Care</i>" + run;
        long health = prospect(api, "hana-" + run, industry);
        long retail = prospect(api, "rita-" + run, "Retail");
        long list = api.post("/api/v1/lists", "{\"name\":\"Canvas " + run + "\",\"kind\":\"STATIC\"}")
                .json()
                .get("id")
                .asLong();
        api.post("/api/v1/lists/" + list + "/members", "{\"prospectIds\":[" + health + "," + retail + "]}");
        long program = TestApi.created(api.post("/api/v1/programs", """
                {"name":"Canvas %s","start":"industry","recipientListIds":[%d],"steps":[
                {"id":"industry","type":"RULE","condition":{"field":"industry","op":"eq","value":"%s"},
                 "yes":"hospital","no":"other"},
                {"id":"hospital","type":"ACTION","action":{"type":"adjustScore","points":11},"next":"end"},
                {"id":"other","type":"ACTION","action":{"type":"adjustScore","points":2},"next":"end"},
                {"id":"end","type":"END"}]}""".formatted(run, list, industry)));
        assertThat(api.post("/api/v1/programs/" + program + "/start", "").status())
                .isEqualTo(200);
        // the start wakes the app's own sweeper too, which may hold the enrollments (FOR UPDATE SKIP LOCKED) while this
        // sweep passes them by: sweep until both have left the rule step, whichever sweeper took them
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            sweeper.runDue();
            return jdbc.sql("SELECT count(*) FROM program_enrollment WHERE program_id = :p AND step_id = 'industry'")
                            .param("p", program)
                            .query(Long.class)
                            .single()
                    == 0;
        });

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/programs/" + program);

        // every step is a node; the rule on top, its two branches side by side below it (yes on the left)
        assertThat(browser.driver().findElements(By.cssSelector("#program-canvas [data-node]")).stream()
                        .map(n -> n.getAttribute("data-node"))
                        .toList())
                .containsExactly("industry", "hospital", "other", "end");
        int ruleY = y("industry");
        assertThat(y("hospital")).isGreaterThan(ruleY).isEqualTo(y("other"));
        assertThat(x("hospital")).isLessThan(x("other"));
        assertThat(y("end")).isGreaterThan(y("hospital"));

        // the branches: yes to hospital, no to other, each labelled; next from both actions to the end
        assertThat(edge("industry", "hospital").getAttribute("data-label")).isEqualTo("yes");
        assertThat(edge("industry", "hospital").getText()).isEqualTo("yes");
        assertThat(edge("industry", "other").getAttribute("data-label")).isEqualTo("no");
        assertThat(edge("industry", "other").getText()).isEqualTo("no");
        assertThat(edge("hospital", "end").getAttribute("data-label")).isEqualTo("next");
        assertThat(edge("other", "end").getAttribute("data-label")).isEqualTo("next");
        assertThat(browser.driver().findElements(By.cssSelector("#program-canvas [data-from]")))
                .hasSize(4);

        // the figures: both entered the rule and passed it, one each way; each branch's action saw one
        assertThat(node("industry")
                        .findElement(By.cssSelector(".canvas-node-figures"))
                        .getText())
                .isEqualTo("2 entered · 0 at step · 2 passed");
        assertThat(node("industry")
                        .findElement(By.cssSelector(".canvas-node-branches"))
                        .getText())
                .isEqualTo("yes 1 · no 1");
        assertThat(node("hospital")
                        .findElement(By.cssSelector(".canvas-node-figures"))
                        .getText())
                .isEqualTo("1 entered · 0 at step · 1 passed");
        assertThat(node("industry")
                        .findElement(By.cssSelector(".canvas-node-head"))
                        .getText())
                .isEqualTo("Rule · industry");
        // the condition's markup stays text (the full summary is the node's accessible name)
        assertThat(node("industry").getDomAttribute("aria-label")).contains(industry);
        assertThat(browser.driver().findElements(By.cssSelector("#program-canvas i")))
                .isEmpty();

        browser.screenshot("ui-program-canvas");

        // a node opens its step's editor, as the edit link does
        node("other").click();
        browser.await(d -> !d.findElements(By.id("step-editor")).isEmpty());
        assertThat(browser.find("#step-editor h3").getDomProperty("textContent"))
                .isEqualTo("Edit step other");
        assertThat(browser.find("#action-value").getAttribute("value")).isEqualTo("2");
    }

    @Test
    void aRuleStepShowsItsConditionInWordsWithAHostileUrlValueAsText() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String url = "/pricing\\\"><img src=x onerror=alert(1)>" + run;
        long program = TestApi.created(api.post("/api/v1/programs", """
                {"name":"Words %s","start":"hot","steps":[
                {"id":"hot","type":"RULE","condition":{"all":[{"score":{"gte":50}},
                 {"activity":{"type":"PAGE_VIEW","urlContains":"%s","atLeast":2,"withinDays":30}}]},
                 "yes":"end","no":"end"},
                {"id":"end","type":"END"}]}""".formatted(run, url)));

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/programs/" + program);

        String typed = "/pricing\"><img src=x onerror=alert(1)>" + run;
        assertThat(node("hot").getDomAttribute("aria-label"))
                .contains("Rule: Score ≥ 50 and visited a page with a URL containing “" + typed
                        + "” at least 2 times in the last 30 days");
        assertThat(node("hot")
                        .findElement(By.cssSelector(".canvas-node-summary"))
                        .getText())
                .startsWith("Rule: Score ≥ 50 and visited");
        assertThat(browser.driver().findElements(By.cssSelector("#program-canvas img, main img[src='x']")))
                .isEmpty();
    }

    private static long prospect(TestApi api, String name, String industry) {
        return api.post(
                        "/api/v1/prospects",
                        "{\"email\":\"" + name + "@canvas.example\",\"industry\":\"" + industry.replace("\"", "")
                                + "\"}")
                .json()
                .get("id")
                .asLong();
    }

    private static WebElement node(String step) {
        return browser.find("#program-canvas [data-node='" + step + "']");
    }

    private static WebElement edge(String from, String to) {
        return browser.find("#program-canvas [data-from='" + from + "'][data-to='" + to + "']");
    }

    private static int x(String step) {
        return Integer.parseInt(node(step).findElement(By.tagName("rect")).getDomAttribute("x"));
    }

    private static int y(String step) {
        return Integer.parseInt(node(step).findElement(By.tagName("rect")).getDomAttribute("y"));
    }
}
