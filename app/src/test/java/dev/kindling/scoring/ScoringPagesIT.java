package dev.kindling.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class ScoringPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRuleCreatedInTheEditorIsListedAndScoresTheNextActivity() {
        String name = "<b>ui-" + run + "</b>";
        browser.open("/scoring");
        browser.find("#rule-form input[name=name]").sendKeys(name);
        new Select(browser.find("#rule-form select[name=activityType]")).selectByValue("CUSTOM");
        browser.find("#rule-form input[name=customName]").sendKeys("ui-" + run);
        browser.find("#rule-form input[name=points]").sendKeys("7");
        browser.find("#save-rule").click();

        browser.await(d -> d.findElements(By.xpath("//table[@id='rules']//td[text()='" + name + "']"))
                        .size()
                == 1);
        assertThat(browser.path()).isEqualTo("/scoring");

        String email = "ui-" + run + "@scoring.example";
        api.post("/api/v1/activities", """
                {"activities":[{"externalId":"%s-1","email":"%s","type":"CUSTOM","customName":"ui-%s",
                 "occurredAt":"%s"}]}""".formatted(
                run, email, run, Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30)));
        IntakeProgress.awaitDrained(api);
        long id = api.prospectId(email);

        browser.open("/prospects/" + id);
        assertThat(browser.text("#score-value")).isEqualTo("7");
        assertThat(browser.text("#score-by-rule")).contains(name);
        assertThat(browser.text("#score-ledger")).contains("ACTIVITY", "+7");
    }

    @Test
    void anInvalidRuleIsShownWithItsErrorsAndNotStored() {
        browser.open("/scoring");
        browser.find("#rule-form input[name=name]").sendKeys("bad-" + run);
        browser.find("#rule-form input[name=urlPattern]").sendKeys("^(a|b)$");
        browser.find("#rule-form input[name=points]").sendKeys("5000");
        browser.follow("#save-rule");

        assertThat(browser.text("#rule-errors")).contains("URL pattern", "Points");
        assertThat(api.get("/api/v1/scoring-rules").body()).doesNotContain("bad-" + run);
    }
}
