package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class VisitorPagesIT {

    static final String ADMIN = "admin@kindling.local";
    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";

    @LocalServerPort
    int port;

    TestApi api;
    UiSession ui;
    String visitor;

    @BeforeEach
    void setUp() {
        api = new TestApi(port, null);
        ui = UiSession.signedIn(port, ADMIN, TestApi.ADMIN_PASSWORD);
        visitor = "v" + UUID.randomUUID().toString().replace("-", "");
    }

    void view(String url, String referrer, String utmSource) {
        var sent = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/t/collect"))
                .header("Content-Type", "text/plain")
                .header("User-Agent", BROWSER)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"visitorId":"%s","url":"%s","title":"<script>alert(1)</script>","referrer":"%s","utm_source":"%s"}""".formatted(visitor, url, referrer, utmSource)))
                .build());
        assertThat(sent.status()).as(sent.body()).isEqualTo(204);
    }

    @Test
    void anAnonymousVisitorIsListedWithItsPageViewsReferrerAndSource() {
        view("https://www.example.com/?utm_source=newsletter", "https://search.example/q", "newsletter");
        view("https://www.example.com/pricing", "https://www.example.com/", "newsletter");

        String list = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> ui.open("/visitors?show=anonymous").body(),
                        body -> body.contains(visitor.substring(0, 11)));
        assertThat(list).contains("https://search.example/q").contains("newsletter");
        String page = ui.open("/visitors/" + visitor).body();
        assertThat(page)
                .contains("https://www.example.com/pricing")
                .contains("anonymous")
                .doesNotContain("<script>alert(1)</script>");
        assertThat(ui.open("/visitors/no-such-visitor-000000").status()).isEqualTo(404);
    }
}
