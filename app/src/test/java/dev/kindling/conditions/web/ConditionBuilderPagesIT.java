package dev.kindling.conditions.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.JsonSchemaFiles;
import dev.kindling.support.TestApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The condition builder driven in headless Chromium on the try-out page {@code /conditions/try}. */
@IntegrationTest
class ConditionBuilderPagesIT {

    static final String XSS = "<img src=x onerror=alert(1)>";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void aConditionBuiltByClickingReachesTheServerAsExactlyThatJson() {
        openTry("");
        WebElement root = browser.find(".condition-builder .cb-group");
        assertThat(new Select(root.findElement(By.cssSelector(".cb-group-mode")))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("All of");

        addCondition(0);
        WebElement industry = leaf(0);
        selectValue(industry, ".cb-field", "industry");
        selectValue(leaf(0), ".cb-op", "in");
        leaf(0).findElement(By.cssSelector(".cb-values")).sendKeys("Software");

        addCondition(0);
        selectValue(leaf(1), ".cb-kind", "score");
        selectValue(leaf(1), ".cb-op", "gte");
        leaf(1).findElement(By.cssSelector(".cb-value")).sendKeys("50");

        addCondition(0);
        selectValue(leaf(2), ".cb-kind", "activity");
        selectValue(leaf(2), ".cb-activity-type", "EMAIL_CLICK");
        WebElement atLeast = leaf(2).findElement(By.cssSelector(".cb-at-least"));
        atLeast.clear();
        atLeast.sendKeys("2");
        leaf(2).findElement(By.cssSelector(".cb-within-days")).sendKeys("30");

        browser.find(".cb-group .cb-add-group").click();
        WebElement nested = browser.find(".cb-group .cb-group");
        selectValue(nested, ".cb-group-mode", "none");
        browser.find(".cb-group .cb-group .cb-add-condition").click();
        selectValue(leaf(3), ".cb-kind", "stage");
        chip(leaf(3), "DISQUALIFIED").click();
        browser.screenshot("condition-builder-built");

        browser.follow("#submit-condition");

        JsonNode expected = JSON.readTree("""
                {"all": [
                  {"field": "industry", "op": "in", "value": ["Software"]},
                  {"score": {"gte": 50}},
                  {"activity": {"type": "EMAIL_CLICK", "atLeast": 2, "withinDays": 30}},
                  {"not": {"any": [{"stage": {"in": ["DISQUALIFIED"]}}]}}
                ]}""");
        assertThat(JSON.readTree(browser.text("#received"))).isEqualTo(expected);
        assertThat(JSON.readTree(browser.text("#normalised"))).isEqualTo(expected);
        assertThat(JsonSchemaFiles.problems("condition", JSON.readTree(browser.text("#received"))))
                .as("what the builder posts validates against the published condition schema")
                .isEmpty();
        assertThat(browser.driver().findElements(By.id("errors"))).isEmpty();
        // the page shows the builder again with what was submitted
        browser.await(d -> d.findElements(By.cssSelector(".condition-builder[data-ready] .cb-leaf"))
                        .size()
                == 4);
        browser.screenshot("condition-builder-submitted");
    }

    @Test
    void aBareFieldLeafIsShownAsTheOneConditionOfAnAllGroup() {
        openTry("{\"field\": \"industry\", \"op\": \"eq\", \"value\": \"Software\"}");

        assertThat(browser.find(".condition-builder .cb-group").getAttribute("data-mode"))
                .isEqualTo("all");
        assertThat(browser.driver().findElements(By.cssSelector(".cb-leaf"))).hasSize(1);
        assertThat(selected(leaf(0), ".cb-field")).isEqualTo("industry");
        assertThat(browser.driver().findElements(By.cssSelector(".cb-raw")))
                .as("not left as text to fix")
                .isEmpty();

        browser.follow("#submit-condition");
        assertThat(JSON.readTree(browser.text("#received")))
                .isEqualTo(JSON.readTree("{\"field\": \"industry\", \"op\": \"eq\", \"value\": \"Software\"}"));
    }

    @Test
    void anExistingConditionIsShownInTheBuilderAndSubmittedUnchanged() {
        String condition = """
                {"any": [
                  {"all": [
                    {"field": "employees", "op": "between", "value": [10, 500]},
                    {"grade": {"gte": "B-"}},
                    {"owner": {"assigned": true}}
                  ]},
                  {"noActivity": {"type": "PAGE_VIEW", "urlContains": "pricing", "withinDays": 90}},
                  {"daysSinceLastActivity": {"lt": 7}},
                  {"field": "country", "op": "isEmpty"},
                  {"field": "capturedAt", "op": "withinDays", "value": 14},
                  {"opportunity": {"status": ["LOST"], "closedWithinDays": 90, "lostReason": ["PRICE", "TIMING"]}},
                  {"not": {"any": [{"quadrant": {"in": ["DISCARD", "HOT"]}}]}}
                ]}""";
        openTry(condition);

        WebElement root = browser.find(".condition-builder .cb-group");
        assertThat(root.getAttribute("data-mode")).isEqualTo("any");
        assertThat(browser.driver().findElements(By.cssSelector(".cb-leaf"))).hasSize(9);
        assertThat(selected(leaf(0), ".cb-field")).isEqualTo("employees");
        assertThat(selected(leaf(0), ".cb-op")).isEqualTo("between");
        assertThat(leaf(0).findElements(By.cssSelector(".cb-value")).stream()
                        .map(e -> e.getAttribute("value"))
                        .toList())
                .containsExactly("10", "500");
        assertThat(selected(leaf(1), ".cb-value")).isEqualTo("B-");
        assertThat(selected(leaf(2), ".cb-owner-mode")).isEqualTo("assigned");
        assertThat(selected(leaf(3), ".cb-did")).isEqualTo("didNot");
        assertThat(selected(leaf(3), ".cb-activity-type")).isEqualTo("PAGE_VIEW");
        assertThat(leaf(3).findElement(By.cssSelector(".cb-filter-urlContains")).getAttribute("value"))
                .isEqualTo("pricing");
        assertThat(leaf(5).findElements(By.cssSelector(".cb-value"))).isEmpty();
        assertThat(leaf(6).findElement(By.cssSelector(".cb-value")).getAttribute("value"))
                .isEqualTo("14");
        assertThat(leaf(7).findElement(By.cssSelector(".cb-note")).getText())
                .isEqualTo("Only prospects with at least one opportunity can match opportunity conditions, "
                        + "including 'not' ones.");
        assertThat(chip(leaf(7), "PRICE").isSelected()).isTrue();
        assertThat(chip(leaf(7), "COMPETITOR").isSelected()).isFalse();
        assertThat(chip(leaf(8), "HOT").isSelected()).isTrue();
        browser.screenshot("condition-builder-loaded");

        browser.follow("#submit-condition");
        assertThat(JSON.readTree(browser.text("#received"))).isEqualTo(JSON.readTree(condition));
    }

    @Test
    void thePreviewCountsTheMatchingProspectsAndPointsAtTheInvalidRow() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String industry = "Preview " + run;
        for (int employees : new int[] {10, 200, 500}) {
            assertThat(api.post(
                                    "/api/v1/prospects",
                                    "{\"email\":\"preview-" + employees + "-" + run
                                            + "@corp-" + run + ".example\",\"industry\":\"" + industry
                                            + "\",\"employees\":" + employees
                                            + ",\"firstName\":\"Pat " + employees + "\"}")
                            .status())
                    .isEqualTo(201);
        }
        openTry("{\"all\":[{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"" + industry + "\"},"
                + "{\"field\":\"employees\",\"op\":\"gte\",\"value\":100}]}");

        browser.find(".cb-preview-button").click();
        browser.await(d -> d.findElements(By.cssSelector(".cb-count-value")).size() == 1);
        assertThat(browser.text(".cb-count-value")).isEqualTo("2");
        assertThat(browser.text(".cb-sample"))
                .contains("preview-200-" + run, "preview-500-" + run, "Pat 500")
                .doesNotContain("preview-10-" + run);
        browser.screenshot("condition-builder-preview");

        addCondition(0);
        browser.find(".cb-preview-button").click();
        browser.await(d -> d.findElements(By.cssSelector(".cb-leaf.cb-invalid")).size() == 1);
        assertThat(leaf(2).getAttribute("class")).contains("cb-invalid");
        assertThat(leaf(2).findElement(By.cssSelector(".cb-errors")).getText()).contains("value", "must not be empty");
        assertThat(browser.text(".cb-preview")).contains("Fix the highlighted conditions");
        browser.screenshot("condition-builder-preview-error");
    }

