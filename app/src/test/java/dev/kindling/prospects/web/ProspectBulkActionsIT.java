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
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class ProspectBulkActionsIT {

    static final String PASSWORD = "long-enough-password";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    TestApi admin;
    String run;
    List<Long> ids;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        ids = List.of(prospect("ada", 30), prospect("bob", 10), prospect("cyd", 20));
    }

    long prospect(String first, int score) {
        return ProspectListPage.scoredProspect(admin, first, run, "bulk.example", "Bulk", score);
    }

    List<String> shownEmails() {
        return ProspectListPage.shownEmails(browser);
    }

    @Test
    void sortingByAColumnKeepsTheSearchInTheUrlAndClickingAgainReversesIt() {
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/prospects?q=" + run);
        browser.follow("#prospects th[data-sort='score'] a");
        assertThat(browser.path()).contains("q=" + run).contains("sort=score").contains("dir=asc");
        assertThat(browser.find("#prospects th[data-sort='score']").getAttribute("aria-sort"))
                .isEqualTo("ascending");
        assertThat(shownEmails())
                .containsExactly(
                        "bob-" + run + "@bulk.example", "cyd-" + run + "@bulk.example", "ada-" + run + "@bulk.example");
        browser.follow("#prospects th[data-sort='score'] a");
        assertThat(browser.path()).contains("dir=desc");
        assertThat(shownEmails().getFirst()).isEqualTo("ada-" + run + "@bulk.example");

        // the bookmarked URL shows the same; the search form keeps the order
        browser.open("/prospects?q=" + run + "&sort=email&dir=desc");
        assertThat(shownEmails().getFirst()).startsWith("cyd-");
        browser.follow("form.filters button[type=submit]");
        assertThat(browser.path()).contains("sort=email").contains("dir=desc");
        // an unknown column is the default order, never an error
        browser.open("/prospects?q=" + run + "&sort=password;drop&dir=sideways");
        assertThat(shownEmails()).hasSize(3);
    }

    @Test
    void aMarketerAddsTheSelectionToAStaticListAndExportsIt() {
        long list = admin.post("/api/v1/lists", "{\"name\":\"Bulk " + run + "\",\"kind\":\"STATIC\"}")
                .json()
                .get("id")
                .asLong();
        TestApi.User marketer = admin.user("MARKETING", PASSWORD);
        browser.at(port).signedIn(marketer.email(), PASSWORD);
        browser.open("/prospects?q=" + run);
        browser.find("tr[data-prospect-id='" + ids.get(0) + "'] .select-prospect")
                .click();
        browser.find("tr[data-prospect-id='" + ids.get(2) + "'] .select-prospect")
                .click();
        new Select(browser.find("#bulk-list")).selectByValue(Long.toString(list));
        browser.follow("#bulk-add-to-list");
        assertThat(browser.path()).isEqualTo("/lists/" + list);
        assertThat(admin.get("/api/v1/lists/" + list + "/members").body())
                .contains("ada-" + run, "cyd-" + run)
                .doesNotContain("bob-" + run);

        UiSession session = UiSession.signedIn(port, marketer.email(), PASSWORD);
        session.open("/prospects?q=" + run);
        TestApi.Response csv = session.postForm("/prospects/export.csv", "id=" + ids.get(1) + "&id=" + ids.get(0));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body().lines().toList())
                .hasSize(3)
                .first()
                .isEqualTo("id,email,first_name,last_name,company,stage,score,grade,last_activity_at");
        assertThat(csv.body()).contains("ada-" + run, "bob-" + run).doesNotContain("cyd-" + run);
        assertThat(session.postForm("/prospects/export.csv", "").status()).isEqualTo(400);
    }

    @Test
    void onlyAnAdminOrTheTeamsManagerChangesTheOwnerOfTheSelectionAndTheListComesBackWithItsFilters() {
        TestApi.User rep = admin.user("SALES", null);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/prospects?q=" + run + "&sort=score&dir=desc");
        browser.find("tr[data-prospect-id='" + ids.get(1) + "'] .select-prospect")
                .click();
        browser.find("tr[data-prospect-id='" + ids.get(2) + "'] .select-prospect")
                .click();
        new Select(browser.find("#bulk-owner")).selectByValue(Long.toString(rep.id()));
        browser.follow("#bulk-change-owner");
        assertThat(browser.path()).contains("q=" + run).contains("sort=score").contains("dir=desc");
        for (long id : List.of(ids.get(1), ids.get(2))) {
            assertThat(admin.get("/api/v1/prospects/" + id)
                            .json()
                            .get("ownerId")
                            .asLong())
                    .isEqualTo(rep.id());
        }
        assertThat(admin.get("/api/v1/prospects/" + ids.get(0))
                        .json()
                        .get("ownerId")
                        .isNull())
                .isTrue();

        TestApi.User marketer = admin.user("MARKETING", PASSWORD);
        UiSession session = UiSession.signedIn(port, marketer.email(), PASSWORD);
        session.open("/prospects?q=" + run);
        assertThat(session.postForm("/prospects/bulk/owner", "id=" + ids.get(0) + "&userId=" + rep.id())
                        .status())
                .isEqualTo(403);
        assertThat(admin.get("/api/v1/prospects/" + ids.get(0))
                        .json()
                        .get("ownerId")
                        .isNull())
                .isTrue();
    }
}
