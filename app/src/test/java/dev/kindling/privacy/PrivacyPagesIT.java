package dev.kindling.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

@IntegrationTest
class PrivacyPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
    }

    private long prospect(String email) {
        return api.newProspect("""
                {"email":"%s","firstName":"Grace","lastName":"Hopper","company":"Navy %s"}""".formatted(email, run));
    }

    @Test
    void anAdminErasesAProspectFromItsPageAfterTypingItsEmail() {
        String email = "grace-" + run + "@navy-privacy.example";
        long id = prospect(email);
        browser.open("/prospects/" + id);
        browser.follow("#erase-prospect");
        assertThat(browser.path()).isEqualTo("/prospects/" + id + "/erase");
        assertThat(browser.text("#erase-email")).isEqualTo(email);

        browser.find("#confirm-email").sendKeys("someone-else@navy-privacy.example");
        browser.follow("#confirm-erase");
        assertThat(browser.text("#erase-error")).contains("Type the prospect's email");
        assertThat(api.get("/api/v1/prospects/" + id).json().get("email").asString())
                .isEqualTo(email);

        browser.find("#confirm-email").sendKeys(email);
        browser.follow("#confirm-erase");
        assertThat(browser.path()).isEqualTo("/prospects/" + id);
        assertThat(browser.text("#erased-notice")).contains("erased at their request");
        assertThat(browser.text("#prospect-email")).isEqualTo("erased-" + id + "@erased.invalid");
        assertThat(browser.text("#fields")).doesNotContain("Grace", "Hopper", "Navy " + run);
        assertThat(browser.driver().findElements(By.cssSelector("#erase-prospect")))
                .isEmpty();
        assertThat(api.post("/api/v1/prospects", "{\"email\":\"" + email + "\"}")
                        .status())
                .isEqualTo(409);
        var audit = api.get("/api/v1/audit?objectType=prospect&objectId=" + id + "&action=erase")
                .json()
                .get("items");
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("actor").get("type").asString()).isEqualTo("USER");
    }

    @Test
    void theProspectPageRecordsAndShowsConsentAndDownloadsTheExport() {
        String email = "ada-" + run + "@navy-privacy.example";
        long id = prospect(email);
        browser.open("/prospects/" + id);
        assertThat(browser.text("#privacy")).contains("No consent recorded");
        new org.openqa.selenium.support.ui.Select(browser.find("#consent-purpose")).selectByValue("TRACKING");
        new org.openqa.selenium.support.ui.Select(browser.find("#consent-status")).selectByValue("WITHDRAWN");
        browser.find("#consent-text").sendKeys("<b>No tracking</b> please");
        browser.follow("#record-consent");
        assertThat(browser.text("#consents")).contains("TRACKING", "WITHDRAWN", "ui", "<b>No tracking</b> please");

        String href = browser.find("#export-prospect").getAttribute("href");
        var export = api.send(api.request(href.substring(href.indexOf("/prospects/")))
                .header("Cookie", browser.cookieHeader())
                .GET()
                .build());
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.raw().headers().firstValue("Content-Disposition").orElse(""))
                .contains("attachment");
        var doc = JsonMapper.builder().build().readTree(export.body());
        assertThat(doc.get("prospect").get("email").asString()).isEqualTo(email);
        assertThat(doc.get("consents").get(0).get("status").asString()).isEqualTo("WITHDRAWN");
    }
}
