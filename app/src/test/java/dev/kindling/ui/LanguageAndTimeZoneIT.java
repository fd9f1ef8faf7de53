package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class LanguageAndTimeZoneIT {

    static final String PASSWORD = "long-enough-password";

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    TestApi admin;
    String run;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aUserSwitchesToJapaneseAndTokyoTimeFromTheUserMenuAndSeesTheNavigationStagesAndTimesSo() {
        var prospect = admin.post("/api/v1/prospects", "{\"email\":\"jp-" + run + "@tokyo.example\"}")
                .json();
        TestApi.User marketer = admin.user("MARKETING", PASSWORD);
        browser.at(port).signedIn(marketer.email(), PASSWORD);
        assertThat(browser.text("nav a[href='/campaigns']")).isEqualTo("Campaigns");
        assertThat(browser.text("#user-settings")).isEqualTo("English · UTC");

        browser.follow("#user-settings");
        new Select(browser.find("#language")).selectByValue("ja");
        new Select(browser.find("#timeZone")).selectByValue("Asia/Tokyo");
        browser.follow("#save-me");

        assertThat(browser.find("html").getAttribute("lang")).isEqualTo("ja");
        assertThat(browser.text("h1")).isEqualTo("言語とタイムゾーン");
        assertThat(browser.text("nav a[href='/campaigns']")).isEqualTo("キャンペーン");
        assertThat(browser.text("nav a[href='/settings/custom-fields']")).isEqualTo("カスタム項目");
        assertThat(browser.text("#user-settings")).isEqualTo("日本語 · Asia/Tokyo");
        browser.open("/");
        assertThat(browser.text("h1")).isEqualTo("ホーム");
        assertThat(browser.text("#stages")).contains("ステージ", "獲得");
        assertThat(browser.find("#stages a[data-stage='CAPTURED']").getText()).isEqualTo("獲得");
        browser.screenshot("ui-japanese-home");

        Instant captured = Instant.parse(prospect.get("capturedAt").asString());
        browser.open("/prospects/" + prospect.get("id").asLong());
        assertThat(browser.driver().getPageSource())
                .contains(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                        .format(captured.atZone(ZoneId.of("Asia/Tokyo"))));

        // another user is not affected
        browser.signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        assertThat(browser.text("nav a[href='/campaigns']")).isEqualTo("Campaigns");
    }

    @Test
    void anUnknownLanguageOrTimeZoneIsRefusedNextToItsFieldAndNothingChanges() {
        TestApi.User viewer = admin.user("VIEWER", PASSWORD);
        UiSession session = UiSession.signedIn(port, viewer.email(), PASSWORD);
        session.open("/settings/me");
        TestApi.Response refused = session.postForm("/settings/me", "language=fr&timeZone=Mars%2FOlympus");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"language-error\"", "id=\"timeZone-error\"");
        assertThat(session.open("/").body()).contains("Campaigns").contains("English · UTC");

        // a viewer may still set their own language
        assertThat(session.postForm("/settings/me", "language=ja&timeZone=UTC").status())
                .isEqualTo(302);
        assertThat(session.open("/").body()).contains("キャンペーン");
    }

    @Test
    void theUsersApiShowsAndSetsLanguageAndTimeZoneAndRefusesUnknownOnesWithAProblemAndNothingStored() {
        TestApi.Response created = admin.post("/api/v1/users", """
                {"email":"tz-%s@kindling.example","name":"Tomo %s","role":"MARKETING","password":"%s",
                 "language":"ja","timeZone":"Asia/Tokyo"}""".formatted(run, run, PASSWORD));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("language").asString()).isEqualTo("ja");
        assertThat(created.json().get("timeZone").asString()).isEqualTo("Asia/Tokyo");

        TestApi.Response refused = admin.patch(
                "/api/v1/users/" + id, "{\"language\":\"fr\",\"timeZone\":\"Mars/Olympus\",\"name\":\"X\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body()).contains("\"language\"", "\"timeZone\"");
        assertThat(admin.post("/api/v1/users", """
                        {"email":"tz2-%s@kindling.example","name":"N","role":"VIEWER","password":"%s",
                         "timeZone":"Asia/Nowhere"}""".formatted(run, PASSWORD)).status())
                .isEqualTo(400);
        assertThat(admin.get("/api/v1/users").body()).doesNotContain("tz2-" + run);

        TestApi.Response after = admin.get("/api/v1/users/" + id);
        assertThat(after.json().get("name").asString())
                .as("nothing of a refused change is stored")
                .isEqualTo("Tomo " + run);
        assertThat(after.json().get("language").asString()).isEqualTo("ja");

        TestApi.Response changed =
                admin.patch("/api/v1/users/" + id, "{\"language\":\"en\",\"timeZone\":\"Europe/Berlin\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(admin.get("/api/v1/users/" + id).json().get("timeZone").asString())
                .isEqualTo("Europe/Berlin");
        UiSession session = UiSession.signedIn(port, "tz-" + run + "@kindling.example", PASSWORD);
        assertThat(session.open("/").body()).contains("English · Europe/Berlin");
    }
}
