package dev.kindling.prospects.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class ProspectMergePagesIT {

    static final String XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    TestApi api;
    String token;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        token = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anAdminFindsTheDuplicateByEmailChoosesFieldsSideBySideConfirmsAndTheLosersPageRedirects() {
        long survivor = create("{\"email\":\"kay.%s@work-%s.example\",\"firstName\":\"Kay\",\"company\":\"Work %s\"}"
                .formatted(token, token, token));
        long loser = create("{\"email\":\"kay.%s@home-%s.example\",\"firstName\":\"Katherine\",\"jobTitle\":\"%s\"}"
                .formatted(token, token, XSS));

        browser.open("/prospects/" + survivor);
        browser.follow("#merge-with");
        browser.find("#merge-q").sendKeys("kay." + token + "@home");
        browser.follow("#merge-search button[type=submit]");
        assertThat(browser.driver().findElements(By.cssSelector("#merge-results tr[data-prospect-id]")))
                .as("the page's own prospect is not offered")
                .hasSize(1);
        browser.follow("#merge-results tr[data-prospect-id='" + loser + "'] a");

        // defaults: the most recent non-blank value (the loser was written last)
        assertThat(browser.find("tr[data-field=firstName] input[value=loser]").isSelected())
                .isTrue();
        assertThat(browser.find("tr[data-field=company] input[value=survivor]").isSelected())
                .as("the loser has no company")
                .isTrue();
        assertThat(browser.text("tr[data-field=jobTitle]"))
                .as("prospect data is shown as text")
                .contains(XSS);
        browser.find("tr[data-field=firstName] input[value=survivor]").click();
        browser.find("tr[data-field=email] input[value=survivor]").click();
        browser.find("#merge-understood").click();
        browser.follow("#merge-confirm");

        assertThat(browser.path()).isEqualTo("/prospects/" + survivor);
        assertThat(browser.text("#notice")).contains("Merged", "home-" + token);
        assertThat(browser.text("#prospect-name")).isEqualTo("Kay");
        assertThat(browser.text("#prospect-email")).isEqualTo("kay." + token + "@work-" + token + ".example");
        assertThat(browser.text("#fields")).contains("Work " + token, XSS);

        browser.open("/prospects/" + loser);
        assertThat(browser.path())
                .as("the loser's page redirects to the survivor")
                .isEqualTo("/prospects/" + survivor);
        assertThat(api.get("/api/v1/prospects/" + loser).status()).isEqualTo(308);
    }

    @Test
    void nothingIsMergedUntilTheConfirmationIsChecked() {
        long survivor = create("{\"email\":\"lou.%s@a-%s.example\"}".formatted(token, token));
        long loser = create("{\"email\":\"lou.%s@b-%s.example\"}".formatted(token, token));

        browser.open("/prospects/" + survivor + "/merge?with=" + loser);
        browser.find("#merge-confirm").click();

        assertThat(browser.path()).isEqualTo("/prospects/" + survivor + "/merge?with=" + loser);
        assertThat(api.get("/api/v1/prospects/" + loser).status()).isEqualTo(200);
        browser.open("/prospects/" + survivor + "/merge?with=999999999999");
        assertThat(browser.text("h1")).isEqualTo("Not found");
    }

    @Test
    void salesUsersSeeNoMergeActionAndCannotOpenOrPostTheMergePage() {
        long survivor = create("{\"email\":\"max.%s@a-%s.example\"}".formatted(token, token));
        long loser = create("{\"email\":\"max.%s@b-%s.example\"}".formatted(token, token));
        String email = "sales-" + token + "@merge-pages.example";
        assertThat(api.post("/api/v1/users", """
                {"email":"%s","name":"Sal","role":"SALES","password":"long-enough-password"}""".formatted(email)).status()).isEqualTo(201);
        browser.signedIn(email, "long-enough-password");

        browser.open("/prospects/" + survivor);
        assertThat(browser.driver().findElements(By.id("merge-with"))).isEmpty();
        browser.open("/prospects/" + survivor + "/merge?with=" + loser);
        assertThat(browser.driver().findElements(By.id("merge-form"))).isEmpty();
        assertThat(api.get("/api/v1/prospects/" + loser).status()).isEqualTo(200);
    }

    long create(String json) {
        return api.newProspect(json);
    }
}
