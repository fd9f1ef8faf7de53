package dev.kindling.capture.forms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class FormCaptureIT {

    static final String BROWSER =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CaptureRateLimits rateLimits;

    TestApi api;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        rateLimits.reset();
    }

    String createForm(String errorUrl) {
        String key = "contact-" + UUID.randomUUID().toString().substring(0, 8);
        var created = api.post(
                "/api/v1/forms", """
                {"key":"%s","name":"Contact us","fieldMapping":{"your-email":"email","first":"firstName","org":"company"},
                 "requiredFields":["firstName"],"successUrl":"https://www.example.com/thanks",
                 %s "completionActions":[]}""".formatted(key, errorUrl == null ? "" : "\"errorUrl\":\"" + errorUrl + "\","));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("actionUrl").asString()).endsWith("/f/" + key);
        return key;
    }

    TestApi.Response post(String path, String body, String userAgent) {
        return api.send(new TestApi(port, null)
                .request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", userAgent)
                .header("Referer", "https://www.example.com/contact")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    long count(String sql, Object... params) {
        var statement = jdbc.sql(sql);
        for (Object p : params) {
            statement = statement.param(p);
        }
        return statement.query(Long.class).single();
    }

    @Test
    void aSubmissionCreatesTheProspectRecordsFormSubmitAndRedirectsToTheSuccessUrl() {
        String key = createForm(null);
        var response = post("/f/" + key, "your-email=Grace%40Navy.example&first=Grace&org=US+Navy&ignored=x", BROWSER);
        assertThat(response.status()).isEqualTo(303);
        assertThat(response.raw().headers().firstValue("Location")).contains("https://www.example.com/thanks");
        var prospect = jdbc.sql("SELECT id, first_name, company FROM prospect WHERE email = 'grace@navy.example'")
                .query((rs, n) -> List.of(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .single();
        assertThat(prospect.subList(1, 3)).containsExactly("Grace", "US Navy");
        var activity = jdbc.sql("""
                        SELECT properties->>'formName', properties->>'url', bot FROM activity
                         WHERE type = 'FORM_SUBMIT' AND prospect_id = ? AND properties->>'formKey' = ?""")
                .param(prospect.get(0))
                .param(key)
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getBoolean(3)))
                .single();
        assertThat(activity).containsExactly("Contact us", "https://www.example.com/contact", false);
    }

    @Test
    void theVisitorsEarlierPageViewsAreAttachedToTheNewProspect() {
        String key = createForm(null);
        String visitor = "v" + UUID.randomUUID().toString().replace("-", "");
        for (String page : List.of("https://www.example.com/", "https://www.example.com/pricing")) {
            var collected = api.send(new TestApi(port, null)
                    .request("/t/collect")
                    .header("Content-Type", "text/plain;charset=UTF-8")
                    .header("User-Agent", BROWSER)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"visitorId\":\"" + visitor + "\",\"url\":\"" + page + "\",\"title\":\"Page\"}"))
                    .build());
            assertThat(collected.status()).isEqualTo(204);
        }
        assertThat(count("SELECT count(*) FROM activity WHERE visitor_id = ? AND prospect_id IS NULL", visitor))
                .isEqualTo(2);
        // earlier page views: the intake is done with them (rows it holds while the form links are left to it)
        IntakeProgress.awaitDrained(api);

        String email = "visitor-" + UUID.randomUUID() + "@linked.example";
        var response = post("/f/" + key, "your-email=" + email + "&first=Lin&kindling_visitor=" + visitor, BROWSER);
        assertThat(response.status()).isEqualTo(303);

        long prospectId = count("SELECT id FROM prospect WHERE email = ?", email);
        assertThat(count(
                        "SELECT count(*) FROM activity WHERE visitor_id = ? AND type = 'PAGE_VIEW' AND prospect_id = ?",
                        visitor,
                        prospectId))
                .isEqualTo(2);
        assertThat(count("SELECT prospect_id FROM visitor WHERE id = ? AND linked_at IS NOT NULL", visitor))
                .isEqualTo(prospectId);
    }

    @Test
    void theSameOriginVisitorCookieLinksWhenThereIsNoHiddenField() {
        String key = createForm(null);
        String visitor = "c" + UUID.randomUUID().toString().replace("-", "");
        String email = "cookie-" + UUID.randomUUID() + "@linked.example";
        var response = api.send(new TestApi(port, null)
                .request("/f/" + key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", BROWSER)
                .header("Cookie", "kindling_vid=" + visitor)
                .POST(HttpRequest.BodyPublishers.ofString("your-email=" + email + "&first=Coo"))
                .build());
        assertThat(response.status()).isEqualTo(303);
        assertThat(count(
                        "SELECT count(*) FROM visitor v JOIN prospect p ON p.id = v.prospect_id WHERE v.id = ? AND p.email = ?",
                        visitor,
                        email))
                .isEqualTo(1);
    }

    @Test
    void anInvalidPostRedirectsToTheErrorUrlWithTheFieldNamesAndRecordsFormErrorOnTheVisitorsProspect() {
        String key = createForm("https://www.example.com/contact?failed=1#form");
        String visitor = "e" + UUID.randomUUID().toString().replace("-", "");
        String email = "known-visitor-" + UUID.randomUUID() + "@errors.example";
        assertThat(post("/f/" + key, "your-email=" + email + "&first=Vi&kindling_visitor=" + visitor, BROWSER)
                        .status())
                .isEqualTo(303);
        long prospectId = count("SELECT id FROM prospect WHERE email = ?", email);

        var response = post("/f/" + key, "your-email=not-an-email&first=&kindling_visitor=" + visitor, BROWSER);
        assertThat(response.status()).isEqualTo(303);
        String location = response.raw().headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("https://www\\.example\\.com/contact\\?failed=1&errors=[a-z,-]+#form");
        assertThat(location.substring(location.indexOf("errors=") + 7, location.indexOf('#'))
                        .split(","))
                .containsExactlyInAnyOrder("your-email", "first");
        String errors = jdbc.sql(
                        "SELECT properties->>'errors' FROM activity WHERE type = 'FORM_ERROR' AND prospect_id = ?")
                .param(prospectId)
                .query(String.class)
                .single();
        assertThat(errors).contains("your-email: is not a valid email address").contains("first: is required");
        assertThat(count("SELECT count(*) FROM prospect WHERE email = 'not-an-email'"))
                .isZero();
        assertThat(jdbc.sql("SELECT first_name FROM prospect WHERE id = ?")
                        .param(prospectId)
                        .query(String.class)
                        .single())
                .as("a rejected post changes no field")
                .isEqualTo("Vi");
    }

    @Test
    void aRejectedPostWithAValidButUnknownEmailStoresNothingAtAll() {
        String key = createForm("https://www.example.com/contact");
        String email = "missing-name-" + UUID.randomUUID() + "@errors.example";
        String visitor = "n" + UUID.randomUUID().toString().replace("-", "");
        var response = post("/f/" + key, "your-email=" + email + "&kindling_visitor=" + visitor, BROWSER);
        assertThat(response.status()).isEqualTo(303);
        assertThat(response.raw().headers().firstValue("Location"))
                .contains("https://www.example.com/contact?errors=first");
        assertThat(count("SELECT count(*) FROM prospect WHERE email = ?", email))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM activity WHERE email = ? OR visitor_id = ? OR properties->>'formKey' = ?",
                        email,
                        visitor,
                        key))
                .isZero();
        assertThat(count("SELECT count(*) FROM visitor WHERE id = ?", visitor)).isZero();
    }

    @Test
    void aRejectedPostWithTheEmailOfAnExistingProspectRecordsFormErrorOnItAndChangesNothingElse() {
        String key = createForm("https://www.example.com/contact");
        String email = "existing-" + UUID.randomUUID() + "@errors.example";
        long prospectId = api.newProspect("{\"email\":\"%s\",\"company\":\"Before\"}".formatted(email));

        var response = post("/f/" + key, "your-email=" + email + "&org=After", BROWSER);
        assertThat(response.status()).isEqualTo(303);
        assertThat(count("SELECT count(*) FROM activity WHERE type = 'FORM_ERROR' AND prospect_id = ?", prospectId))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM activity WHERE type = 'FORM_SUBMIT' AND prospect_id = ?", prospectId))
                .isZero();
        assertThat(jdbc.sql("SELECT company FROM prospect WHERE id = ?")
                        .param(prospectId)
                        .query(String.class)
                        .single())
                .isEqualTo("Before");
    }

    @Test
    void withoutAnErrorUrlTheErrorsAreAnEscapedHtmlPage() {
        String key = createForm(null);
        var response = post("/f/" + key, "your-email=%3Cscript%3Ealert(1)%3C%2Fscript%3E&first=X", BROWSER);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(response.body()).contains("your-email").doesNotContain("<script>");
    }

    @Test
    void aFilledHoneypotLooksLikeSuccessButStoresNothing() {
        String key = createForm(null);
        String email = "bot-" + UUID.randomUUID() + "@honeypot.example";
        var response =
                post("/f/" + key, "your-email=" + email + "&first=Bot&website_url=http%3A%2F%2Fspam.example", BROWSER);
        assertThat(response.status()).isEqualTo(303);
        assertThat(response.raw().headers().firstValue("Location")).contains("https://www.example.com/thanks");
        assertThat(count("SELECT count(*) FROM prospect WHERE email = ?", email))
                .isZero();
        assertThat(count("SELECT count(*) FROM activity WHERE properties->>'formKey' = ?", key))
                .isZero();
    }

    @Test
    void anUnknownFormKeyIs404() {
        var response = post("/f/no-such-form-key", "your-email=a%40b.example", BROWSER);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void redirectParametersNeverChangeWhereTheHandlerRedirects() {
        String key = createForm("https://www.example.com/oops");
        String email = "redirect-" + UUID.randomUUID() + "@redirect.example";
        var ok = post(
                "/f/" + key + "?redirect=https://evil.example/&next=https://evil.example/",
                "your-email=" + email + "&first=R&redirect=https%3A%2F%2Fevil.example&next=https%3A%2F%2Fevil.example"
                        + "&successUrl=https%3A%2F%2Fevil.example",
                BROWSER);
        assertThat(ok.raw().headers().firstValue("Location")).contains("https://www.example.com/thanks");
        var failed = post(
                "/f/" + key + "?next=https://evil.example/",
                "your-email=bad&redirect=https%3A%2F%2Fevil.example",
                BROWSER);
        assertThat(failed.raw().headers().firstValue("Location").orElseThrow())
                .startsWith("https://www.example.com/oops?errors=");
    }

    @Test
    void htmlInASubmittedNameIsStoredAsTyped() {
        String key = createForm(null);
        String email = "xss-" + UUID.randomUUID() + "@escape.example";
        post("/f/" + key, "your-email=" + email + "&first=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E", BROWSER);
        assertThat(jdbc.sql("SELECT first_name FROM prospect WHERE email = ?")
                        .param(email)
                        .query(String.class)
                        .single())
                .isEqualTo("<img src=x onerror=alert(1)>");
    }

    @Test
    void aBotSubmissionIsStoredButFlagged() {
        String key = createForm(null);
        String email = "crawler-" + UUID.randomUUID() + "@bots.example";
        var response = post("/f/" + key, "your-email=" + email + "&first=Bot", "python-requests/2.31");
        assertThat(response.status()).isEqualTo(303);
        assertThat(jdbc.sql(
                                "SELECT a.bot FROM activity a JOIN prospect p ON p.id = a.prospect_id WHERE p.email = ? AND a.type = 'FORM_SUBMIT'")
                        .param(email)
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void formConfigurationIsValidated() {
        var response = api.post("/api/v1/forms", """
                {"key":"Bad Key!","name":"","fieldMapping":{"website_url":"email","x":"nope"},"successUrl":"javascript:alert(1)",
                 "errorUrl":"//evil.example","campaignId":999999999,"completionActions":"later"}""");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .contains(
                        "key",
                        "name",
                        "fieldMapping.website_url",
                        "fieldMapping.x",
                        "successUrl",
                        "errorUrl",
                        "campaignId",
                        "completionActions");
    }

    @Test
    void formsAreReadChangedAndDeleted() {
        String key = createForm(null);
        long id = api.get("/api/v1/forms").json().findValues("key").stream()
                                .filter(k -> k.asString().equals(key))
                                .count()
                        == 1
                ? jdbc.sql("SELECT id FROM form WHERE key = ?")
                        .param(key)
                        .query(Long.class)
                        .single()
                : -1;
        var patched = api.patch("/api/v1/forms/" + id, "{\"name\":\"Renamed\",\"requiredFields\":[]}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("name").asString()).isEqualTo("Renamed");
        assertThat(patched.json().get("fieldMapping").get("your-email").asString())
                .isEqualTo("email");
        assertThat(api.post(
                                "/api/v1/forms",
                                "{\"key\":\"" + key + "\",\"name\":\"Dup\",\"fieldMapping\":{\"e\":\"email\"},"
                                        + "\"successUrl\":\"https://x.example/\"}")
                        .status())
                .isEqualTo(409);
        assertThat(api.send(api.request("/api/v1/forms/" + id).DELETE().build()).status())
                .isEqualTo(204);
        assertThat(api.get("/api/v1/forms/" + id).status()).isEqualTo(404);
    }
}
