package dev.kindling.programs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The prospect list's bulk action "Add to program", in headless Chromium. */
@IntegrationTest
class ProgramSelectionPagesIT {

    static final String PASSWORD = "long-enough-password";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void aMarketerEnrollsTheTickedProspectsInARunningProgramAndAProgramNotRunningIsRefused() {
        TestApi admin = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Long> ids = List.of(prospect(admin, "ada", run), prospect(admin, "bob", run), prospect(admin, "cyd", run));
        long running = program(admin, "Nurture " + run);
        assertThat(admin.post("/api/v1/programs/" + running + "/start", "").status())
                .isEqualTo(200);
        long draft = program(admin, "Draft " + run);

        TestApi.User marketer = admin.user("MARKETING", PASSWORD);
        browser.at(port).signedIn(marketer.email(), PASSWORD);
        browser.open("/prospects?q=" + run);
        // only running programs are offered
        assertThat(new Select(browser.find("#bulk-program"))
                        .getOptions().stream()
                                .map(o -> o.getDomAttribute("value"))
                                .toList())
                .contains(Long.toString(running))
                .doesNotContain(Long.toString(draft));
        browser.find("tr[data-prospect-id='" + ids.get(0) + "'] .select-prospect")
                .click();
        browser.find("tr[data-prospect-id='" + ids.get(2) + "'] .select-prospect")
                .click();
        new Select(browser.find("#bulk-program")).selectByValue(Long.toString(running));
        browser.follow("#bulk-add-to-program");

        assertThat(browser.path()).isEqualTo("/programs/" + running);
        assertThat(browser.text("#enrollments"))
                .contains("ada-" + run, "cyd-" + run)
                .doesNotContain("bob-" + run);
        assertThat(enrolled(admin, running)).containsExactlyInAnyOrder(ids.get(0), ids.get(2));

        // a program that is not running takes no one
        UiSession session = UiSession.signedIn(port, marketer.email(), PASSWORD);
        session.open("/prospects?q=" + run);
        TestApi.Response refused =
                session.postForm("/prospects/bulk/program", "id=" + ids.get(1) + "&programId=" + draft);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(enrolled(admin, draft)).isEmpty();
        // a viewer may not enroll anyone
        TestApi.User viewer = admin.user("VIEWER", PASSWORD);
        UiSession viewerSession = UiSession.signedIn(port, viewer.email(), PASSWORD);
        viewerSession.open("/prospects?q=" + run);
        TestApi.Response forbidden =
                viewerSession.postForm("/prospects/bulk/program", "id=" + ids.get(1) + "&programId=" + running);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(enrolled(admin, running)).doesNotContain(ids.get(1));
    }

    private static long prospect(TestApi api, String first, String run) {
        return api.post("/api/v1/prospects", """
                {"email":"%s-%s@enrol.example","firstName":"%s"}""".formatted(first, run, first))
                .json()
                .get("id")
                .asLong();
    }

    private static long program(TestApi api, String name) {
        return TestApi.created(api.post("/api/v1/programs", """
                {"name":"%s","start":"hold","steps":[{"id":"hold","type":"WAIT","days":30,"next":"end"},
                {"id":"end","type":"END"}]}""".formatted(name)));
    }

    private static List<Long> enrolled(TestApi api, long program) {
        return api.get("/api/v1/programs/" + program + "/enrollments")
                .json()
                .get("items")
                .valueStream()
                .map(e -> e.get("prospectId").asLong())
                .toList();
    }
}
