package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The email pages in headless Chromium: editing a template, previewing it for a prospect, sending and the report. */
@IntegrationTest
class EmailPagesIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    TestApi api;
    EmailFixtures fx;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        fx = new EmailFixtures(api);
        browser.at(port).signIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
    }

    private void type(String css, String value) {
        WebElement field = browser.find(css);
        field.clear();
        field.sendKeys(value);
    }

    @Test
    void aMarketerWritesATemplateIsToldWhatIsMissingSavesItAndPreviewsItEscapedInASandboxedFrame() {
        long prospect = fx.prospect("<img src=x onerror=alert(1)>", "Healthcare");
        browser.open("/emails").follow("#new-template");
        type("#name", "Welcome " + fx.run);
        type("#subject", "Welcome, {{first_name|friend}}");
        type("#html", "<p>Hello {{first_name}}</p>");
        type("#text", "Hello {{first_name|there}}");
        browser.follow("#save-template");
        assertThat(browser.text("#errors")).contains("has no unsubscribe link")
                .contains("{{first_name}} may be empty for some prospects: give a fallback");

        type("#html", "<html><body><p>Hello {{first_name|there}}</p><p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>");
        type("#text", "Hello {{first_name|there}}\nUnsubscribe: {{unsubscribe_url}}");
        browser.follow("#save-template");
        assertThat(browser.path()).matches("/emails/templates/\\d+\\?saved");
        assertThat(browser.text("#saved")).isEqualTo("Saved.");

        type("#preview-prospect", Long.toString(prospect));
        browser.follow("#preview");
        assertThat(browser.text("#preview-subject")).isEqualTo("Welcome, <img src=x onerror=alert(1)>");
        WebElement frame = browser.find("#preview-html");
        assertThat(frame.getAttribute("sandbox")).isEmpty();
        assertThat(frame.getAttribute("srcdoc")).contains("Hello &lt;img src=x onerror=alert(1)&gt;");
        browser.driver().switchTo().frame(frame);
        assertThat(browser.driver().findElement(By.tagName("p")).getText()).isEqualTo("Hello <img src=x onerror=alert(1)>");
        assertThat(browser.driver().findElements(By.tagName("img"))).isEmpty();
        browser.driver().switchTo().defaultContent();
        assertThat(browser.text("#preview-text")).contains("Hello <img src=x onerror=alert(1)>");
    }

    @Test
    void sendingATemplateToAListFromThePageShowsTheSendReport() {
        long template = fx.template();
        long ok = fx.prospect("Rae", null);
        long other = fx.prospect("Sol", null);
        long list = fx.list(ok, other);
        String name = "Page send " + fx.run;
        browser.open("/emails");
        type("#send-name", name);
        new org.openqa.selenium.support.ui.Select(browser.find("#send-template")).selectByValue(Long.toString(template));
        new org.openqa.selenium.support.ui.Select(browser.find("#send-list")).selectByValue(Long.toString(list));
        browser.follow("#send");
        assertThat(browser.path()).matches("/emails/sends/\\d+");
        assertThat(browser.text("h1")).isEqualTo(name);
        assertThat(browser.text("#sent")).isEqualTo("2");
        assertThat(browser.text("#suppressed")).isEqualTo("0");
        browser.open("/emails");
        assertThat(browser.text("#sends")).contains(name);
    }
}
