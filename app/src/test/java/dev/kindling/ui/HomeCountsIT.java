package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The home page's count of every prospect follows a capture. */
@IntegrationTest
// alone among the shared context's classes: counts every prospect (a merge or an erasure beside it deletes some)
@ResourceLock(IntegrationTest.SHARED_DATA)
class HomeCountsIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void homeCountsProspectsByStage() {
        browser.at(port);
        long before = Long.parseLong(browser.signedIn(ShellIT.ADMIN, TestApi.ADMIN_PASSWORD)
                .text("#count-prospects")
                .replace(",", ""));
        new TestApi(port).post("/api/v1/prospects", "{\"email\":\"home-count@counting.example\"}");

        long after = Long.parseLong(browser.open("/").text("#count-prospects").replace(",", ""));

        assertThat(after).isGreaterThanOrEqualTo(before + 1); // the intake may still make prospects of earlier tests
    }
}
