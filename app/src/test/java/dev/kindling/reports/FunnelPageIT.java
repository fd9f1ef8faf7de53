package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The lifecycle funnel page in headless Chromium: filters, charts and tables agree with the API. */
@IntegrationTest
class FunnelPageIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private void fillIn(String id, String value) {
        WebElement input = browser.find("#" + id);
        input.clear();
        input.sendKeys(value);
    }

    private void setDate(String id, String isoDate) {
        // a date input takes typed digits in the browser's locale order; set it through its value instead
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript("arguments[0].value = arguments[1]", browser.find("#" + id), isoDate);
    }

    @Test
    void theFunnelPageShowsTheSameCountsAsTheApiForASegment() {
        LifecycleDataset data = new LifecycleDataset(jdbc, 1997).write();
        JsonNode api = new TestApi(port)
                .get("/api/v1/reports/lifecycle?from=" + data.from() + "&to=" + data.to()
                        + "&view=flow&segment=source&segmentValue="
                        + URLEncoder.encode(data.sourceA, StandardCharsets.UTF_8))
                .json()
                .get("total");

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/reports/funnel");
        assertThat(browser.driver().getTitle()).isEqualTo("Lifecycle funnel · Kindling");
        assertThat(browser.find("#funnel-chart").isDisplayed()).isTrue();
        setDate("from", data.from());
        setDate("to", data.to());
        new Select(browser.find("#view")).selectByValue("flow");
        new Select(browser.find("#segment")).selectByValue("source");
        fillIn("segmentValue", data.sourceA);
        browser.follow("#show-report");

        List<Long> expected = new ArrayList<>();
        api.get("steps").forEach(s -> expected.add(s.get("count").asLong()));
        assertThat(expected).containsExactly(3L, 5L, 4L, 2L, 1L);
        List<Long> shown = browser.driver().findElements(By.cssSelector("#steps tbody td.count")).stream()
                .map(td -> Long.parseLong(td.getText()))
                .toList();
        assertThat(shown).isEqualTo(expected);
        assertThat(browser.text("#velocity tr[data-pair='CAPTURED-MQL'] td.median"))
                .isEqualTo(api.get("velocity").get(1).get("medianDays").asText());
        assertThat(browser.text("#inventory td[data-stage='RECYCLED']")).isEqualTo("1");

        List<String> tooltips =
                browser.driver().findElements(By.cssSelector("#funnel-chart g.chart-row > title")).stream()
                        .map(t -> t.getAttribute("textContent"))
                        .toList();
        assertThat(tooltips).contains("MQL: 4 · 60.0 % of Prospects", "Prospects: 5 · conversion from Visitors n/a");
        assertThat(browser.text("#steps tr[data-stage='CAPTURED'] td.conversion"))
                .as("most prospects never visited first")
                .isEqualTo("n/a");
        assertThat(browser.driver().findElements(By.cssSelector("#velocity-chart g.chart-row")))
                .hasSize(4);

        String csvPath =
                browser.find("#csv-link").getAttribute("href").substring(("http://localhost:" + port).length());
        TestApi plain = new TestApi(port, null);
        TestApi.Response csv = plain.send(plain.request(csvPath)
                .header("Cookie", browser.cookieHeader())
                .GET()
                .build());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).contains("source," + data.sourceA + ",step,,MQL,MQL,4,60.0,,,");
    }

    @Test
    void badFiltersAreShownAsErrorsOnThePage() {
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/reports/funnel?from=2024-03-01&to=2024-01-01");
        assertThat(browser.text("#errors")).contains("To", "must not be before from");
        assertThat(browser.driver().findElements(By.cssSelector("#funnel-chart")))
                .isEmpty();
    }
}
