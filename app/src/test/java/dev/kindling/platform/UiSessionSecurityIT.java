package dev.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The UI's door: a session cookie after a form login, a CSRF token on every change, and no way into the API. */
@IntegrationTest
class UiSessionSecurityIT {

    @LocalServerPort
    int port;

    TestApi anonymous;

    @BeforeEach
    void setUp() {
        anonymous = new TestApi(port, null);
    }

    private TestApi.Response postForm(String path, String body, String cookie) {
        HttpRequest.Builder request = anonymous
                .request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return anonymous.send(request.build());
    }

    private static String form(String... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static String sessionCookie(TestApi.Response response) {
        return response.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aLoginWithoutTheCsrfTokenIsRefused() {
        var response =
                postForm("/login", form("username", "admin@kindling.local", "password", TestApi.ADMIN_PASSWORD), null);
        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void aSessionNeedsTheCsrfTokenForChangesAndNeverOpensTheApi() {
        var loginPage = anonymous.get("/login");
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(token.find()).isTrue();
        String cookie = sessionCookie(loginPage);

        var login = postForm(
                "/login",
                form("username", "admin@kindling.local", "password", TestApi.ADMIN_PASSWORD, "_csrf", token.group(1)),
                cookie);
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.raw().headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        String session = sessionCookie(login);

        var home = anonymous.send(
                anonymous.request("/").header("Cookie", session).GET().build());
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.contentType()).startsWith("text/html");

        var logoutWithoutToken = postForm("/logout", "", session);
        assertThat(logoutWithoutToken.status()).isEqualTo(403);

        var api = anonymous.send(anonymous
                .request("/api/v1/prospects")
                .header("Cookie", session)
                .GET()
                .build());
        assertThat(api.status()).as("the API takes API keys only").isEqualTo(401);
    }
}
