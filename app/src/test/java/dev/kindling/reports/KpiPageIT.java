package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The KPI dashboard page in headless Chromium: tiles, trends and assets agree with the API. */
@IntegrationTest
class KpiPageIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    dev.kindling.ui.Formats formats;

    @Test
    void theDashboardShowsEachKpiBesideThePreviousPeriodWithItsTrend() {
        KpiDataset data = new KpiDataset(jdbc, 1964).write();
        JsonNode api = new TestApi(port)
                .get("/api/v1/reports/kpis?from=" + data.from() + "&to=" + data.to() + "&period=week")
                .json();

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.follow(".sidebar a[href='/reports/kpis']");
        assertThat(browser.driver().getTitle()).isEqualTo("KPI dashboard · Kindling");
        assertThat(browser.find(".kpi-tiles").isDisplayed())
                .as("this month so far, by default")
                .isTrue();
        browser.open("/reports/kpis?from=" + data.from() + "&to=" + data.to());
        assertThat(new Select(browser.find("#period")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("month");
        new Select(browser.find("#period")).selectByValue("week");
        browser.follow("#show-kpis");

        assertThat(browser.driver().findElements(By.cssSelector(".kpi-tile")))
                .hasSize(api.get("kpis").size());
        assertThat(browser.text("#kpi-mqls .kpi-current")).isEqualTo("3");
        assertThat(browser.text("#kpi-mqls .kpi-previous")).isEqualTo("1");
        assertThat(browser.text("#kpi-mqls .kpi-change")).isEqualTo("+2");
        String target = KpiTile.text(
                "count", api.get("kpis").get(0).get("current").get("target").asDouble(), formats::money);
        assertThat(browser.text("#kpi-mqls .kpi-target")).startsWith("target " + target);
        assertThat(browser.text("#kpi-prospectToMql .kpi-current")).isEqualTo("50.0 %");
        assertThat(browser.text("#kpi-prospectToMql .kpi-previous")).isEqualTo("100.0 %");
        assertThat(browser.text("#kpi-prospectToMql .kpi-change")).isEqualTo("−50.0 pts");
        assertThat(browser.text("#kpi-salesCycleDays .kpi-current")).isEqualTo("22.5 d");
        assertThat(browser.text("#kpi-costPerWonDeal .kpi-current")).isEqualTo("$1,550.00");
        assertThat(browser.text("#kpi-leadTimeDays .kpi-previous")).isEqualTo("25.0 d");

        assertThat(browser.driver().findElements(By.cssSelector("#kpi-mqls svg g.chart-row")))
                .hasSize(12);
        List<String> tooltips =
                browser.driver().findElements(By.cssSelector("#kpi-mqls svg g.chart-row > title")).stream()
                        .map(t -> t.getAttribute("textContent"))
                        .toList();
        JsonNode week = api.get("trendPeriods").get(8);
        assertThat(tooltips.get(8))
                .isEqualTo(week.get("from").asText() + " … " + week.get("to").asText() + ": "
                        + KpiTile.text(
                                "count",
                                api.get("kpis")
                                        .get(0)
                                        .get("trend")
                                        .get(8)
                                        .get("value")
                                        .asDouble(),
                                formats::money));

        assertThat(browser.driver().findElements(By.cssSelector("#assets tbody tr[data-asset]")))
                .hasSize(3);
        assertThat(browser.text("#assets tr[data-asset='FORM:kpi-" + data.tag + "'] td.mqls"))
                .isEqualTo("2");
        assertThat(browser.text("#assets tbody")).contains(data.formName, data.emailName, data.fileName);
        assertThat(browser.find("#target-link").getAttribute("href")).endsWith("/sales/sla");

        String csvPath =
                browser.find("#csv-link").getAttribute("href").substring(("http://localhost:" + port).length());
        TestApi plain = new TestApi(port, null);
        TestApi.Response csv = plain.send(plain.request(csvPath)
                .header("Cookie", browser.cookieHeader())
                .GET()
                .build());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).contains("kpi,mqls,MQLs,count,current," + data.from() + "," + data.to() + ",3.0,3,,");
    }

    @Test
    void aSalesUserReadsTheDashboardButIsNotOfferedTheTarget() {
        TestApi.User rep = new TestApi(port).user("SALES", "a-long-sales-password-1");
        browser.at(port).signedIn(rep.email(), "a-long-sales-password-1");
        browser.open("/reports/kpis?from=1964-06-01&to=1964-06-30");
        assertThat(browser.driver().findElements(By.cssSelector(".kpi-tile"))).isNotEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("#target-link")))
                .isEmpty();
    }

    @Test
    void badFiltersAreShownAsErrorsOnThePage() {
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/reports/kpis?from=1964-06-30&to=1964-06-01&period=fortnight");
        assertThat(browser.text("#errors")).contains("must not be before from", "must be one of week, month");
        assertThat(browser.driver().findElements(By.cssSelector(".kpi-tile"))).isEmpty();
    }
}
