package dev.kindling.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class ApiKeyPagesIT {

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
    void aMarketerCreatesAKeySeenOnceThatWorksShowsItsLastUseAndStopsAtOnceWhenRevoked() {
        TestApi.User marketer = admin.user("MARKETING", PASSWORD);
        browser.at(port).signedIn(marketer.email(), PASSWORD);
        browser.follow("nav a[href='/settings/api-keys']");
        assertThat(browser.driver().findElements(By.cssSelector("#role option")))
                .extracting(o -> o.getAttribute("value"))
                .containsExactly("MARKETING", "VIEWER");
        browser.find("#name").sendKeys("CRM sync " + run);
        browser.follow("#create-key");

        String key = browser.find("#issued-key").getAttribute("value");
        assertThat(key).startsWith("kdl_");
        assertThat(browser.text("#api-keys")).contains("CRM sync " + run, "Marketing", "never");
        browser.open("/settings/api-keys");
        assertThat(browser.driver().findElements(By.id("issued-key"))).isEmpty();
        assertThat(browser.driver().getPageSource()).doesNotContain(key);

        TestApi holder = admin.as(key);
        assertThat(holder.get("/api/v1/prospects").status()).isEqualTo(200);
        browser.open("/settings/api-keys");
        assertThat(browser.find("#api-keys tbody tr[data-id] .last-used").getText())
                .isNotEqualTo("never")
                .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} .+");
        assertThat(admin.get("/api/v1/api-keys").json().findValues("lastUsedAt").stream()
                        .anyMatch(v -> !v.isNull()))
                .isTrue();

        browser.follow("#api-keys tbody tr[data-id] .revoke");
        assertThat(browser.text("#api-keys tbody tr[data-id] .status")).startsWith("revoked");
        assertThat(holder.get("/api/v1/prospects").status()).isEqualTo(401);
    }

    @Test
    void aKeyCannotBeIssuedAboveTheCreatorsCurrentRoleEvenByATamperedForm() {
        TestApi.User seller = admin.user("SALES", PASSWORD);
        UiSession session = UiSession.signedIn(port, seller.email(), PASSWORD);
        session.open("/settings/api-keys");
        TestApi.Response refused = session.postForm("/settings/api-keys", "name=sneaky&role=ADMIN");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("role-error", "no higher than");
        TestApi.Response sideways = session.postForm("/settings/api-keys", "name=sideways&role=MARKETING");
        assertThat(sideways.status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/api-keys").body()).doesNotContain("sneaky", "sideways");

        TestApi.Response viewer = session.postForm("/settings/api-keys", "name=reader-" + run + "&role=VIEWER");
        assertThat(viewer.status()).isEqualTo(200);
        assertThat(viewer.body()).contains("issued-key");

        // demoted to VIEWER: the next request is checked against the new role
        assertThat(admin.patch("/api/v1/users/" + seller.id(), "{\"role\":\"VIEWER\"}")
                        .status())
                .isEqualTo(200);
        session.open("/settings/api-keys");
        assertThat(session.postForm("/settings/api-keys", "name=again&role=SALES")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aUserSeesAndRevokesOnlyTheirOwnKeysWhileAnAdminSeesEveryKey() {
        TestApi.User owner = admin.user("MARKETING", PASSWORD);
        TestApi.User other = admin.user("MARKETING", PASSWORD);
        long othersKey = admin.post(
                        "/api/v1/api-keys", "{\"userId\":%d,\"name\":\"others-%s\"}".formatted(other.id(), run))
                .json()
                .get("id")
                .asLong();
        UiSession session = UiSession.signedIn(port, owner.email(), PASSWORD);
        assertThat(session.open("/settings/api-keys").body()).doesNotContain("others-" + run);
        assertThat(session.postForm("/settings/api-keys/" + othersKey + "/revoke", "")
                        .status())
                .isEqualTo(403);
        assertThat(admin.get("/api/v1/api-keys").json().findParents("id").stream()
                        .filter(k -> k.get("id").asLong() == othersKey)
                        .findFirst()
                        .orElseThrow()
                        .get("revokedAt")
                        .isNull())
                .isTrue();
        assertThat(session.postForm("/settings/api-keys/999999999/revoke", "").status())
                .isEqualTo(404);

        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/settings/api-keys");
        assertThat(browser.text("#api-keys")).contains("others-" + run, other.email());
        new Select(browser.find("#role")).selectByValue("SALES");
        browser.find("#name").sendKeys("admin-made-" + run);
        browser.follow("#create-key");
        assertThat(browser.text("#issued")).contains("Sales");
    }

    @Test
    void theApiChecksTheKeysRoleAgainstItsUser() {
        TestApi.User marketer = admin.user("MARKETING", null);
        var viewer = admin.post(
                "/api/v1/api-keys", "{\"userId\":%d,\"name\":\"v\",\"role\":\"VIEWER\"}".formatted(marketer.id()));
        assertThat(viewer.status()).isEqualTo(201);
        assertThat(viewer.json().get("role").asString()).isEqualTo("VIEWER");
        var sideways = admin.post(
                "/api/v1/api-keys", "{\"userId\":%d,\"name\":\"s\",\"role\":\"SALES\"}".formatted(marketer.id()));
        assertThat(sideways.status()).isEqualTo(400);
        assertThat(sideways.json().get("errors").findValuesAsString("field")).containsExactly("role");
        var unknown = admin.post(
                "/api/v1/api-keys", "{\"userId\":%d,\"name\":\"u\",\"role\":\"GOD\"}".formatted(marketer.id()));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(admin.send(admin.request("/api/v1/api-keys/999999999")
                                .DELETE()
                                .build())
                        .status())
                .isEqualTo(404);
    }
}
