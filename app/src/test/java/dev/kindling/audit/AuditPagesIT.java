package dev.kindling.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class AuditPagesIT {

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
    }

    @Test
    void changesMadeInTheUiAppearOnTheAuditLogPageWithTheSignedInUser() {
        long id = api.post("/api/v1/prospects", "{\"email\":\"ui-audit-" + run + "@audit.example\"}")
                .json()
                .get("id")
                .asLong();
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/prospects/" + id);
        browser.find("#score-adjust input[name=delta]").sendKeys("12");
        browser.find("#score-adjust input[name=reason]").sendKeys("met at a fair");
        browser.follow("#score-adjust-submit");
        browser.open("/lists");
        browser.find("#name").sendKeys("UI audit " + run);
        // static: a dynamic list without a condition would take in every prospect of the shared database
        new org.openqa.selenium.support.ui.Select(browser.find("#kind")).selectByValue("STATIC");
        browser.follow("#create-list");

        browser.follow("nav a[href='/settings/audit']");
        assertThat(browser.path()).isEqualTo("/settings/audit");
        browser.find("#objectType").sendKeys("prospect");
        browser.find("#objectId").sendKeys(Long.toString(id));
        browser.follow("#apply-filter");
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#audit-entries tbody tr[data-id]"));
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().getText()).contains("admin@kindling.local", "score_adjust", "\"score\":12");

        browser.open("/settings/audit?objectType=list&actor=admin@kindling.local");
        assertThat(browser.text("#audit-entries")).contains("UI audit " + run, "create");
        assertThat(browser.find("#audit-csv").getAttribute("href"))
                .contains("/settings/audit/export.csv", "objectType=list");
        TestApi session = new TestApi(port, null);
        var csv = session.send(session.request("/settings/audit/export.csv?objectType=list&actor=admin@kindling.local")
                .header("Cookie", browser.cookieHeader())
                .GET()
                .build());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).startsWith("id,at,actor_type").contains("USER", "UI audit " + run);
        assertThat(session.send(session.request("/settings/audit/export.csv?from=yesterday")
                                .header("Cookie", browser.cookieHeader())
                                .GET()
                                .build())
                        .status())
                .isEqualTo(400);

        browser.open("/settings/audit?from=yesterday");
        assertThat(browser.text("#errors")).contains("From");
    }

    @Test
    void aNonAdminSeesNeitherTheAuditLogNorTheExportAndErasure() {
        String email = "mkt-audit-" + run + "@kindling.example";
        assertThat(api.post("/api/v1/users", """
                {"email":"%s","name":"Mkt","role":"MARKETING","password":"long-enough-password"}""".formatted(email)).status()).isEqualTo(201);
        browser.at(port).signedIn(email, "long-enough-password");
        assertThat(browser.driver().findElements(By.cssSelector("nav a[href='/settings/audit']")))
                .isEmpty();
        browser.open("/settings/audit");
        assertThat(browser.driver().getTitle()).startsWith("403");
        assertThat(browser.driver().getPageSource()).doesNotContain("audit-entries");
        long prospect = api.post("/api/v1/prospects", "{\"email\":\"mkt-view-" + run + "@audit.example\"}")
                .json()
                .get("id")
                .asLong();
        browser.open("/prospects/" + prospect);
        assertThat(browser.text("#privacy")).doesNotContain("Erase", "Export");
        browser.open("/prospects/" + prospect + "/erase");
        assertThat(browser.driver().getTitle()).startsWith("403");
    }
}
