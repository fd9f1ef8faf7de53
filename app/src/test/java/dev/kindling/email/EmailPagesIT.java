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
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
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
        assertThat(browser.text("#errors"))
                .contains("has no unsubscribe link")
                .contains("{{first_name}} may be empty for some prospects: give a fallback");

        type(
                "#html",
                "<html><body><p>Hello {{first_name|there}}</p><p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>");
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
        assertThat(browser.driver().findElement(By.tagName("p")).getText())
                .isEqualTo("Hello <img src=x onerror=alert(1)>");
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
        new org.openqa.selenium.support.ui.Select(browser.find("#send-template"))
                .selectByValue(Long.toString(template));
        new org.openqa.selenium.support.ui.Select(browser.find("#send-list")).selectByValue(Long.toString(list));
        browser.follow("#send");
        assertThat(browser.path()).matches("/emails/sends/\\d+");
        assertThat(browser.text("h1")).isEqualTo(name);
        assertThat(browser.text("#sent")).isEqualTo("2");
        assertThat(browser.text("#suppressed")).isEqualTo("0");
        browser.open("/emails");
        assertThat(browser.text("#sends")).contains(name);
    }

    @Test
    void aMarketerBuildsAContentBlockWithTheConditionBuilderAndEachProspectSeesItsOwnCaseEscaped() {
        long software = fx.prospect("<b>Ann</b>", "Software");
        long other = fx.prospect("Bo", "Healthcare");
        browser.open("/emails").follow("#new-template");
        String name = "Blocks " + fx.run;
        type("#name", name);
        type("#subject", "For {{first_name|you}}");
        type(
                "#html",
                "<html><body>{{block:story}}<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>");
        type("#text", "{{block:story}}\nUnsubscribe: {{unsubscribe_url}}");

        browser.follow("#add-block");
        assertThat(browser.find("#html").getAttribute("value")).contains("{{block:story}}");
        type("#block-0-name", "Story!");
        buildIndustryIs("#block-0-case-0", "Software");
        type("#block-0-case-0-html", "<p>Case study A for {{first_name|you}}</p>");
        type("#block-0-case-0-text", "Case study A for {{first_name|you}}");
        type("#block-0-default-html", "<p>Case study B</p>");
        type("#block-0-default-text", "Case study B");

        // a second case, moved above the first, then removed again: the first case keeps its condition and content
        browser.follow("#block-0 .add-case");
        type("#block-0-case-1-html", "<p>Second</p>");
        browser.follow("#block-0-case-1 .case-up");
        assertThat(browser.find("#block-0-case-0-html").getAttribute("value")).isEqualTo("<p>Second</p>");
        assertThat(browser.find("#block-0-case-1-html").getAttribute("value"))
                .isEqualTo("<p>Case study A for {{first_name|you}}</p>");
        browser.follow("#block-0-case-0 .remove-case");
        assertThat(browser.driver().findElements(By.cssSelector("#block-0 .block-case")))
                .hasSize(1);

        // the server's verdict is shown next to the field it concerns; nothing is stored
        browser.follow("#save-template");
        assertThat(browser.text("#block-0 .field-errors")).contains("must be a block name");
        assertThat(api.get("/api/v1/email/templates").body()).doesNotContain(name);
        browser.await(d -> !d.findElements(By.cssSelector("#block-0-case-0 .condition-builder[data-ready] .cb-leaf"))
                .isEmpty());

        type("#block-0-name", "story");
        browser.follow("#save-template");
        assertThat(browser.path()).matches("/emails/templates/\\d+\\?saved");
        long id = Long.parseLong(browser.path().replaceAll("\\D", ""));
        tools.jackson.databind.JsonNode block =
                api.get("/api/v1/email/templates/" + id).json().get("blocks").get(0);
        assertThat(block.get("name").asString()).isEqualTo("story");
        assertThat(block.get("cases")).hasSize(1);
        assertThat(block.get("cases").get(0).get("condition"))
                .isEqualTo(EmailFixtures.JSON.readTree(
                        "{\"all\":[{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"Software\"}]}"));
        assertThat(block.get("defaultHtml").asString()).isEqualTo("<p>Case study B</p>");

        // the saved block is shown in the editor again, condition included
        browser.await(d -> !d.findElements(By.cssSelector("#block-0-case-0 .condition-builder[data-ready] .cb-leaf"))
                .isEmpty());
        assertThat(browser.find("#block-0-case-0 .cb-leaf .cb-value").getAttribute("value"))
                .isEqualTo("Software");

        type("#preview-prospect", Long.toString(software));
        browser.follow("#preview");
        WebElement frame = browser.find("#preview-html");
        assertThat(frame.getAttribute("srcdoc"))
                .contains("Case study A for &lt;b&gt;Ann&lt;/b&gt;")
                .doesNotContain("Case study B");
        browser.driver().switchTo().frame(frame);
        assertThat(browser.driver().findElement(By.tagName("p")).getText()).isEqualTo("Case study A for <b>Ann</b>");
        assertThat(browser.driver().findElements(By.tagName("b"))).isEmpty();
        browser.driver().switchTo().defaultContent();
        assertThat(browser.text("#preview-text")).contains("Case study A for <b>Ann</b>");

        type("#preview-prospect", Long.toString(other));
        browser.follow("#preview");
        assertThat(browser.find("#preview-html").getAttribute("srcdoc"))
                .contains("<p>Case study B</p>")
                .doesNotContain("Case study A");
        assertThat(browser.text("#preview-text")).contains("Case study B").doesNotContain("Case study A");
    }

    /** Builds "industry is {value}" in the condition builder of one case. */
    private void buildIndustryIs(String scope, String value) {
        browser.await(d -> !d.findElements(By.cssSelector(scope + " .condition-builder[data-ready]"))
                .isEmpty());
        browser.find(scope + " .cb-add-condition").click();
        new org.openqa.selenium.support.ui.Select(browser.find(scope + " .cb-leaf .cb-field"))
                .selectByValue("industry");
        new org.openqa.selenium.support.ui.Select(browser.find(scope + " .cb-leaf .cb-op")).selectByValue("eq");
        browser.find(scope + " .cb-leaf .cb-value").sendKeys(value);
    }
}
