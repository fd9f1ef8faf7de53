package dev.kindling.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The API documentation is for signed-in users and API keys, unless an admin makes it public. */
@IntegrationTest
// alone among the shared context's classes: makes the API documentation public for a while
@ResourceLock(IntegrationTest.SHARED_DATA)
class ApiDocsAccessIT {

    @LocalServerPort
    int port;

    TestApi admin;
    TestApi anonymous;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
        anonymous = new TestApi(port, null);
    }

    @AfterEach
    void backToTheDefault() {
        assertThat(admin.put("/api/v1/settings/api-docs", "{\"public\":false}").status())
                .isEqualTo(200);
    }

    private TestApi viewerKey() {
        return admin.keyOf(admin.user("VIEWER", null).id());
    }

    @Test
    void anonymousVisitorsAreSentToSignInByDefault() {
        assertThat(admin.get("/api/v1/settings/api-docs").json().get("public").asBoolean())
                .isFalse();
        for (String path : new String[] {
            "/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html", "/swagger-ui/index.html"
        }) {
            var response = anonymous.get(path);
            assertThat(response.status()).as(path).isEqualTo(302);
            assertThat(response.raw().headers().firstValue("Location"))
                    .as(path)
                    .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
            assertThat(response.body()).doesNotContain("/api/v1/prospects");
        }
    }

    @Test
    void anyApiKeyAndAnySignedInUserReadTheDocumentation() {
        var byKey = viewerKey().get("/v3/api-docs");
        assertThat(byKey.status()).isEqualTo(200);
        assertThat(byKey.json().get("paths").has("/api/v1/prospects")).isTrue();

        UiSession browser = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        var bySession = browser.get("/v3/api-docs");
        assertThat(bySession.status()).isEqualTo(200);
        assertThat(bySession.body()).contains("/api/v1/prospects");
        assertThat(browser.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void anAdminMakesTheDocumentationPublicAndPrivateAgain() {
        var open = admin.put("/api/v1/settings/api-docs", "{\"public\":true}");
        assertThat(open.status()).as(open.body()).isEqualTo(200);
        assertThat(open.json().get("public").asBoolean()).isTrue();
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);

        assertThat(admin.put("/api/v1/settings/api-docs", "{\"public\":false}").status())
                .isEqualTo(200);
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(302);
    }

    @Test
    void onlyAnAdminChangesTheSettingAndOnlyWithAValidBody() {
        var refused = viewerKey().put("/api/v1/settings/api-docs", "{\"public\":true}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");

        var bad = admin.put("/api/v1/settings/api-docs", "{\"public\":\"yes\",\"extra\":1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("public", "extra");
        assertThat(admin.get("/api/v1/settings/api-docs").json().get("public").asBoolean())
                .isFalse();
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(302);
    }

    @Test
    void theUsersPageSwitchesItForAdminsOnly() {
        UiSession adminBrowser = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        assertThat(adminBrowser.open("/settings/users").body()).contains("id=\"api-docs-public\"");
        assertThat(adminBrowser.postForm("/settings/api-docs", "public=on").status())
                .isEqualTo(302);
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);

        String password = "long-enough-password";
        UiSession marketer =
                UiSession.signedIn(port, admin.user("MARKETING", password).email(), password);
        assertThat(marketer.postForm("/settings/api-docs", "").status()).isEqualTo(403);
        assertThat(anonymous.get("/v3/api-docs").status()).as("still public").isEqualTo(200);

        assertThat(adminBrowser.postForm("/settings/api-docs", "").status()).isEqualTo(302);
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(302);
    }
}
