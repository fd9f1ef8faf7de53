package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.TestSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A marketer's day through the workbench pages, in a real browser: a campaign with a cost, a form built and embedded
 * on a plain HTML site served by the test, a visitor who browses and then submits it, the prospect with its page
 * views, a CSV import with a mapping and its progress, and the account. Leaves screenshots of the key pages.
 */
@IntegrationTest
class MarketersDayIT {

    static final String ADMIN = "admin@kindling.local";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    TestSite site;
    String run;
    String kindling;

    @BeforeEach
    void setUp() {
        browser.at(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        site = TestSite.start(port);
        kindling = site.kindling();
    }

    @AfterEach
    void tearDown() {
        site.close();
    }

    @Test
    void aMarketersDayThroughCampaignsFormsVisitorsImportsAndAccounts() throws IOException {
        browser.signedIn(ADMIN, TestApi.ADMIN_PASSWORD);

        // a campaign with a cost
        browser.open("/campaigns");
        String campaign = "Spring expo " + run;
        browser.find("#name").sendKeys(campaign);
        new Select(browser.find("#channel")).selectByValue("EVENT");
        browser.find("#cost").clear();
        browser.find("#cost").sendKeys("250000");
        browser.follow("#create-campaign");
        assertThat(browser.text("#campaign-name")).isEqualTo(campaign);
        assertThat(browser.text("#campaign-cost")).isEqualTo("$250,000.00");
        browser.screenshot("ui-campaign");

        // a form, with its campaign
        String thanks = site.page("/thanks-" + run + ".html", "<p id=\"thanks\">Thank you</p>");
        browser.open("/forms/new");
        browser.find("#name").sendKeys("Expo sign-up " + run);
        String key = "expo-" + run;
        browser.find("#key").sendKeys(key);
        browser.find("#successUrl").sendKeys(thanks);
        new Select(browser.find("#campaignId")).selectByVisibleText(campaign);
        browser.follow("#save-form");
        assertThat(browser.text("#form-name")).isEqualTo("Expo sign-up " + run);
        String embed = browser.find("#embed-code").getDomProperty("value");
        assertThat(embed).contains("/f/embed.js").contains("data-form=\"" + key + "\"");
        browser.screenshot("ui-form");

        // the form embedded on the site; a visitor browses first, then signs up
        String landing = site.page("/expo-" + run + ".html", embed.replace(TestApi.PUBLIC_URL, kindling));
        String pricing = site.page("/pricing-" + run + ".html", "<p>Prices</p>");
        browser.driver().manage().deleteAllCookies();
        browser.driver().get(pricing + "?utm_source=newsletter");
        browser.driver().get(landing);
        browser.await(d -> !d.findElements(By.id("kindling-" + key + "-email")).isEmpty());
        String email = "hana-" + run + "@expo-" + run + ".example";
        browser.find("#kindling-" + key + "-email").sendKeys(email);
        browser.find("#kindling-" + key + "-first_name").sendKeys("Hana");
        browser.find("#kindling-" + key + "-company").sendKeys("Expo " + run);
        browser.find("form[data-kindling-form] button[type=submit]").click();
        browser.await(d -> !d.findElements(By.id("thanks")).isEmpty());

        // the prospect, with the page views from before the sign-up
        browser.signedIn(ADMIN, TestApi.ADMIN_PASSWORD);
        browser.open("/prospects?q=" + email);
        browser.follow("#prospects tbody tr a");
        String prospectPath = browser.path();
        browser.await(d -> {
            d.navigate().refresh();
            return d.getPageSource().contains("pricing-" + run);
        });
        assertThat(browser.driver().getPageSource()).contains(email);
        browser.screenshot("ui-prospect-with-page-views");
        browser.open("/visitors?show=identified");
        assertThat(browser.driver().getPageSource()).contains(email);
        browser.screenshot("ui-visitors");

        // an import of colleagues with a mapping, watched to the end
        Path csv = Files.createTempFile("colleagues", ".csv");
        Files.writeString(
                csv,
                "Mail,Given name,Firm\n"
                        + "ken-" + run + "@expo-" + run + ".example,Ken,Expo " + run + "\n"
                        + "yui-" + run + "@expo-" + run + ".example,Yui,Expo " + run + "\n");
        browser.open("/imports");
        browser.find("#file").sendKeys(csv.toAbsolutePath().toString());
        browser.follow("#upload");
        new Select(browser.find("#map-0")).selectByValue("email");
        new Select(browser.find("#map-1")).selectByValue("firstName");
        new Select(browser.find("#map-2")).selectByValue("company");
        browser.follow("#dry-run");
        assertThat(browser.text("#dry-created")).isEqualTo("2");
        browser.follow("#start-import");
        browser.await(d -> d.findElement(By.id("import-status")).getText().equals("Done"));
        assertThat(browser.text("#created")).isEqualTo("2");
        assertThat(browser.find("#progress-bar").getDomAttribute("value")).isEqualTo("100");
        browser.screenshot("ui-import");

        // the account: the visitor and the imported colleagues
        browser.open("/accounts?q=expo-" + run);
        browser.follow("#accounts tbody tr a");
        assertThat(browser.text("#fig-contacts")).isEqualTo("3");
        assertThat(browser.text("#committee")).contains("Hana").contains("Ken").contains("Yui");
        browser.screenshot("ui-account");

        browser.open("/forms");
        browser.screenshot("ui-forms");
        assertThat(prospectPath).startsWith("/prospects/");
        Files.delete(csv);
    }
}
