package dev.kindling.lists;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The list pages in headless Chromium: a marketer creates a dynamic list and sees it fill as activities arrive. */
@IntegrationTest
class ListPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void aDynamicListCreatedInThePageGainsAProspectOnceItsActivityIsIngested() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "webinar-" + run + "@example.com";
        long id = api.post("/api/v1/prospects", "{\"email\":\"" + email + "\"}").json().get("id").asLong();

        browser.at(port).signIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/lists");
        browser.find("#name").sendKeys("Webinar <b>" + run + "</b>");
        browser.find("#condition").sendKeys("{\"all\": [{\"field\": \"email\", \"op\": \"contains\", \"value\": \"" + run
                + "\"}, {\"activity\": {\"type\": \"WEBINAR_ATTENDED\"}}]}");
        browser.follow("#create-list");
        assertThat(browser.text("h1")).isEqualTo("Webinar <b>" + run + "</b>");
        assertThat(browser.text("#members")).contains("No members.");
        long list = Long.parseLong(browser.driver().getCurrentUrl().replaceAll(".*/lists/", ""));

        try {
            api.post("/api/v1/activities", """
                    {"activities": [{"externalId": "%s", "type": "WEBINAR_ATTENDED", "prospectId": %d, "occurredAt": "%s"}]}"""
                    .formatted(run, id, Instant.now().minusSeconds(5)));
            IntakeProgress.awaitDrained(api);

            browser.open("/lists/" + list);
            assertThat(browser.text("#members")).contains(email);
            assertThat(browser.text("#history")).contains(email, "JOINED", "condition");
            assertThat(browser.text("#member-count")).isEqualTo("1");

            browser.find("#condition").clear();
            browser.find("#condition").sendKeys("{\"field\": \"password\", \"op\": \"eq\", \"value\": \"x\"}");
            browser.follow("#save-list");
            assertThat(browser.text("#errors")).contains("condition.field");

            browser.open("/lists");
            assertThat(browser.text("#lists")).contains("Webinar <b>" + run + "</b>");
        } finally {
            api.send(api.request("/api/v1/lists/" + list).DELETE().build());
        }
    }
}
