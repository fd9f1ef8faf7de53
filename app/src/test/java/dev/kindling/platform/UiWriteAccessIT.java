package dev.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Who may submit which UI form: one form post of every rule group of the UI chain's table, by a signed-in user of each
 * role (session cookie and CSRF token, as a browser sends them). A refused post is a 403 page; an allowed one may be
 * anything else (a redirect, the page again, 400 for the empty form, 405 for a page that takes no form): what is
 * tested is the role gate. The forms are empty or invalid so that an allowed post stores nothing.
 */
@IntegrationTest
class UiWriteAccessIT {

    enum As {
        ADMIN,
        MARKETING,
        INSIDE_SALES,
        SALES,
        VIEWER
    }

    private static final Set<As> EVERYONE = EnumSet.allOf(As.class);
    private static final Set<As> MARKETERS = EnumSet.of(As.ADMIN, As.MARKETING);
    private static final Set<As> SELLERS = EnumSet.of(As.ADMIN, As.INSIDE_SALES, As.SALES);

    /** One form post and the roles that may make it. */
    record Post(String path, String form, Set<As> allowed) {}

    @LocalServerPort
    int port;

    TestApi admin;
    TestApi anonymous;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
        anonymous = new TestApi(port, null);
    }

    @Test
    void everyRuleGroupLetsInExactlyItsRoles() {
        long prospect = prospect();
        List<Post> table = List.of(
                // marketing configuration
                new Post("/programs", "name=", MARKETERS),
                new Post("/emails/templates", "op=addCase%3A0", MARKETERS),
                new Post("/automation", "name=", MARKETERS),
                new Post("/lists", "name=", MARKETERS),
                new Post("/scoring/rules", "name=", MARKETERS),
                new Post("/grading", "name=", MARKETERS),
                new Post("/lifecycle", "mqlScore=", MARKETERS),
                new Post("/prospects/" + prospect + "/score/adjust", "delta=", MARKETERS),
                new Post("/sales/sla", "firstContactHours=", MARKETERS),
                // sales work
                new Post("/sales/leads/" + prospect + "/attempts", "kind=", SELLERS),
                new Post("/opportunities", "prospectId=" + prospect, SELLERS),
                new Post("/opportunities/999999999/won", "", SELLERS),
                // reassigning (INSIDE_SALES further limited to the teams it manages, below)
                new Post("/prospects/" + prospect + "/owner", "userId=", EnumSet.of(As.ADMIN, As.INSIDE_SALES)),
                // routing and admin settings
                new Post("/assignment/territories", "name=", EnumSet.of(As.ADMIN)),
                new Post("/settings/users/teams", "name=", EnumSet.of(As.ADMIN)),
                // linking a campaign to Salesforce (a MARKETING user edits the campaign, not its link)
                new Post("/campaigns/999999999/salesforce", "create=true", EnumSet.of(As.ADMIN)),
                new Post("/campaigns/999999999/salesforce/unlink", "", EnumSet.of(As.ADMIN)),
                // read-only previews
                new Post("/conditions/try", "condition=", EVERYONE),
                // a page no rule names: closed by default
                new Post("/reports/funnel", "", MARKETERS));

        Map<As, Session> sessions = new EnumMap<>(As.class);
        for (As role : As.values()) {
            sessions.put(role, signIn(role));
        }
        for (Post post : table) {
            for (As role : As.values()) {
                TestApi.Response response = sessions.get(role).postForm(post.path(), post.form());
                if (post.allowed().contains(role)) {
                    assertThat(response.status())
                            .as("%s POST %s", role, post.path())
                            .isNotEqualTo(403)
                            .isLessThan(500);
                } else {
                    assertThat(response.status())
                            .as("%s POST %s", role, post.path())
                            .isEqualTo(403);
                    assertThat(response.contentType())
                            .as("%s POST %s", role, post.path())
                            .startsWith("text/html");
                }
            }
        }
        for (As role : As.values()) {
            TestApi.Response preview = sessions.get(role).postJson("/conditions/preview", "{}");
            assertThat(preview.status())
                    .as("%s previews a condition", role)
                    .isNotEqualTo(403)
                    .isLessThan(500);
            TestApi.Response logout = sessions.get(role).postForm("/logout", "");
            assertThat(logout.status()).as("%s signs out", role).isEqualTo(302);
        }
    }

    @Test
    void aViewerCannotCreateEditOrStartAProgram() {
        Session viewer = signIn(As.VIEWER);
        String name = "Viewer program " + UUID.randomUUID();
        assertThat(viewer.postForm("/programs", "name=" + encode(name)).status())
                .isEqualTo(403);
        assertThat(admin.get("/api/v1/programs").body()).doesNotContain(name);

        var created = admin.post("/api/v1/programs", """
                {"name":"Admin program %s","start":"end","recipientListIds":[],"steps":[{"id":"end","type":"END"}]}""".formatted(UUID.randomUUID()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        String before = admin.get("/api/v1/programs/" + id).body();

        for (String path : List.of(
                "/programs/" + id + "/start",
                "/programs/" + id + "/pause",
                "/programs/" + id + "/resume",
                "/programs/" + id + "/settings",
                "/programs/" + id + "/steps",
                "/programs/" + id + "/steps/end/delete")) {
            assertThat(viewer.postForm(path, "name=renamed").status()).as(path).isEqualTo(403);
        }
        assertThat(admin.get("/api/v1/programs/" + id).body()).as("unchanged").isEqualTo(before);
        var after = admin.get("/api/v1/programs/" + id).json();
        assertThat(after.get("status").asString())
                .isEqualTo(created.json().get("status").asString());
        assertThat(after.get("startedAt").isNull()).isTrue();
        assertThat(admin.get("/api/v1/programs/" + id + "/enrollments").json().get("items"))
                .isEmpty();

        assertThat(viewer.get("/programs").body()).as("no form to create").doesNotContain("id=\"program-form\"");
        assertThat(viewer.get("/programs/" + id).body())
                .as("no buttons to change")
                .doesNotContain("id=\"start-program\"", "id=\"save-settings\"", "data-delete=");
        Session marketing = signIn(As.MARKETING);
        assertThat(marketing.get("/programs").body()).contains("id=\"program-form\"");
        assertThat(marketing.get("/programs/" + id).body()).contains("id=\"start-program\"", "id=\"save-settings\"");
    }

    @Test
    void anInsideSalesUserWhoManagesNoTeamIsStillRefusedAReassignment() {
        long prospect = prospect();
        long salesUser = user(As.SALES).id();
        Session insideSales = signIn(As.INSIDE_SALES);
        String ownerBefore =
                String.valueOf(admin.get("/api/v1/prospects/" + prospect).json().get("ownerId"));
        var refused = insideSales.postForm("/prospects/" + prospect + "/owner", "userId=" + salesUser);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("text/html");
        assertThat(String.valueOf(
                        admin.get("/api/v1/prospects/" + prospect).json().get("ownerId")))
                .isEqualTo(ownerBefore);
    }

    // --- sessions

    /** A signed-in browser: its session cookie and the CSRF token of that session. */
    private record Session(TestApi http, String cookie, String csrf) {

        TestApi.Response postForm(String path, String form) {
            String body = form.isEmpty() ? "_csrf=" + encode(csrf) : form + "&_csrf=" + encode(csrf);
            return http.send(http.request(path)
                    .header("Cookie", cookie)
                    .header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build());
        }

        TestApi.Response get(String path) {
            return http.send(http.request(path).header("Cookie", cookie).GET().build());
        }

        TestApi.Response postJson(String path, String json) {
            return http.send(http.request(path)
                    .header("Cookie", cookie)
                    .header("X-CSRF-TOKEN", csrf)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build());
        }
    }

    private record User(long id, String email) {}

    private static final String PASSWORD = "long-enough-password";

    private User user(As role) {
        String email = role.name().toLowerCase() + "-ui-" + UUID.randomUUID() + "@kindling.example";
        var created = admin.post("/api/v1/users", """
                {"email":"%s","name":"UI %s","role":"%s","password":"%s"}""".formatted(email, role, role, PASSWORD));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new User(created.json().get("id").asLong(), email);
    }

    private Session signIn(As role) {
        String email = role == As.ADMIN ? "admin@kindling.local" : user(role).email();
        String password = role == As.ADMIN ? TestApi.ADMIN_PASSWORD : PASSWORD;
        var loginPage = anonymous.get("/login");
        String login = anonymous
                .send(anonymous
                        .request("/login")
                        .header("Cookie", cookie(loginPage))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(email) + "&password="
                                + encode(password) + "&_csrf=" + encode(csrf(loginPage.body()))))
                        .build())
                .raw()
                .headers()
                .allValues("Set-Cookie")
                .stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst()
                .orElseThrow();
        var home = anonymous.send(
                anonymous.request("/").header("Cookie", login).GET().build());
        assertThat(home.status()).as("%s signs in", role).isEqualTo(200);
        return new Session(anonymous, login, csrf(home.body()));
    }

    private static String cookie(TestApi.Response response) {
        return response.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst()
                .orElseThrow();
    }

    private static String csrf(String page) {
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(token.find()).as("the page carries a CSRF token").isTrue();
        return token.group(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private long prospect() {
        return admin.newProspect("""
                {"email":"ui-write-%s@roles.example"}""".formatted(UUID.randomUUID()));
    }
}