    @Test
    void attackerControlledValuesAreShownAsText() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post(
                                "/api/v1/prospects",
                                "{\"email\":\"xss-" + run + "@corp-" + run + ".example\"," + "\"industry\":\""
                                        + XSS.replace("\"", "\\\"") + "\",\"firstName\":\"" + XSS + "\"}")
                        .status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/campaigns", "{\"name\":\"" + XSS + " " + run + "\",\"channel\":\"EMAIL\"}")
                        .status())
                .isEqualTo(201);
        openTry("{\"all\":[{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"" + XSS + "\"},"
                + "{\"field\":\"email\",\"op\":\"startsWith\",\"value\":\"xss-" + run + "\"},"
                + "{\"activity\":{\"type\":\"EMAIL_OPEN\"}}]}");

        assertThat(leaf(0).findElement(By.cssSelector(".cb-value")).getAttribute("value"))
                .isEqualTo(XSS);
        leaf(2).findElement(By.cssSelector(".cb-filters summary")).click();
        assertThat(new Select(leaf(2).findElement(By.cssSelector(".cb-filter-campaignId")))
                        .getOptions().stream().map(WebElement::getText).toList())
                .contains(XSS + " " + run);
        // drop the activity so that the preview finds the prospect
        leaf(2).findElement(By.cssSelector(".cb-remove-condition")).click();
        browser.find(".cb-preview-button").click();
        browser.await(d -> d.findElements(By.cssSelector(".cb-count-value")).size() == 1);
        assertThat(browser.text(".cb-count-value")).isEqualTo("1");
        assertThat(browser.text(".cb-sample")).contains(XSS);

        assertThat(browser.driver().findElements(By.cssSelector("img[onerror], img[src=x]")))
                .isEmpty();
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        browser.follow("#submit-condition");
        assertThat(browser.text("#received")).contains(XSS);
        assertThat(browser.driver().findElements(By.cssSelector("img[onerror], img[src=x]")))
                .isEmpty();
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void anInvalidSubmissionIsRefusedWithItsErrorsAndTheBuilderKeepsTheText() {
        openTry("{\"all\":[{\"field\":\"password\",\"op\":\"eq\",\"value\":\"x\"}]}");
        browser.follow("#submit-condition");
        assertThat(browser.text("#errors")).contains("All 1 › field", "is not a field conditions can use");

        openTry("not json at all");
        assertThat(browser.find(".cb-raw").getAttribute("value")).isEqualTo("not json at all");
        browser.find(".cb-start-over").click();
        browser.follow("#submit-condition");
        assertThat(JSON.readTree(browser.text("#received"))).isEqualTo(JSON.readTree("{\"all\":[]}"));
    }

    private void openTry(String condition) {
        if (browser.driver().manage().getCookieNamed("JSESSIONID") == null) {
            browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        }
        browser.open("/conditions/try"
                + (condition.isEmpty() ? "" : "?condition=" + URLEncoder.encode(condition, StandardCharsets.UTF_8)));
        browser.await(d -> !d.findElements(By.cssSelector(".condition-builder[data-ready]"))
                .isEmpty());
    }

    /** Clicks "+ Condition" of the n-th group (document order). */
    private static void addCondition(int group) {
        List<WebElement> buttons = browser.driver().findElements(By.cssSelector(".cb-add-condition"));
        buttons.get(group).click();
    }

    private static WebElement leaf(int n) {
        return browser.driver().findElements(By.cssSelector(".cb-leaf")).get(n);
    }

    private static void selectValue(WebElement scope, String css, String value) {
        new Select(scope.findElement(By.cssSelector(css))).selectByValue(value);
    }

    private static String selected(WebElement scope, String css) {
        return new Select(scope.findElement(By.cssSelector(css)))
                .getFirstSelectedOption()
                .getAttribute("value");
    }

    private static WebElement chip(WebElement scope, String value) {
        return scope.findElement(By.cssSelector(".cb-chip input[value='" + value + "']"));
    }
}
