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
        browser.at(port).signIn(marketer.email(), PASSWORD);
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
        browser.open("/login");
        browser.driver().manage().deleteAllCookies();
        browser.signIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
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
}
