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

/** The attribution page in headless Chromium over a known history ({@link AttributionDataset}, 1975). */
@IntegrationTest
class AttributionPageIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private String credit(long campaignId) {
        return browser.text("#attribution tr[data-campaign='" + campaignId + "'] td.credit");
    }

    @Test
    void switchingTheModelRecreditsTheCampaignsAndADrillDownShowsEveryModelAndTheTouchesBehindTheCredit() {
        AttributionDataset data = new AttributionDataset(jdbc, 1975).write();
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/reports/attribution?from=" + data.from() + "&to=" + data.to());
        assertThat(browser.driver().getTitle()).isEqualTo("Attribution · Kindling");
        assertThat(browser.find("nav a[href='/reports/attribution']").isDisplayed())
                .isTrue();
        assertThat(new Select(browser.find("#model")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("w_shaped");
        assertThat(credit(data.campaignC)).isEqualTo("$650.00");
        assertThat(browser.text("#attribution tr[data-campaign='none'] td.credit"))
                .isEqualTo("$500.00");
        assertThat(browser.text("#total")).isEqualTo("$1,500.00");
        assertThat(browser.text("#no-role-note")).startsWith("No contact role, no credit");
        assertThat(browser.text("#attribution tr[data-campaign='" + data.campaignC + "'] a.drill"))
                .as("campaign names are shown as text")
                .isEqualTo("<b>Ads C</b> " + data.tag);

        new Select(browser.find("#model")).selectByValue("linear");
        browser.follow("#show-report");
        assertThat(credit(data.campaignC)).isEqualTo("$600.00");
        assertThat(credit(data.campaignA)).isEqualTo("$200.00");
        List<String> tooltips =
                browser.driver().findElements(By.cssSelector("#attribution-chart g.chart-row > title")).stream()
                        .map(t -> t.getAttribute("textContent"))
                        .toList();
        assertThat(tooltips).contains("<b>Ads C</b> " + data.tag + ": $600.00 from 0.6 opportunities");
        assertThat(browser.text("#roi tr[data-campaign='" + data.campaignA + "'] td.roi"))
                .isEqualTo("-0.6667");
        assertThat(browser.text("#roi tr[data-campaign='" + data.campaignB + "'] td.primary-won"))
                .isEqualTo("$1,000.00");
        // by channel: the email campaign A's linear credit of the won deal, and the webinar B's primary-campaign won
        assertThat(browser.find("#channels tr[data-channel='EMAIL']").getText()).contains("$333.32");
        assertThat(browser.find("#channels tr[data-channel='WEBINAR']").getText())
                .endsWith("$1,000.00");

        browser.follow("#attribution tr[data-campaign='" + data.campaignA + "'] a.drill");
        assertThat(browser.text("#drill h2")).isEqualTo("Campaign: Email A " + data.tag);
        assertThat(new Select(browser.find("#model")).getFirstSelectedOption().getAttribute("value"))
                .as("the drill-down keeps the model")
                .isEqualTo("linear");
        assertThat(browser.text("#models tr[data-model='LINEAR'] td.credit")).isEqualTo("$200.00");
        assertThat(browser.text("#models tr[data-model='W_SHAPED'] td.credit")).isEqualTo("$300.00");
        assertThat(browser.text("#models tr[data-model='U_SHAPED'] td.credit")).isEqualTo("$400.00");
        assertThat(browser.text("#models tr[data-model='FIRST_TOUCH'] td.credit"))
                .isEqualTo("$0.00");
        assertThat(browser.driver().findElements(By.cssSelector("#models tr[data-model='FULL_PATH']")))
                .as("full path credits won deals only")
                .isEmpty();
        String deal = "#drill-opportunities tr[data-opportunity='" + data.o1 + "']";
        assertThat(browser.text(deal + " td.credit")).isEqualTo("$200.00");
        List<String> touches = browser.driver().findElements(By.cssSelector(deal + " li.touch")).stream()
                .map(e -> e.getText())
                .toList();
        assertThat(touches).hasSize(5).allMatch(t -> t.endsWith("· $200.00"));
        assertThat(touches.get(1))
                .startsWith("Email A " + data.tag)
                .contains("p1-" + data.tag + "@attribution.example");
        assertThat(browser.driver()
                        .findElements(By.cssSelector("#drill-opportunities tr[data-opportunity='" + data.o2 + "']")))
                .as("the roleless deal gives A nothing")
                .isEmpty();
    }

    @Test
    void badInputOnThePageIsShownAsFieldErrors() {
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/reports/attribution?from=1975-03-01&to=1975-02-01&lookbackDays=-5");
        assertThat(browser.text("#errors"))
                .contains("To: must not be before from")
                .contains("Lookback days: must be between 0 and 3650");
    }
}
