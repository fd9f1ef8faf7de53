package dev.kindling.prospects.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.TestApi;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** What the prospect list tests share: prospects with a score, and the emails the list shows in order. */
final class ProspectListPage {

    private ProspectListPage() {}

    /** Creates {@code first-run@domain} with the company "{company} {run}" and adjusts its score; returns its id. */
    static long scoredProspect(TestApi admin, String first, String run, String domain, String company, int score) {
        long id = admin.post("/api/v1/prospects", """
                {"email":"%s-%s@%s","firstName":"%s","company":"%s %s"}""".formatted(first, run, domain, first, company, run))
                .json()
                .get("id")
                .asLong();
        assertThat(admin.post("/api/v1/prospects/" + id + "/score/adjust", """
                {"delta":%d,"reason":"list test"}""".formatted(score))
                        .status())
                .isLessThan(300);
        return id;
    }

    /** The emails of the rows the list shows, top to bottom. */
    static List<String> shownEmails(Browser browser) {
        return browser
                .driver()
                .findElements(By.cssSelector("#prospects tbody tr[data-prospect-id] td:nth-child(3)"))
                .stream()
                .map(WebElement::getText)
                .toList();
    }
}
