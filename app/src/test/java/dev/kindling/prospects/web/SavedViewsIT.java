package dev.kindling.prospects.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class SavedViewsIT {

    static final String PASSWORD = "long-enough-password";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi admin;
    String run;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        for (long id : List.of(prospect("ada", 30), prospect("bob", 10), prospect("cyd", 20))) {
            jdbc.sql("UPDATE prospect SET stage = 'ENGAGED' WHERE id = :id")
                    .param("id", id)
                    .update();
        }
        prospect("dan", 40); // left captured: the stage filter leaves it out
    }

    long prospect(String first, int score) {
        return ProspectListPage.scoredProspect(admin, first, run, "views.example", "Views", score);
    }

    List<String> shownEmails() {
        return ProspectListPage.shownEmails(browser);
    }

    List<String> viewNames() {
        return browser.driver().findElements(By.cssSelector("#saved-views .saved-view a")).stream()
                .map(WebElement::getText)
                .toList();
    }

    @Test
    void aUserSavesTheFilteredSortedListAsAViewAppliesItLaterAndDeletesIt() {
        TestApi.User sales = admin.user("SALES", PASSWORD);
        browser.at(port).signedIn(sales.email(), PASSWORD);
        browser.open("/prospects?q=" + run);
        assertThat(shownEmails()).hasSize(4);
        new Select(browser.find("#stage")).selectByValue("ENGAGED");
        browser.follow("form.filters button[type=submit]");
        browser.follow("#prospects th[data-sort='score'] a");
        browser.follow("#prospects th[data-sort='score'] a");
        String path = browser.path();
        assertThat(path).contains("q=" + run, "stage=ENGAGED", "sort=score", "dir=desc");
        List<String> sorted = shownEmails();
        assertThat(sorted)
                .containsExactly(
                        "ada-" + run + "@views.example",
                        "cyd-" + run + "@views.example",
                        "bob-" + run + "@views.example");

        String name = "Top scored " + run;
        browser.find("#name").sendKeys(name);
        browser.follow("#save-view-button");
        assertThat(viewNames()).contains(name);

        browser.open("/prospects");
        assertThat(browser.path()).isEqualTo("/prospects");
        browser.follow("#saved-views a[href*='" + run + "']");
        assertThat(browser.path()).contains("q=" + run, "stage=ENGAGED", "sort=score", "dir=desc");
        assertThat(new Select(browser.find("#stage")).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("ENGAGED");
        assertThat(browser.find("#prospects th[data-sort='score']").getAttribute("aria-sort"))
                .isEqualTo("descending");
        assertThat(shownEmails()).isEqualTo(sorted);

        browser.follow("#saved-views button[aria-label='Delete view " + name + "']");
        assertThat(browser.path()).isEqualTo("/prospects");
        assertThat(viewNames()).doesNotContain(name);
    }

    @Test
    void aViewIsItsOwnersOnlyAHostileNameIsShownAsTextAndAnOverLongNameIsRefusedAtTheField() {
        TestApi.User owner = admin.user("MARKETING", PASSWORD);
        TestApi.User other = admin.user("INSIDE_SALES", PASSWORD);
        UiSession mine = UiSession.signedIn(port, owner.email(), PASSWORD);
        mine.open("/prospects?q=" + run);

        String hostile = "<script>alert('" + run + "')</script>";
        TestApi.Response saved = mine.postForm(
                "/prospects/views",
                "name=" + UiSession.encode(hostile) + "&query="
                        + UiSession.encode("q=" + run + "&sort=email&dir=desc&evil=%3Cb%3E&page=3"));
        assertThat(saved.status()).isEqualTo(302);
        // this run's prospects only: the whole list may show other classes' prospects (one of them "…-evil@…")
        String page = mine.open("/prospects?q=" + run).body();
        assertThat(page)
                .contains("&lt;script&gt;alert(&#39;" + run + "&#39;)&lt;/script&gt;")
                .doesNotContain(hostile)
                .contains("/prospects?q=" + run + "&amp;sort=email&amp;dir=desc\"")
                .doesNotContain("evil")
                .doesNotContain("page=3");

        UiSession theirs = UiSession.signedIn(port, other.email(), PASSWORD);
        assertThat(theirs.open("/prospects").body())
                .doesNotContain("alert(&#39;" + run)
                .doesNotContain("saved-views");
        String viewId = page.replaceAll("(?s).*/prospects/views/(\\d+)/delete.*", "$1");
        assertThat(theirs.postForm("/prospects/views/" + viewId + "/delete", "").status())
                .isEqualTo(404);
        assertThat(mine.open("/prospects").body()).contains("&lt;script&gt;alert(&#39;" + run);

        TestApi.Response tooLong =
                mine.postForm("/prospects/views", "name=" + "x".repeat(81) + "&query=" + UiSession.encode("q=" + run));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body())
                .containsPattern("id=\"name\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"name\"")
                .containsPattern("id=\"name-error\">must be at most 80 characters<");
        assertThat(mine.postForm("/prospects/views", "name=" + UiSession.encode(hostile.toUpperCase()) + "&query=")
                        .status())
                .isEqualTo(409);
        assertThat(mine.open("/prospects").body()).doesNotContain("x".repeat(81));
    }
}
