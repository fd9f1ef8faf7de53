package dev.kindling.capture.forms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A form's own rate limit and progressive profiling, set in the designer and honoured by the hosted form. */
@IntegrationTest
class FormLimitsAndProfilingIT {

    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";

    @LocalServerPort
    int port;

    @Autowired
    CaptureRateLimits rateLimits;

    TestApi api;
    UiSession ui;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        rateLimits.reset();
        ui = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        ui.open("/forms/new");
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    /** Designs a form with email (required), first name (required), company and job title. */
    String design(String key, String settings) {
        return "name=" + UiSession.encode("Profile " + run) + "&key=" + key
                + "&fieldName=email&fieldLabel=Email&fieldTarget=email&fieldType=email&fieldRequired=yes&fieldMessage="
                + "&fieldName=first&fieldLabel=First+name&fieldTarget=firstName&fieldType=text&fieldRequired=yes&fieldMessage="
                + "&fieldName=org&fieldLabel=Company&fieldTarget=company&fieldType=text&fieldRequired=no&fieldMessage="
                + "&fieldName=title&fieldLabel=Job+title&fieldTarget=jobTitle&fieldType=text&fieldRequired=no&fieldMessage="
                + "&successUrl=" + UiSession.encode("https://www.example.com/thanks") + settings;
    }

    long created(TestApi.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(302);
        Matcher id = Pattern.compile("/forms/(\\d+)$")
                .matcher(response.raw().headers().firstValue("Location").orElseThrow());
        assertThat(id.find()).isTrue();
        return Long.parseLong(id.group(1));
    }

    TestApi.Response submit(TestApi from, String key, String body) {
        return from.send(from.request("/f/" + key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", BROWSER)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    TestApi.Response definition(String key, String visitor) {
        return api.send(api.request("/f/" + key + "/definition" + (visitor == null ? "" : "?visitor=" + visitor))
                .GET()
                .build());
    }

    @Test
    void aFormWithItsOwnLimitAnswersPostsOverItFromOneAddressWith429AndRetryAfter() {
        String key = "limited-" + run;
        long id = created(ui.postForm("/forms", design(key, "&rateLimitPerMinute=2")));
        assertThat(ui.open("/forms/" + id).body()).contains("2 submissions a minute per address (this form)");

        TestApi visitor = TestApi.from(UiSession.ownLoopbackAddress(), port, null);
        String body = "email=limit-" + run + "%40limits.example&first=Ada";
        assertThat(submit(visitor, key, body).status()).isEqualTo(303);
        assertThat(submit(visitor, key, body).status()).isEqualTo(303);
        TestApi.Response limited = submit(visitor, key, body);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.json().get("detail").asString())
                .contains("This form takes at most 2 submissions a minute from one address");
        assertThat(limited.raw().headers().firstValue("Retry-After"))
                .hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isBetween(1L, 60L));

        // another address is not held back, and a form without a limit of its own still takes this address's posts
        TestApi neighbour = TestApi.from(UiSession.ownLoopbackAddress(), port, null);
        assertThat(submit(neighbour, key, body).status()).isEqualTo(303);
        String open = "open-" + run;
        created(ui.postForm("/forms", design(open, "")));
        assertThat(submit(visitor, open, body).status()).isEqualTo(303);
    }

    @Test
    void aRateLimitOutsideOneToTenThousandIsRefusedNextToItsInput() {
        for (String bad : new String[] {"0", "10001", "many", "-3"}) {
            TestApi.Response refused = ui.postForm("/forms", design("bad-" + run, "&rateLimitPerMinute=" + bad));
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.body())
                    .containsPattern("id=\"rateLimitPerMinute-error\"[^>]*>must be a whole number from 1 to 10,000");
        }
        assertThat(api.get("/api/v1/forms").body()).doesNotContain("bad-" + run);
    }

    @Test
    void aKnownVisitorIsAskedOnlyForFieldsNotYetKnownAndKnownRequiredFieldsCountAsGiven() {
        String key = "progressive-" + run;
        long id = created(ui.postForm("/forms", design(key, "&progressive=on")));
        assertThat(ui.open("/forms/" + id + "/edit").body()).containsPattern("name=\"progressive\"[^>]*checked");
        String plain = "plain-" + run;
        created(ui.postForm("/forms", design(plain, "")));
        String visitor = UUID.randomUUID().toString().replace("-", "");

        TestApi.Response anonymous = definition(key, visitor);
        assertThat(anonymous.json().get("fields").findValuesAsString("name"))
                .containsExactly("email", "first", "org", "title");
        assertThat(anonymous.raw().headers().firstValue("Cache-Control"))
                .hasValueSatisfying(c -> assertThat(c).contains("no-store"));

        TestApi browser = new TestApi(port, null);
        String email = "prog-" + run + "%40profiles.example";
        assertThat(submit(browser, key, "email=" + email + "&first=Grace&org=Navy&kindling_visitor=" + visitor)
                        .status())
                .isEqualTo(303);

        assertThat(definition(key, visitor).json().get("fields").findValuesAsString("name"))
                .containsExactly("email", "title");
        assertThat(definition(key, null).json().get("fields").findValuesAsString("name"))
                .containsExactly("email", "first", "org", "title");
        assertThat(definition(plain, visitor).json().get("fields").findValuesAsString("name"))
                .containsExactly("email", "first", "org", "title");
        assertThat(definition(key, "not%20a%20visitor%20id").status()).isEqualTo(200);

        // the first name is required but known: the shorter form is accepted and fills in the job title
        assertThat(submit(browser, key, "email=" + email + "&title=Admiral&kindling_visitor=" + visitor)
                        .status())
                .isEqualTo(303);
        var stored = api.prospectByEmail("prog-" + run + "@profiles.example");
        assertThat(stored.get("firstName").asString()).isEqualTo("Grace");
        assertThat(stored.get("jobTitle").asString()).isEqualTo("Admiral");
        // without progressive profiling the same short post misses a required field
        assertThat(submit(browser, plain, "email=" + email + "&title=Admiral&kindling_visitor=" + visitor)
                        .status())
                .isEqualTo(400);
    }
}
