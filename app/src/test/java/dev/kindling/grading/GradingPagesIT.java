package dev.kindling.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
// alone among the shared context's classes: edits the default grading profile every prospect is graded by
@ResourceLock(IntegrationTest.SHARED_DATA)
class GradingPagesIT {

    static final String XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi api;
    String unique;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        unique = UUID.randomUUID().toString().substring(0, 8);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
    }

    @Test
    void aCriterionAddedInTheEditorIsSavedAndItsProfileRegraded() {
        long profile = api.post("/api/v1/grading-profiles", "{\"name\":\"UI " + unique + "\"}")
                .json()
                .get("id")
                .asLong();

        browser.open("/grading").follow("#profile-" + profile + " .add-criterion");
        awaitBuilder();
        browser.find("#label").sendKeys("Enterprise " + XSS);
        browser.driver()
                .findElements(By.cssSelector(".cb-add-condition"))
                .getFirst()
                .click();
        new Select(leaf().findElement(By.cssSelector(".cb-field"))).selectByValue("employeesOrAccount");
        new Select(leaf().findElement(By.cssSelector(".cb-op"))).selectByValue("gte");
        leaf().findElement(By.cssSelector(".cb-value")).sendKeys("1000");
        new Select(browser.find("#weight")).selectByValue("3");
        browser.follow("#save-criterion");

        assertThat(browser.path()).startsWith("/grading");
        assertThat(browser.text("#saved")).contains("re-graded");
        WebElement row = browser.find("#profile-" + profile + " tr.criterion");
        assertThat(row.findElement(By.cssSelector(".criterion-label")).getText())
                .isEqualTo("Enterprise " + XSS);
        assertThat(row.findElement(By.cssSelector(".criterion-condition")).getText())
                .as("described in words, as every page describes conditions")
                .isEqualTo("employeesOrAccount \u2265 1000");
        JsonNode saved = api.get("/api/v1/grading-profiles/" + profile)
                .json()
                .get("criteria")
                .get(0);
        assertThat(saved.get("weight").asInt()).isEqualTo(3);
        assertThat(saved.get("condition").toString())
                .isEqualTo("{\"all\":[{\"field\":\"employeesOrAccount\",\"op\":\"gte\",\"value\":1000}]}");

        browser.follow("#profile-" + profile + " .edit-criterion");
        awaitBuilder();
        assertThat(new Select(leaf().findElement(By.cssSelector(".cb-field")))
                        .getFirstSelectedOption()
                        .getAttribute("value"))
                .as("the stored condition is shown in the builder")
                .isEqualTo("employeesOrAccount");
        new Select(leaf().findElement(By.cssSelector(".cb-field"))).selectByValue("email");
        new Select(leaf().findElement(By.cssSelector(".cb-op"))).selectByValue("contains");
        leaf().findElement(By.cssSelector(".cb-value")).sendKeys("@bigco");
        browser.follow("#save-criterion");
        assertThat(browser.text("#errors")).contains("is not a field grading reads");
        assertThat(api.get("/api/v1/grading-profiles/" + profile)
                        .json()
                        .get("criteria")
                        .get(0)
                        .get("condition")
                        .toString())
                .contains("employeesOrAccount");
    }

    @Test
    void aCriterionsConditionIsShownInWordsWithItsValuesQuotedAsText() {
        long profile = api.post("/api/v1/grading-profiles", """
                {"name":"Words %s","criteria":[{"label":"Title","condition":{"any":[
                  {"field":"jobTitle","op":"contains","value":"%s"},
                  {"field":"employeesOrAccount","op":"between","value":[50, 249]}]},"weight":2}]}""".formatted(unique, XSS))
                .json()
                .get("id")
                .asLong();

        browser.open("/grading");
        assertThat(browser.find("#profile-" + profile + " .criterion-condition").getText())
                .isEqualTo("jobTitle contains \u201c" + XSS + "\u201d or employeesOrAccount between 50 and 249");
    }

    private static void awaitBuilder() {
        browser.await(d -> !d.findElements(By.cssSelector(".condition-builder[data-ready]"))
                .isEmpty());
    }

    private static WebElement leaf() {
        return browser.find(".cb-leaf");
    }

    @Test
    void theProspectPageExplainsTheGradeAndShowsStarsFlamesAndQuadrant() {
        long id = api.post("/api/v1/prospects", """
                {"email":"page-%s@bigco.example","jobTitle":"Head of Marketing","employees":500,"department":"%s"}""".formatted(unique, XSS))
                .json()
                .get("id")
                .asLong();
        jdbc.sql("UPDATE prospect SET score = 60 WHERE id = :id")
                .param("id", id)
                .update();

        browser.open("/prospects/" + id);
        assertThat(browser.text("#fit-grade")).isEqualTo("C+");
        assertThat(browser.find("#fit-stars").getAttribute("data-stars")).isEqualTo("3");
        assertThat(browser.find("#fit-flames").getAttribute("data-flames")).isEqualTo("0");
        assertThat(browser.text("#fit-quadrant")).isEqualTo("HOT");
        assertThat(browser.driver().findElements(By.cssSelector("#grade-explanation tbody tr")))
                .extracting(r -> r.getAttribute("data-outcome"))
                .containsExactly("MATCHED", "MATCHED");
        assertThat(browser.text("#grade-explanation")).contains("Senior job title", "Head of Marketing", "+2/3");

        browser.follow("#fit-quadrant");
        assertThat(browser.path()).isEqualTo("/prospects?quadrant=HOT");
        assertThat(browser.text("#prospects")).contains("page-" + unique + "@bigco.example");
    }

    @Test
    void theQuadrantPageCountsProspectsAndLinksToThem() {
        long id = api.post("/api/v1/prospects", """
                {"email":"screen-%s@gmail.com","jobTitle":"Student"}""".formatted(unique))
                .json()
                .get("id")
                .asLong();
        jdbc.sql("UPDATE prospect SET score = 90 WHERE id = :id")
                .param("id", id)
                .update();
        long screen = api.get("/api/v1/reports/quadrant")
                .json()
                .get("counts")
                .get("SCREEN")
                .asLong();

        browser.open("/reports/quadrant");
        assertThat(browser.text("#quadrant-SCREEN .card-value")).isEqualTo(Long.toString(screen));
        browser.follow("#quadrant-SCREEN");
        assertThat(browser.text("#quadrant-filter")).contains("SCREEN");
        assertThat(browser.text("#prospects")).contains("screen-" + unique + "@gmail.com");
        assertThat(browser.driver().findElements(By.cssSelector("#prospects tbody tr[data-prospect-id]")))
                .hasSizeLessThanOrEqualTo(50);
    }
}
