package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class ShellIT {

    static final String ADMIN = "admin@kindling.local";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    TestApi http;

    @BeforeEach
    void setUp() {
        browser.at(port);
        http = new TestApi(port, null);
    }

    @Test
    void adminSignsInAndSeesTheHomePageWithCounts() {
        browser.signIn(ADMIN, TestApi.ADMIN_PASSWORD);

        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.text("h1")).isEqualTo("Home");
        assertThat(browser.text(".topbar .who-email")).isEqualTo(ADMIN);
        assertThat(browser.text("#count-prospects")).matches("[0-9,]+");
        assertThat(browser.text("#count-intake-pending")).matches("[0-9,]+");
        assertThat(browser.driver().findElements(By.cssSelector("#stages tbody tr")).stream()
                        .map(r -> r.getText()))
                .anySatisfy(row -> assertThat(row).startsWith("Captured"));
    }

    @Test
    void aWrongPasswordShowsAnError() {
        browser.signIn(ADMIN, "not-the-password");

        assertThat(browser.path()).isEqualTo("/login?error");
        assertThat(browser.text(".alert-error")).contains("Wrong email or password");
    }

    @Test
    void anUnauthenticatedVisitIsSentToTheSignInPage() {
        browser.open("/prospects");

        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.text("h1")).isEqualTo("Sign in");
    }

    @Test
    void signingOutEndsTheSessionWithANotice() {
        browser.signIn(ADMIN, TestApi.ADMIN_PASSWORD);

        browser.follow(".logout button");

        assertThat(browser.path()).isEqualTo("/login?logout");
        assertThat(browser.text(".alert-info")).contains("signed out");
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/login");
    }

    @Test
    void everyNavigationLinkAnswersForTheAdmin() {
        browser.signedIn(ADMIN, TestApi.ADMIN_PASSWORD);
        List<String> links = browser.driver().findElements(By.cssSelector(".sidebar nav a")).stream()
                .map(a -> a.getDomAttribute("href"))
                .toList();

        assertThat(links).hasSize(Navigation.pages().size() + 1);
        for (String link : links) {
            var response = http.send(http.request(link)
                    .header("Cookie", browser.cookieHeader())
                    .GET()
                    .build());
            assertThat(response.status()).as(link).isEqualTo(200);
            assertThat(response.body()).as(link).contains("class=\"sidebar\"");
        }
    }

    @Test
    void everyNavigationEntryIsARealPageNotAPlaceholder() {
        assertThat(Navigation.pages())
                .allSatisfy(page -> assertThat(page.built()).as(page.path()).isTrue());
        browser.signedIn(ADMIN, TestApi.ADMIN_PASSWORD);

        browser.follow(".sidebar a[href='/settings/custom-fields']");

        assertThat(browser.text("h1")).isEqualTo("Custom fields");
        assertThat(browser.driver().findElements(By.cssSelector(".placeholder")))
                .isEmpty();
        WebElement active = browser.find(".sidebar a.active");
        assertThat(active.getText()).isEqualTo("Custom fields");
    }

    @Test
    void htmxIsServedAndLoadsUnderTheContentSecurityPolicy() {
        var script = http.get("/webjars/htmx.org/dist/htmx.min.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).contains("javascript");

        browser.signedIn(ADMIN, TestApi.ADMIN_PASSWORD);
        Object htmx = ((JavascriptExecutor) browser.driver()).executeScript("return typeof window.htmx");
        assertThat(htmx).isEqualTo("object");
        // the page links it with its version (the WebJars resource handler rewrites the link); the app's own static
        // files and pages are linked as written
        assertThat(browser.find("script[src*='htmx']").getDomAttribute("src"))
                .matches("/webjars/htmx\\.org/[0-9][^/]*/dist/htmx\\.min\\.js");
        assertThat(browser.find("link[rel='stylesheet']").getDomAttribute("href"))
                .isEqualTo("/css/kindling.css");
        assertThat(browser.find(".sidebar a.brand").getDomAttribute("href")).isEqualTo("/");
    }

    /**
     * Browsers keep the static files: the WebJars' (their paths carry the version) for a year, the app's own (their
     * names stay across versions) checked again on each use and answered 304 while unchanged; pages are not stored.
     */
    @Test
    void staticFilesAreKeptByBrowsersAndPagesAreNot() {
        String page = UiSession.signedIn(port, ADMIN, TestApi.ADMIN_PASSWORD)
                .open("/")
                .body();
        Matcher htmx = Pattern.compile("src=\"(/webjars/htmx\\.org/[^\"]+)\"").matcher(page);
        assertThat(htmx.find()).as("the page links htmx").isTrue();

        TestApi.Response script = http.get(htmx.group(1));
        assertThat(script.status()).isEqualTo(200);
        assertThat(header(script, "Cache-Control")).isEqualTo("max-age=31536000, public");

        TestApi.Response css = http.get("/css/kindling.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(header(css, "Cache-Control")).isEqualTo("no-cache");
        TestApi.Response unchanged = http.send(http.request("/css/kindling.css")
                .header("If-Modified-Since", header(css, "Last-Modified"))
                .GET()
                .build());
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(header(http.get("/img/kindling.svg"), "Cache-Control")).isEqualTo("no-cache");
        assertThat(header(http.get("/js/live-region.js"), "Cache-Control")).isEqualTo("no-cache");

        assertThat(header(http.get("/login"), "Cache-Control")).contains("no-store");
    }

    private static String header(TestApi.Response response, String name) {
        return response.raw().headers().firstValue(name).orElse("");
    }

    @Test
    void unknownPagesAnswerWithANotFoundPage() {
        browser.signedIn(ADMIN, TestApi.ADMIN_PASSWORD);
        var response = http.send(http.request("/no-such-page")
                .header("Cookie", browser.cookieHeader())
                .header("Accept", "text/html")
                .GET()
                .build());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("There is no such page");
    }
}
