package dev.kindling.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser's side of the UI door without a browser: the session cookie and its CSRF token, from a client address
 * of its choice (any 127.x.y.z).
 */
public final class UiSession {

    private final TestApi http;
    private String cookie;
    private String csrf;

    private UiSession(TestApi http) {
        this.http = http;
    }

    /** The same browser (session cookie, CSRF token) talking to the instance on {@code port} (several instances). */
    public UiSession on(int port) {
        UiSession moved = new UiSession(new TestApi(port, null));
        moved.cookie = cookie;
        moved.csrf = csrf;
        return moved;
    }

    /** A fresh, anonymous browser connecting from {@code clientAddress} (e.g. "127.0.0.1" or "127.3.4.5"). */
    public static UiSession anonymous(int port, String clientAddress) {
        UiSession session = new UiSession(TestApi.from(clientAddress, port, null));
        session.open("/login");
        return session;
    }

    /** A loopback address of its own (127.x.y.z, never 127.0.0.1): the app sees a client address no other test uses. */
    public static String ownLoopbackAddress() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return "127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
    }

    /** A browser signed in as this user (asserts the sign-in worked). */
    public static UiSession signedIn(int port, String email, String password) {
        UiSession session = anonymous(port, "127.0.0.1");
        TestApi.Response login = session.signIn(email, password);
        assertThat(login.raw().headers().firstValue("Location"))
                .as("%s signs in", email)
                .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        return session;
    }

    /** Posts the sign-in form and follows the session it answers with; answers the form post's 302. */
    public TestApi.Response signIn(String email, String password) {
        TestApi.Response login = postForm("/login", "username=" + encode(email) + "&password=" + encode(password));
        assertThat(login.status()).as(login.body()).isEqualTo(302);
        open(login.raw().headers().firstValue("Location").orElseThrow().replaceFirst("^https?://[^/]+", ""));
        return login;
    }

    /** GETs a page with the session, keeping the session cookie and CSRF token it answers with. */
    public TestApi.Response open(String path) {
        TestApi.Response page = get(path);
        keep(page);
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        if (token.find()) {
            csrf = token.group(1);
        }
        return page;
    }

    public TestApi.Response get(String path) {
        HttpRequest.Builder request = http.request(path).header("Accept", "text/html,*/*;q=0.8");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.GET().build());
    }

    /** Posts a form with the session's CSRF token added. */
    public TestApi.Response postForm(String path, String form) {
        String body = (form.isEmpty() ? "" : form + "&") + "_csrf=" + encode(csrf == null ? "" : csrf);
        HttpRequest.Builder request = http.request(path)
                .header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        TestApi.Response response = http.send(
                request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
        keep(response);
        return response;
    }

    /** Posts a multipart body (built by the caller with this boundary) with the session's CSRF token in the URL. */
    public TestApi.Response postMultipart(String path, String boundary, byte[] body) {
        HttpRequest.Builder request = http.request(
                        path + (path.contains("?") ? "&" : "?") + "_csrf=" + encode(csrf == null ? "" : csrf))
                .header("Accept", "text/html")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        TestApi.Response response = http.send(
                request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        keep(response);
        return response;
    }

    /** The session cookie ({@code JSESSIONID=...}), or null before the app set one. */
    public String cookie() {
        return cookie;
    }

    private void keep(TestApi.Response response) {
        response.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst()
                .ifPresent(c -> cookie = c);
    }

    /** The id of what a UI form post created: asserts the redirect (302) and reads the id its location ends with. */
    public static long created(TestApi.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(302);
        String location = response.raw().headers().firstValue("Location").orElseThrow();
        Matcher id = Pattern.compile("/(\\d+)$").matcher(location);
        assertThat(id.find()).as(location).isTrue();
        return Long.parseLong(id.group(1));
    }

    /** The text of the element with this id in a page's HTML (a figure on a report or detail page), stripped. */
    public static String figure(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(page);
        assertThat(m.find()).as(id).isTrue();
        return m.group(1).strip();
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
