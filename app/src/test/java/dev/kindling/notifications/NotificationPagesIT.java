package dev.kindling.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.mail.MailOutbox;
import dev.kindling.mail.OutgoingMail;
import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The Outbox and Webhooks pages in headless Chromium, with no SMTP server (mail stays LOCAL): prospect data and mail
 * HTML stay inert; a notifyUser rule made in the rule form lands in the outbox.
 */
@IntegrationTest
class NotificationPagesIT {

    static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    MailOutbox outbox;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aNotifyUserRuleMadeInTheFormPutsALocalMailInTheOutboxWithProspectDataShownAsText() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String domain = "@outbox-" + run + ".example";
        long owner = api.post("/api/v1/users", """
                {"email":"rep-%s%s","name":"Rep","role":"SALES"}""".formatted(run, domain))
                .json()
                .get("id")
                .asLong();
        String firstName = HOSTILE.replace("<script>", "<script>/*" + run + "*/");
        long p = api.post("/api/v1/prospects", """
                {"email":"x-%s%s","firstName":"%s","company":"<b>Bold</b> Inc"}""".formatted(run, domain, firstName))
                .json()
                .get("id")
                .asLong();
        jdbc.sql("UPDATE prospect SET owner_id = :o WHERE id = :p")
                .param("o", owner)
                .param("p", p)
                .update();

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/automation/new");
        browser.await(d -> !d.findElements(By.cssSelector(".condition-builder[data-ready]"))
                .isEmpty());
        browser.find("#name").sendKeys("Notify " + run);
        browser.find(".cb-add-condition").click();
        WebElement leaf = browser.find(".cb-leaf");
        new Select(leaf.findElement(By.cssSelector(".cb-field"))).selectByValue("email");
        new Select(browser.find(".cb-leaf").findElement(By.cssSelector(".cb-op"))).selectByValue("endsWith");
        browser.find(".cb-leaf .cb-value").sendKeys(domain);
        new Select(browser.find("#action-type-0")).selectByValue("notifyUser");
        browser.find("#action-field-0").sendKeys("owner");
        browser.find("#action-value-0").sendKeys("Lead {{firstName}} " + run);
        browser.find("#action-message-0").sendKeys("{{firstName}} from {{company}} needs a call.");
        browser.follow("#save-rule");
        assertThat(browser.path()).matches("/automation/\\d+");
        long rule = Long.parseLong(browser.path().substring("/automation/".length()));
        try {
            assertThat(browser.text("#actions")).startsWith("notifyUser owner=Lead {{firstName}} " + run);
            browser.follow("#resume");

            browser.open("/outbox");
            assertThat(browser.text("#transport")).contains("LOCAL");
            WebElement row = browser.driver().findElements(By.cssSelector("#outbox tbody tr")).stream()
                    .filter(r -> r.getText().contains("rep-" + run))
                    .findFirst()
                    .orElseThrow();
            assertThat(row.getText()).contains("LOCAL").contains("NOTIFICATION").contains(firstName);
            browser.follow("#outbox tbody tr[data-id='" + row.getAttribute("data-id") + "'] a");
            assertThat(browser.text("#subject")).isEqualTo("Lead " + firstName + " " + run);
            assertThat(browser.text("#text"))
                    .startsWith(firstName + " from <b>Bold</b> Inc needs a call.")
                    .containsPattern("\\n" + TestApi.PUBLIC_URL + "/prospects/\\d+$");
            assertThat(browser.driver().findElements(By.cssSelector("main img, main script")))
                    .isEmpty();
            assertThat(browser.driver().findElements(By.cssSelector("#html-preview")))
                    .as("a text-only mail")
                    .isEmpty();
        } finally {
            api.send(api.request("/api/v1/automation-rules/" + rule).DELETE().build());
        }
    }

    @Test
    void aMailsHtmlIsShownAsSourceTextAndRenderedOnlyInASandboxThatRunsNoScript() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String html = "<html><head><title>inner</title></head><body><h1 id='inner'>Hi " + run + "</h1>"
                + "<script>document.body.insertAdjacentHTML('beforeend','<p id=ran>ran</p>');parent.document.title='pwned'</script>"
                + "<img src='/img/kindling.svg' id='img'></body></html>";
        outbox.enqueue(
                new OutgoingMail(
                        "reader-" + run + "@outbox.example",
                        "Html " + run,
                        "text " + run,
                        html,
                        Map.of("List-Unsubscribe", "<https://outbox.example/u>"),
                        null,
                        OutgoingMail.MARKETING),
                "html:" + run);
        long id = jdbc.sql("SELECT id FROM mail_outbox WHERE dedupe_key = :k")
                .param("k", "html:" + run)
                .query(Long.class)
                .single();

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/outbox/" + id);
        assertThat(browser.find("#html-source").getAttribute("textContent")).isEqualTo(html);
        assertThat(browser.text("#mail-facts")).contains("List-Unsubscribe").contains("<https://outbox.example/u>");
        WebElement frame = browser.find("#html-preview");
        assertThat(frame.getAttribute("sandbox")).isEmpty();
        browser.driver().switchTo().frame(frame);
        try {
            browser.await(d -> !d.findElements(By.id("inner")).isEmpty());
            assertThat(browser.text("#inner")).isEqualTo("Hi " + run);
            assertThat(browser.driver().findElements(By.id("ran")))
                    .as("the mail's script did not run")
                    .isEmpty();
        } finally {
            browser.driver().switchTo().defaultContent();
        }
        assertThat(browser.driver().getTitle()).doesNotContain("pwned");
        java.net.http.HttpResponse<String> preview = new TestApi(port)
                .send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://localhost:" + port + "/outbox/" + id + "/html"))
                        .header("Cookie", browser.cookieHeader())
                        .GET()
                        .build())
                .raw();
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.headers().firstValue("Content-Security-Policy"))
                .as("no script, no image, no load")
                .hasValueSatisfying(csp -> assertThat(csp)
                        .startsWith("sandbox;")
                        .contains("default-src 'none'")
                        .contains("img-src data:"));
    }

    @Test
    void anAdminAddsAWebhookInTheUiSeesItsSecretOnceAndBadUrlsAreExplained() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/settings/webhooks");
        browser.find("#url").sendKeys("javascript:alert(1)");
        browser.find("#events").sendKeys("prospect.assigned");
        browser.follow("#add-webhook");
        assertThat(browser.text("#errors")).contains("URL").contains("http or https");

        browser.find("#url").clear();
        browser.find("#url").sendKeys("https://hooks-" + run + ".example/in");
        browser.find("#events").clear();
        browser.find("#events").sendKeys("prospect.assigned, sla.breached");
        browser.find("#description").sendKeys("<i>CRM</i> " + run);
        browser.follow("#add-webhook");
        String secret = browser.text("#new-secret");
        assertThat(secret).startsWith("whsec_").hasSize(6 + 44);
        WebElement row = browser.driver().findElements(By.cssSelector("#subscriptions tbody tr")).stream()
                .filter(r -> r.getText().contains("hooks-" + run))
                .findFirst()
                .orElseThrow();
        assertThat(row.getText()).contains("prospect.assigned, sla.breached").contains("<i>CRM</i> " + run);
        String id = row.getAttribute("data-id");

        browser.open("/settings/webhooks");
        assertThat(browser.driver().getPageSource()).doesNotContain(secret);
        browser.follow("#subscriptions tr[data-id='" + id + "'] form[action$='/test'] button");
        assertThat(browser.text("#deliveries")).contains("webhook.test").contains("hooks-" + run);
        browser.follow("#subscriptions tr[data-id='" + id + "'] form[action$='/delete'] button");
        assertThat(browser.text("#subscriptions")).doesNotContain("hooks-" + run);
    }

    @Test
    void marketingSeesTheOutboxButNotTheWebhookSettings() {
        TestApi api = new TestApi(port);
        String email = "mkt-" + UUID.randomUUID() + "@outbox.example";
        api.post("/api/v1/users", """
                {"email":"%s","name":"Mk","role":"MARKETING","password":"long-enough-password"}""".formatted(email));
        browser.at(port).signedIn(email, "long-enough-password");
        browser.open("/outbox");
        assertThat(browser.text("h1")).isEqualTo("Outbox");
        assertThat(browser.text("nav")).contains("Outbox").doesNotContain("Webhooks");
        browser.open("/settings/webhooks");
        assertThat(browser.driver().getPageSource()).doesNotContain("Add a subscription");
    }
}
