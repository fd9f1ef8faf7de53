package dev.kindling.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The score panel (chart, reset, undo, adjust) and rescoring, as a user sees them in headless Chromium. */
@IntegrationTest
class ScorePanelPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        browser.at(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aNewUserCreatesARuleSendsActivitiesAndSeesTheScoreExplainedResetAndRestored() throws IOException {
        browser.signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        String rule = "walk-" + run;
        browser.open("/scoring");
        browser.find("#rule-form input[name=name]").sendKeys(rule);
        new Select(browser.find("#rule-form select[name=activityType]")).selectByValue("CUSTOM");
        browser.find("#rule-form input[name=customName]").sendKeys(rule);
        browser.find("#rule-form input[name=points]").sendKeys("25");
        browser.follow("#save-rule");
        assertThat(browser.text("#rules")).contains(rule);

        String email = rule + "@scoring.example";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long id = ingest(email, rule, now.minusSeconds(300), now.minusSeconds(200), now.minusSeconds(100));
        JsonNode prospect = api.get("/api/v1/prospects/" + id).json();
        assertThat(prospect.get("score").asInt()).isEqualTo(75);

        browser.open("/prospects/" + id);
        assertThat(browser.text("#score-value")).isEqualTo("75");
        assertThat(browser.text("#prospect-score")).isEqualTo("75");
        assertThat(browser.find("#fit-stars").getAttribute("data-stars")).isEqualTo("3");
        assertThat(browser.find("#fit-flames").getAttribute("data-flames")).isEqualTo("3");
        assertThat(browser.text("#fit-quadrant"))
                .isEqualTo(prospect.get("quadrant").asString());
        assertThat(browser.text("#score-by-rule")).contains(rule, "75");
        assertThat(browser.driver().findElements(By.cssSelector("#score-ledger tr[data-kind=ACTIVITY]")))
                .hasSize(3);
        // three entries: two points per step and one at now
        assertThat(linePoints()).hasSize(7);
        assertThat(markers())
                .extracting(m -> m.getAttribute("data-kind"))
                .containsExactly("ACTIVITY", "ACTIVITY", "ACTIVITY");
        assertThat(markers().getFirst().findElement(By.tagName("title")).getAttribute("textContent"))
                .contains("ACTIVITY +25 → 25", rule);
        panelScreenshot("score-panel-activities");

        browser.follow("#score-reset");
        assertThat(browser.path()).startsWith("/prospects/" + id);
        assertThat(browser.text("#score-notice")).contains("reset");
        assertThat(browser.text("#score-value")).isEqualTo("0");
        assertThat(linePoints()).hasSize(9);
        assertThat(markers()).hasSize(4);
        assertThat(browser.driver().findElements(By.cssSelector("#score-chart circle.marker-reset")))
                .singleElement()
                .satisfies(m -> assertThat(m.getAttribute("data-kind")).isEqualTo("RESET"));
        assertThat(browser.text("#score-legend")).contains("reset");
        panelScreenshot("score-panel-reset");

        browser.follow("#score-undo-reset");
        assertThat(browser.text("#score-value")).isEqualTo("75");
        assertThat(browser.driver().findElements(By.cssSelector("#score-chart circle.marker-undo")))
                .hasSize(1);
        assertThat(browser.driver().findElements(By.cssSelector("#score-undo-reset")))
                .as("nothing left to undo")
                .isEmpty();
        assertThat(api.get("/api/v1/prospects/" + id + "/score")
                        .json()
                        .get("score")
                        .asInt())
                .isEqualTo(75);

        browser.find("#score-adjust input[name=delta]").sendKeys("lots");
        browser.follow("#score-adjust-submit");
        assertThat(browser.text("#score-errors")).contains("Delta", "Reason");
        assertThat(browser.find("#score-adjust input[name=delta]").getAttribute("value"))
                .isEqualTo("lots");
        assertThat(browser.text("#score-value")).isEqualTo("75");

        browser.find("#score-adjust input[name=delta]").clear();
        browser.find("#score-adjust input[name=delta]").sendKeys("-15");
        browser.find("#score-adjust input[name=reason]").sendKeys("<i>met at a fair</i>");
        browser.follow("#score-adjust-submit");
        assertThat(browser.text("#score-value")).isEqualTo("60");
        assertThat(browser.text("#score-ledger")).contains("MANUAL", "<i>met at a fair</i>");
        assertThat(markers()).hasSize(6);
        panelScreenshot("score-panel-undo-adjust");
    }

    @Test
    void importedHistoryIsPlottedAndListedWhenItHappenedWithTheProcessingTimeNoted() {
        String rule = "history-ui-" + run;
        // one point each: decayed away in one step, so the ten latest changes still hold all three activities
        assertThat(api.post("/api/v1/scoring-rules", """
                {"name":"%s","activityType":"CUSTOM","customName":"%s","points":1}""".formatted(rule, rule)).status())
                .isEqualTo(201);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant yearAgo = now.minus(360, ChronoUnit.DAYS);
        long id = ingest(
                rule + "@scoring.example",
                rule,
                yearAgo,
                now.minus(180, ChronoUnit.DAYS),
                now.minus(2, ChronoUnit.DAYS));

        browser.signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/prospects/" + id);

        assertThat(browser.text("#chart-start"))
                .as("the axis starts at the oldest activity, not at processing")
                .isEqualTo(yearAgo.toString().substring(0, 10));
        List<Double> xs = markers().stream()
                .filter(m -> "ACTIVITY".equals(m.getAttribute("data-kind")))
                .map(m -> Double.parseDouble(m.getAttribute("cx")))
                .toList();
        assertThat(xs).hasSize(3);
        assertThat(xs.get(1) - xs.get(0))
                .as("half a year apart, half the width")
                .isGreaterThan(200);
        assertThat(xs.get(2) - xs.get(1)).isGreaterThan(200);
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#score-ledger tr[data-kind=ACTIVITY]"));
        assertThat(rows).hasSize(3);
        List<String> happened = rows.stream()
                .map(r -> r.findElement(By.cssSelector(".occurred")).getText())
                .toList();
        assertThat(happened)
                .containsExactly(
                        now.minus(2, ChronoUnit.DAYS).toString().substring(0, 10) + " "
                                + now.toString().substring(11, 19),
                        now.minus(180, ChronoUnit.DAYS).toString().substring(0, 10) + " "
                                + now.toString().substring(11, 19),
                        yearAgo.toString().substring(0, 10) + " "
                                + now.toString().substring(11, 19));
        assertThat(rows.getLast().findElement(By.cssSelector(".processed")).getText())
                .startsWith("processed " + Instant.now().toString().substring(0, 4));
    }

    @Test
    void aDecayEntryIsMarkedDistinctlyInTheChart() throws IOException {
        String rule = "decay-ui-" + run;
        assertThat(api.post("/api/v1/scoring-rules", """
                {"name":"%s","activityType":"CUSTOM","customName":"%s","points":25}""".formatted(rule, rule)).status())
                .isEqualTo(201);
        // imported history: an activity 100 days old has since gone 90 days without activity, so intake scores it
        // and applies the decay due since at once (the default half-life's halvings, then the inactivity reset),
        // each dated when it fell due
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long id = ingest(rule + "@scoring.example", rule, now.minus(100, ChronoUnit.DAYS));

        browser.signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/prospects/" + id);
        assertThat(browser.text("#score-value")).isEqualTo("0");
        List<String> kinds =
                markers().stream().map(m -> m.getAttribute("data-kind")).toList();
        assertThat(kinds.getFirst()).isEqualTo("ACTIVITY");
        assertThat(kinds.subList(1, kinds.size())).isNotEmpty().containsOnly("DECAY");
        List<WebElement> decays = browser.driver().findElements(By.cssSelector("#score-chart circle.marker-decay"));
        WebElement decay = decays.getLast();
        assertThat(decay.getAttribute("data-kind")).isEqualTo("DECAY");
        assertThat(decay.getCssValue("fill"))
                .isNotEqualTo(browser.find("#score-chart circle.marker-points").getCssValue("fill"));
        assertThat(decay.getAttribute("r")).isEqualTo("5");
        assertThat(decay.findElement(By.tagName("title")).getAttribute("textContent"))
                .containsPattern("DECAY set to 0 \\(-\\d+\\) → 0");
        assertThat(browser.text("#score-legend")).contains("points", "decay");
        panelScreenshot("score-panel-decay");
    }

    @Test
    void aViewerSeesNoScoreButtonsAndAForgedPostIsForbidden() {
        String viewer = "viewer-" + run + "@kindling.example";
        String password = "viewer-password-" + run;
        assertThat(api.post("/api/v1/users", """
                {"email":"%s","name":"Viewer","role":"VIEWER","password":"%s"}""".formatted(viewer, password)).status())
                .isEqualTo(201);
        String rule = "viewer-" + run;
        api.post("/api/v1/scoring-rules", """
                {"name":"%s","activityType":"CUSTOM","customName":"%s","points":4}""".formatted(rule, rule));
        long id = ingest(
                rule + "@scoring.example",
                rule,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60));

        browser.signedIn(viewer, password);
        browser.open("/prospects/" + id);
        assertThat(browser.text("#score-value")).isEqualTo("4");
        assertThat(browser.driver().findElements(By.cssSelector("#score-chart circle")))
                .hasSize(1);
        assertThat(browser.driver().findElements(By.cssSelector("#score-actions, #score-reset, #score-adjust")))
                .isEmpty();

        browser.open("/scoring");
        assertThat(browser.driver().findElements(By.cssSelector("#rescore-preview-button")))
                .isEmpty();

        String token = browser.find("input[name=_csrf]").getAttribute("value");
        String cookie = browser.cookieHeader();
        for (String action : List.of("reset", "undo-reset", "adjust")) {
            var forged = postForm(
                    "/prospects/" + id + "/score/" + action, cookie, "_csrf", token, "delta", "50", "reason", "forged");
            assertThat(forged.status()).as(action).isEqualTo(403);
        }
        assertThat(postForm("/scoring/rescore", cookie, "_csrf", token).status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/prospects/" + id + "/score").json().get("ledger"))
                .hasSize(1);

        // the same request with an administrator's session goes through: the 403 above is the role's
        browser.signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/prospects/" + id);
        var allowed = postForm(
                "/prospects/" + id + "/score/adjust",
                browser.cookieHeader(),
                "_csrf",
                browser.find("input[name=_csrf]").getAttribute("value"),
                "delta",
                "6",
                "reason",
                "checked");
        assertThat(allowed.status()).isEqualTo(302);
        assertThat(api.get("/api/v1/prospects/" + id + "/score")
                        .json()
                        .get("score")
                        .asInt())
                .isEqualTo(10);
    }

    @Test
    void aRescoreIsPreviewedThenAppliedFromTheScoringPage() {
        String rule = "rescore-ui-" + run;
        long ruleId = api.post("/api/v1/scoring-rules", """
                {"name":"%s","activityType":"CUSTOM","customName":"%s","points":5}""".formatted(rule, rule))
                .json()
                .get("id")
                .asLong();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long id = ingest(rule + "@scoring.example", rule, now.minusSeconds(120), now.minusSeconds(60));
        assertThat(api.get("/api/v1/prospects/" + id).json().get("score").asInt())
                .isEqualTo(10);
        assertThat(api.patch("/api/v1/scoring-rules/" + ruleId, "{\"points\":8}")
                        .status())
                .isEqualTo(200);

        browser.signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/scoring");
        browser.follow("#rescore-preview-button");
        assertThat(Long.parseLong(browser.text("#rescore-changed"))).isGreaterThanOrEqualTo(1);
        assertThat(Long.parseLong(browser.text("#rescore-examined"))).isGreaterThanOrEqualTo(1);
        assertThat(browser.text("#rescore-buckets")).contains("1 .. 9");
        assertThat(api.get("/api/v1/prospects/" + id).json().get("score").asInt())
                .as("a preview changes nothing")
                .isEqualTo(10);

        browser.follow("#rescore-apply");
        assertThat(browser.path()).isEqualTo("/scoring");
        assertThat(browser.text("#rescore-applied")).startsWith("Rescored");
        JsonNode score = api.get("/api/v1/prospects/" + id + "/score").json();
        assertThat(score.get("score").asInt()).isEqualTo(16);
        assertThat(score.get("ledger").get(0).get("kind").asString()).isEqualTo("RESCORE");
    }

    private long ingest(String email, String customName, Instant... at) {
        StringBuilder activities = new StringBuilder();
        for (int i = 0; i < at.length; i++) {
            activities.append(i == 0 ? "" : ",").append("""
                    {"externalId":"%s-%d","email":"%s","type":"CUSTOM","customName":"%s","occurredAt":"%s"}""".formatted(customName, i, email, customName, at[i]));
        }
        IntakeProgress.ingest(api, "{\"activities\":[" + activities + "]}");
        return api.prospectId(email);
    }

    private List<String> linePoints() {
        return List.of(browser.find("#score-line").getAttribute("points").trim().split("\\s+"));
    }

    private List<WebElement> markers() {
        return browser.driver().findElements(By.cssSelector("#score-chart circle.chart-marker"));
    }

    /** The chart and, when shown, the actions, each scrolled into view (an element's picture is cut at the window). */
    private void panelScreenshot(String name) throws IOException {
        Files.createDirectories(Browser.SCREENSHOTS);
        for (String part : List.of(".score-chart", "#score-actions")) {
            List<WebElement> found = browser.driver().findElements(By.cssSelector(part));
            if (!found.isEmpty()) {
                ((JavascriptExecutor) browser.driver())
                        .executeScript("arguments[0].scrollIntoView(true)", found.getFirst());
                Files.write(
                        Browser.SCREENSHOTS.resolve(name + "-" + part.substring(1) + ".png"),
                        found.getFirst().getScreenshotAs(OutputType.BYTES));
            }
        }
    }

    private TestApi.Response postForm(String path, String cookie, String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&")
                    .append(pairs[i])
                    .append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        TestApi anonymous = new TestApi(port, null);
        return anonymous.send(anonymous
                .request(path)
                .header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    }
}
