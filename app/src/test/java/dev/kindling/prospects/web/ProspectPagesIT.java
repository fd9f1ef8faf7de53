package dev.kindling.prospects.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.prospects.Prospects;
import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class ProspectPagesIT {

    static final String XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ActivityIntake intake;

    @Autowired
    Prospects prospects;

    TestApi api;
    String token;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        token = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void findsAProspectByLiveSearchAndOpensItsPage() {
        long id = create("""
                {"email":"grace.%s@navy-labs.example","firstName":"Grace","lastName":"Hopper","company":"Navy Labs %s",
                 "jobTitle":"Rear Admiral","country":"US","employees":1200}""".formatted(token, token));

        browser.open("/prospects");
        browser.find("#q").sendKeys("Navy Labs " + token);
        browser.await(d -> d.getCurrentUrl().replace("%20", "+").contains("q=Navy+Labs+" + token));
        browser.await(d -> d.findElements(By.cssSelector("#prospects tbody tr[data-prospect-id]"))
                        .size()
                == 1);
        assertThat(browser.text("#prospects tbody tr[data-prospect-id]")).contains("Grace Hopper", "Captured");

        browser.follow("#prospects tbody tr[data-prospect-id] a");

        assertThat(browser.path()).isEqualTo("/prospects/" + id);
        assertThat(browser.text("#prospect-name")).isEqualTo("Grace Hopper");
        assertThat(browser.text("#prospect-email")).isEqualTo("grace." + token + "@navy-labs.example");
        assertThat(browser.text("#prospect-stage")).isEqualTo("Captured");
        assertThat(browser.text("#fields")).contains("Rear Admiral", "Navy Labs " + token, "US", "1200");
        assertThat(browser.text("#derived")).contains("navy-labs.example");
        List<WebElement> history = browser.driver().findElements(By.cssSelector("#stage-history tbody tr"));
        assertThat(history).hasSize(1);
        assertThat(history.getFirst().getText()).contains("CAPTURED", "api");
        browser.screenshot("prospect-page");
    }

    @Test
    void searchAndStageFilterWorkAsAPlainFormWithoutJavaScript() {
        long engaged =
                create("{\"email\":\"one.%s@filter.example\",\"company\":\"Filter %s\"}".formatted(token, token));
        create("{\"email\":\"two.%s@filter.example\",\"company\":\"Filter %s\"}".formatted(token, token));
        jdbc.sql("UPDATE prospect SET stage = 'ENGAGED' WHERE id = :id")
                .param("id", engaged)
                .update();

        var all = page("/prospects?q=Filter+" + token);
        var onlyEngaged = page("/prospects?q=Filter+" + token + "&stage=ENGAGED");

        assertThat(all.body()).contains("one." + token, "two." + token);
        assertThat(onlyEngaged.body()).contains("one." + token).doesNotContain("two." + token);
        assertThat(onlyEngaged.body()).contains("<option value=\"ENGAGED\" selected=\"selected\">");
    }

    @Test
    void searchMatchesPercentAndUnderscoreLiterally() {
        create("{\"email\":\"x%s_a@literal.example\"}".formatted(token));
        create("{\"email\":\"x%sza@literal.example\"}".formatted(token));

        var underscore = page("/prospects?q=" + token + "_");
        var percent = page("/prospects?q=x" + token + "%25a");

        assertThat(underscore.body()).contains("x" + token + "_a@").doesNotContain("x" + token + "za@");
        assertThat(percent.body()).doesNotContain("x" + token + "_a@").doesNotContain("x" + token + "za@");
    }

    @Test
    void listsFiftyProspectsAPageNewestFirst() {
        List<String> emails = IntStream.rangeClosed(1, 53)
                .mapToObj(i -> "page%02d.%s@paging.example".formatted(i, token))
                .toList();
        for (String email : emails) {
            prospects.ensureExist(List.of(email), "test", Instant.parse("2026-01-01T00:00:00Z"));
        }

        browser.open("/prospects?q=." + token + "%40paging");
        assertThat(browser.driver().findElements(By.cssSelector("#prospects tbody tr[data-prospect-id]")))
                .hasSize(50);
        assertThat(browser.text("#prospects tbody tr:first-child")).contains("page53.");
        browser.follow(".pager a[rel=next]");

        List<WebElement> second =
                browser.driver().findElements(By.cssSelector("#prospects tbody tr[data-prospect-id]"));
        assertThat(second).hasSize(3);
        assertThat(second.getLast().getText()).contains("page01.");
        assertThat(browser.driver().findElements(By.cssSelector(".pager a[rel=next]")))
                .isEmpty();
        assertThat(browser.find(".pager a[rel=prev]").getDomAttribute("href")).contains("page=1");
        browser.screenshot("prospect-list");
    }

    @Test
    void timelineShowsActivitiesNewestFirstWithWhatHappened() {
        long id = create("{\"email\":\"timeline.%s@history.example\"}".formatted(token));
        intake.accept(List.of(
                activity(
                        id,
                        ActivityType.PAGE_VIEW,
                        "2026-03-01T10:00:00Z",
                        Map.of("url", "https://history.example/pricing", "title", "Pricing")),
                activity(id, ActivityType.FORM_SUBMIT, "2026-03-02T11:30:00Z", Map.of("formName", "Contact us")),
                activity(id, ActivityType.EMAIL_OPEN, "2026-02-27T08:00:00Z", Map.of("subject", "Welcome aboard"))));

        browser.open("/prospects/" + id);

        List<String> lines = browser.driver().findElements(By.cssSelector("#timeline .timeline-item")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("2026-03-02 11:30", "Form submit", "Contact us");
        assertThat(lines.get(1)).contains("Page view", "https://history.example/pricing", "Pricing");
        assertThat(lines.get(2)).contains("Email open", "Welcome aboard");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript("arguments[0].scrollIntoView()", browser.find("#timeline"));
        browser.screenshot("prospect-timeline");
    }

    @Test
    void visitorHistoryShowsLinkedBrowsersAndTheirPageViews() {
        long id = create("{\"email\":\"visits.%s@history.example\"}".formatted(token));
        String visitor = "v-" + token;
        Timestamp seen = Timestamp.from(Instant.parse("2026-04-01T09:00:00Z"));
        jdbc.sql("""
                        INSERT INTO visitor (id, prospect_id, stage, first_seen_at, last_seen_at, user_agent, linked_at)
                        VALUES (:id, :prospect, 'CAPTURED', :seen, :seen, 'Mozilla/5.0 (Test Browser)', :seen)""")
                .param("id", visitor)
                .param("prospect", id)
                .param("seen", seen)
                .update();
        intake.accept(List.of(new NewActivity(
                "pv-" + token,
                null,
                null,
                visitor,
                ActivityType.PAGE_VIEW,
                null,
                Instant.parse("2026-04-01T09:01:00Z"),
                null,
                Map.of("url", "https://history.example/docs", "title", "Docs"),
                false)));

        browser.open("/prospects/" + id);

        WebElement section = browser.find("article.visitor[data-visitor-id='" + visitor + "']");
        assertThat(section.getText())
                .contains(
                        visitor,
                        "Mozilla/5.0 (Test Browser)",
                        "First seen 2026-04-01 09:00",
                        "https://history.example/docs",
                        "Docs");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript("arguments[0].scrollIntoView()", section);
        browser.screenshot("prospect-visitors");
    }

    @Test
    void anUnknownProspectIsANotFoundPage() {
        var missing = page("/prospects/987654321");
        var notANumber = page("/prospects/abc");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("There is no such prospect.", "class=\"sidebar\"");
        assertThat(notANumber.status()).isEqualTo(404);
    }

    @Test
    void markupInProspectDataIsShownAsTextOnTheListAndThePage() {
        long id = create("""
                {"email":"xss.%s@hostile.example","firstName":"%s","company":"<b>Bold %s</b>"}""".formatted(token, XSS.replace("\"", "\\\""), token));

        browser.open("/prospects?q=xss." + token);
        assertShownAsText();
        assertThat(browser.text("#prospects tbody tr[data-prospect-id] a")).startsWith("<script>alert(1)</script>");

        browser.open("/prospects/" + id);
        assertShownAsText();
        assertThat(browser.text("#prospect-name")).startsWith(XSS);
        assertThat(browser.driver().getTitle()).startsWith(XSS);
    }

    private void assertShownAsText() {
        String source = browser.driver().getPageSource();
        assertThat(source)
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;")
                .contains("&lt;b&gt;Bold " + token);
        assertThat(browser.driver().findElements(By.cssSelector("img[onerror], b")))
                .isEmpty();
        assertThat(browser.driver().findElements(By.tagName("script")))
                .allSatisfy(s -> assertThat(s.getDomProperty("innerHTML")).doesNotContain("alert"));
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    private long create(String json) {
        return api.newProspect(json);
    }

    private TestApi.Response page(String path) {
        TestApi http = new TestApi(port, null);
        return http.send(http.request(path)
                .header("Cookie", browser.cookieHeader())
                .header("Accept", "text/html")
                .GET()
                .build());
    }

    private NewActivity activity(long prospectId, ActivityType type, String at, Map<String, String> properties) {
        return new NewActivity(
                type + "-" + at + "-" + token,
                prospectId,
                null,
                null,
                type,
                null,
                Instant.parse(at),
                null,
                properties,
                false);
    }
}
