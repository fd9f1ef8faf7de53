package dev.kindling.capture.forms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.TestSite;
import dev.kindling.support.UiSession;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Progressive profiling in a real browser: the embedded form asks a returning visitor only for what is not known. */
@IntegrationTest
class ProgressiveEmbedIT {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    CaptureRateLimits rateLimits;

    TestSite site;
    String run;
    String kindling;

    @BeforeEach
    void setUp() {
        rateLimits.reset();
        run = UUID.randomUUID().toString().substring(0, 8);
        site = TestSite.start(port);
        kindling = site.kindling();
    }

    @AfterEach
    void tearDown() {
        site.close();
    }

    @Test
    void aReturningVisitorIsAskedOnlyForTheFieldsNotYetKnown() {
        String key = "returning-" + run;
        String thanks = site.page("/thanks-" + run + ".html", "<p id=\"thanks\">Thank you</p>");
        UiSession ui = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        ui.open("/forms/new");
        TestApi.Response saved = ui.postForm(
                "/forms",
                "name=Returning+" + run + "&key=" + key
                        + "&fieldName=email&fieldLabel=Email&fieldTarget=email&fieldType=email&fieldRequired=yes&fieldMessage="
                        + "&fieldName=first&fieldLabel=First&fieldTarget=firstName&fieldType=text&fieldRequired=yes&fieldMessage="
                        + "&fieldName=title&fieldLabel=Title&fieldTarget=jobTitle&fieldType=text&fieldRequired=no&fieldMessage="
                        + "&successUrl=" + UiSession.encode(thanks) + "&progressive=on");
        assertThat(saved.status()).as(saved.body()).isEqualTo(302);
        String landing = site.page(
                "/signup-" + run + ".html",
                "<script async src=\"" + kindling + "/f/embed.js\" data-form=\"" + key + "\"></script>");
        String home = site.page("/home-" + run + ".html", "<p>Welcome</p>");

        browser.at(port);
        browser.driver().manage().deleteAllCookies();
        browser.driver().get(home);
        browser.await(d -> d.manage().getCookieNamed("kindling_vid") != null);
        browser.driver().get(landing);
        browser.await(d -> !d.findElements(By.id("kindling-" + key + "-first")).isEmpty());
        browser.find("#kindling-" + key + "-email").sendKeys("returning-" + run + "@embed.example");
        browser.find("#kindling-" + key + "-first").sendKeys("Rei");
        browser.find("form[data-kindling-form] button[type=submit]").click();
        browser.await(d -> !d.findElements(By.id("thanks")).isEmpty());

        browser.driver().get(landing);
        browser.await(d -> !d.findElements(By.id("kindling-" + key + "-email")).isEmpty());
        assertThat(browser.driver().findElements(By.id("kindling-" + key + "-first")))
                .isEmpty();
        browser.find("#kindling-" + key + "-email").sendKeys("returning-" + run + "@embed.example");
        browser.find("#kindling-" + key + "-title").sendKeys("CTO");
        browser.find("form[data-kindling-form] button[type=submit]").click();
        browser.await(d -> !d.findElements(By.id("thanks")).isEmpty());
        var prospect = new TestApi(port).prospectByEmail("returning-" + run + "@embed.example");
        assertThat(prospect.get("firstName").asString()).isEqualTo("Rei");
        assertThat(prospect.get("jobTitle").asString()).isEqualTo("CTO");
    }
}
