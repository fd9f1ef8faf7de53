package dev.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.TestApi.User;
import dev.kindling.support.UiSession;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Both doors act with the user's role and state of this moment: a demotion or deactivation takes effect on the
 * next request of every key and session of the user, and a key never acts above its user.
 */
@IntegrationTest
class AuthorisationFollowsTheUserIT {

    private static final String PASSWORD = "long-enough-password";

    @LocalServerPort
    int port;

    TestApi admin;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
    }

    private User user(String role) {
        return admin.user(role, PASSWORD);
    }

    private TestApi keyOf(User user) {
        return admin.keyOf(user.id());
    }

    private void change(User user, String json) {
        var changed = admin.patch("/api/v1/users/" + user.id(), json);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    }

    private String newUserJson(String tag) {
        return """
                {"email":"made-by-%s-%s@kindling.example","name":"Made","role":"ADMIN"}""".formatted(tag, UUID.randomUUID());
    }

    @Test
    void aDemotedAdminsKeyCanNoLongerCreateAnAdmin() {
        User former = user("ADMIN");
        TestApi key = keyOf(former);
        assertThat(key.post("/api/v1/users", newUserJson("admin-key")).status()).isEqualTo(201);

        change(former, "{\"role\":\"MARKETING\"}");

        String refusedEmail = "refused-" + UUID.randomUUID() + "@kindling.example";
        var refused = key.post("/api/v1/users", """
                {"email":"%s","name":"Refused","role":"ADMIN"}""".formatted(refusedEmail));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(admin.get("/api/v1/users").body()).doesNotContain(refusedEmail);
        assertThat(key.post(
                                "/api/v1/prospects",
                                "{\"email\":\"by-demoted-%s@roles.example\"}".formatted(UUID.randomUUID()))
                        .status())
                .as("the key now acts as MARKETING, its user's role")
                .isEqualTo(201);
    }

    @Test
    void aKeyNeverActsAboveItsUserNorAboveItsOwnRole() {
        User marketer = user("MARKETING");
        TestApi key = keyOf(marketer);
        String prospect = "{\"email\":\"follows-%s@roles.example\"}";

        change(marketer, "{\"role\":\"VIEWER\"}");
        assertThat(key.post("/api/v1/prospects", prospect.formatted(UUID.randomUUID()))
                        .status())
                .isEqualTo(403);
        assertThat(key.get("/api/v1/prospects?limit=1").status()).isEqualTo(200);

        change(marketer, "{\"role\":\"ADMIN\"}");
        assertThat(key.get("/api/v1/users").status())
                .as("a MARKETING key stays MARKETING under an ADMIN")
                .isEqualTo(403);
        assertThat(key.post("/api/v1/prospects", prospect.formatted(UUID.randomUUID()))
                        .status())
                .isEqualTo(201);

        change(marketer, "{\"role\":\"SALES\"}");
        assertThat(key.post(
                                "/api/v1/custom-fields",
                                "{\"name\":\"f%s\",\"type\":\"TEXT\"}"
                                        .formatted(UUID.randomUUID().toString().substring(0, 8)))
                        .status())
                .as("a MARKETING key of a user now in SALES only reads")
                .isEqualTo(403);
        assertThat(key.post("/api/v1/prospects", prospect.formatted(UUID.randomUUID()))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aDeactivatedUsersKeysAreRefusedUntilTheUserIsActiveAgain() {
        User user = user("MARKETING");
        TestApi key = keyOf(user);
        assertThat(key.get("/api/v1/prospects?limit=1").status()).isEqualTo(200);

        change(user, "{\"active\":false}");
        var refused = key.get("/api/v1/prospects?limit=1");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");

        change(user, "{\"active\":true}");
        assertThat(key.get("/api/v1/prospects?limit=1").status()).isEqualTo(200);
    }

    @Test
    void aDemotedSessionLosesTheAdminPagesAndPostsOnItsNextRequest() {
        User user = user("ADMIN");
        UiSession browser = UiSession.signedIn(port, user.email(), PASSWORD);
        var page = browser.open("/settings/users");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Users &amp; teams");

        change(user, "{\"role\":\"MARKETING\"}");

        assertThat(browser.get("/settings/users").status()).isEqualTo(403);
        String email = "ui-made-" + UUID.randomUUID() + "@kindling.example";
        var post = browser.postForm("/settings/users", "email=" + UiSession.encode(email) + "&name=Made&role=ADMIN");
        assertThat(post.status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/users").body()).doesNotContain(email);
        var home = browser.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains(">marketing<").doesNotContain("href=\"/settings/users\"");

        change(user, "{\"role\":\"ADMIN\"}");
        assertThat(browser.get("/settings/users").status())
                .as("and a promotion on the next request too")
                .isEqualTo(200);
    }

    @Test
    void aDeactivatedUsersSessionIsSignedOutForGood() {
        User user = user("MARKETING");
        UiSession browser = UiSession.signedIn(port, user.email(), PASSWORD);
        assertThat(browser.open("/lists").status()).isEqualTo(200);

        change(user, "{\"active\":false}");

        var page = browser.get("/lists");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.raw().headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(browser.postForm("/lists", "name=x&kind=STATIC").status()).isEqualTo(403);

        change(user, "{\"active\":true}");
        assertThat(browser.get("/lists").status())
                .as("the session was ended, not suspended")
                .isEqualTo(302);
        var signIn = UiSession.anonymous(port, "127.0.0.1").signIn(user.email(), PASSWORD);
        assertThat(signIn.raw().headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    }

    @Test
    void aDeactivatedUserCannotSignIn() {
        User user = user("SALES");
        change(user, "{\"active\":false}");
        var signIn = UiSession.anonymous(port, UiSession.ownLoopbackAddress()).signIn(user.email(), PASSWORD);
        assertThat(signIn.raw().headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).contains("/login?error"));
    }
}
