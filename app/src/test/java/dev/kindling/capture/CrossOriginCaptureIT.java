package dev.kindling.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The whole capture path as a real visitor takes it: a plain HTML site on another origin embeds
 * the tracking script and a form that posts to Kindling. The visitor browses two pages, then
 * submits the form; the new prospect owns the page views it made while still anonymous.
 */
@IntegrationTest
class CrossOriginCaptureIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    CaptureRateLimits rateLimits;

    private HttpServer site;
    private TestApi api;

    @BeforeEach
    void startTheCustomersWebsite() throws IOException {
        rateLimits.reset();
        api = new TestApi(port);
        // 127.0.0.1 is another origin (and another cookie host) than the app's localhost
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.start();
    }

    @AfterEach
    void stopTheWebsite() {
        site.stop(0);
    }

    private void page(String path, String html) {
        site.createContext(path, exchange -> {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    @Test
    void aFormPostedFromAnotherOriginCreatesTheProspectWithItsEarlierPageViews() {
        String app = "http://localhost:" + port;
        String origin = "http://127.0.0.1:" + site.getAddress().getPort();
        String key = "site-" + UUID.randomUUID().toString().substring(0, 8);
        String email = "visitor-" + UUID.randomUUID().toString().substring(0, 8) + "@prospect-site.example";
        assertThat(api.post("/api/v1/forms", """
                {"key":"%s","name":"Download the guide","fieldMapping":{"email":"email","first_name":"firstName","org":"company"},
                 "successUrl":"%s/thanks.html","completionActions":[]}""".formatted(key, origin)).status())
                .isEqualTo(201);
        String tracking = "<script src=\"" + app + "/t/kindling.js\"></script>";
        page("/pricing.html", "<!doctype html><title>Pricing</title><h1>Pricing</h1>" + tracking);
        page("/guide.html", """
                <!doctype html><title>The guide</title>
                <form id="guide" method="post" action="%s/f/%s">
                  <input name="email"><input name="first_name"><input name="org">
                  <button type="submit">Get it</button>
                </form>%s""".formatted(app, key, tracking));
        page("/thanks.html", "<!doctype html><title>Thanks</title><p>Thank you");

        browser.driver().get(origin + "/pricing.html?utm_source=newsletter&utm_campaign=q4");
        String visitor =
                browser.await(d -> d.manage().getCookieNamed("kindling_vid")).getValue();
        browser.driver().get(origin + "/guide.html");
        browser.await(d ->
                !d.findElements(By.cssSelector("input[name=kindling_visitor]")).isEmpty()
                        && visitor.equals(d.findElement(By.cssSelector("input[name=kindling_visitor]"))
                                .getDomProperty("value")));
        awaitPageViews(visitor, 2);

        browser.find("input[name=email]").sendKeys(email);
        browser.find("input[name=first_name]").sendKeys("Grace");
        browser.find("input[name=org]").sendKeys("Prospect Site Ltd");
        browser.find("#guide button").click();
        browser.await(d -> d.getCurrentUrl().equals(origin + "/thanks.html"));
        IntakeProgress.awaitDrained(api);

        JsonNode prospect = api.prospectByEmail(email);
        assertThat(prospect.get("firstName").asString()).isEqualTo("Grace");
        // captured by the form, engaged by the same form submit (an engaging activity)
        assertThat(prospect.get("stage").asString()).isEqualTo("ENGAGED");
        assertThat(prospect.get("lastActivityAt").isNull()).isFalse();
        JsonNode items = api.get("/api/v1/prospects/" + prospect.get("id").asLong() + "/activities")
                .json()
                .get("items");
        List<String> types = items.findValuesAsString("type");
        assertThat(types).containsExactlyInAnyOrder("FORM_SUBMIT", "PAGE_VIEW", "PAGE_VIEW");
        List<String> urls = items.findValues("properties").stream()
                .map(p -> p.has("url") ? p.get("url").asString() : "")
                .toList();
        assertThat(urls)
                .anyMatch(u -> u.equals(origin + "/pricing.html?utm_source=newsletter&utm_campaign=q4"))
                .anyMatch(u -> u.equals(origin + "/guide.html"));
        JsonNode pricingView = items.findValues("properties").stream()
                .filter(p -> p.has("utm_source"))
                .findFirst()
                .orElseThrow();
        assertThat(Map.of(
                        "source",
                        pricingView.get("utm_source").asString(),
                        "campaign",
                        pricingView.get("utm_campaign").asString()))
                .containsEntry("source", "newsletter")
                .containsEntry("campaign", "q4");
    }

    private void awaitPageViews(String visitor, int count) {
        await("the page views of visitor " + visitor)
                .atMost(Duration.ofSeconds(15))
                .until(() -> jdbcCount(visitor) >= count);
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private Long jdbcCount(String visitor) {
        return jdbc.sql("SELECT count(*) FROM activity WHERE visitor_id = :v AND type = 'PAGE_VIEW'")
                .param("v", visitor)
                .query(Long.class)
                .single();
    }
}
