package dev.kindling.conditions.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /conditions/fields} and {@code POST /conditions/preview} over plain HTTP in a signed-in UI session. */
@IntegrationTest
class ConditionBuilderEndpointsIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Pattern CSRF = Pattern.compile("data-csrf-token=\"([^\"]+)\"");

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private String cookies;

    @BeforeEach
    void signIn() {
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        cookies = browser.cookieHeader();
    }

    @Test
    void theFieldsListTheAllowListWithOperatorsAndTheChoices() {
        TestApi api = new TestApi(port);
        String name = "tier" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        assertThat(api.post(
                                "/api/v1/custom-fields",
                                "{\"name\":\"" + name + "\",\"label\":\"Tier\",\"type\":\"PICKLIST\","
                                        + "\"options\":[\"Gold\",\"Silver\"]}")
                        .status())
                .isEqualTo(201);

        HttpResponse<String> response = send(get("/conditions/fields"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode fields = JSON.readTree(response.body());
        List<String> names = new ArrayList<>();
        fields.get("fields").forEach(f -> names.add(f.get("name").asString()));
        assertThat(names)
                .contains("email", "industry", "employees", "lastActivityAt", "account.name", "custom." + name)
                .doesNotContain("password_hash", "score");
        JsonNode custom = null;
        for (JsonNode f : fields.get("fields")) {
            if (f.get("name").asString().equals("custom." + name)) {
                custom = f;
            }
        }
        assertThat(custom.get("type").asString()).isEqualTo("TEXT");
        assertThat(custom.get("group").asString()).isEqualTo("Custom");
        assertThat(custom.get("options").toString()).isEqualTo("[\"Gold\",\"Silver\"]");
        assertThat(fields.get("operators").get("TEXT").toString())
                .contains("\"contains\"")
                .doesNotContain("\"gt\"");
        assertThat(fields.get("operators").get("DATE").toString()).contains("\"olderThanDays\"", "\"withinDays\"");
        assertThat(fields.get("stages").toString()).contains("MQL", "DISQUALIFIED");
        assertThat(fields.get("grades").get(0).asString()).isEqualTo("F");
        assertThat(fields.get("quadrants").toString()).contains("HOT");
        assertThat(fields.get("activityTypes").toString()).contains("EMAIL_CLICK");
        assertThat(fields.get("users").toString()).contains("\"id\"");
        assertThat(fields.get("lists").isArray()).isTrue();
        assertThat(fields.get("opportunityNote").asString()).contains("at least one opportunity");
    }

    @Test
    void thePreviewReportsInvalidConditionsWithTheirPaths() {
        HttpResponse<String> invalid = send(post(
                "/conditions/preview",
                "{\"condition\":{\"all\":[{\"score\":{\"gte\":50}},{\"any\":[{\"field\":\"employees\",\"op\":\"gt\",\"value\":\"many\"}]}]}}",
                true));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body())
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asString())
                .isEqualTo("condition.all[1].any[0].value");

        HttpResponse<String> unsupported =
                send(post("/conditions/preview", "{\"condition\":{\"all\":[{\"program\":{\"enrolledIn\":5}}]}}", true));
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unsupported.body())
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asString())
                .startsWith("condition.all[0].program");
        assertThat(send(post(
                                "/conditions/preview",
                                "{\"condition\":{\"all\":[{\"opportunity\":{\"status\":[\"LOST\"]}}]}}",
                                true))
                        .statusCode())
                .as("opportunities are evaluated set-based")
                .isEqualTo(200);

        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(new TestApi(port)
                        .post(
                                "/api/v1/prospects",
                                "{\"email\":\"endpoint-" + run + "@corp-" + run + ".example\",\"industry\":\"Endpoint "
                                        + run + "\",\"lastName\":\"Lee\"}")
                        .status())
                .isEqualTo(201);
        HttpResponse<String> ok = send(post(
                "/conditions/preview",
                "{\"condition\":{\"all\":[{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"endpoint " + run
                        + "\"]}]}}",
                true));
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(ok.body());
        assertThat(body.get("count").asLong()).isEqualTo(1);
        assertThat(body.get("sample").get(0).get("email").asString())
                .isEqualTo("endpoint-" + run + "@corp-" + run + ".example");
        assertThat(body.get("sample").get(0).get("name").asString()).isEqualTo("Lee");
    }

    @Test
    void thePreviewBodyIsATypedRecordThatNamesAMissingConditionAndUnknownFields() {
        HttpResponse<String> missing = send(post("/conditions/preview", "{}", true));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("\"field\":\"condition\"");

        HttpResponse<String> bare = send(post("/conditions/preview", "{\"all\":[]}", true));
        assertThat(bare.statusCode())
                .as("a bare condition is no longer the body")
                .isEqualTo(400);
        assertThat(bare.body()).contains("\"field\":\"all\"");
    }

    @Test
    void thePreviewNeedsTheCsrfTokenAndASession() {
        assertThat(send(post("/conditions/preview", "{\"condition\":{\"all\":[]}}", false))
                        .statusCode())
                .isEqualTo(403);
        cookies = "";
        assertThat(send(get("/conditions/fields")).statusCode()).isIn(302, 401);
    }

    private HttpRequest get(String path) {
        return base(path).GET().build();
    }

    private HttpRequest post(String path, String json, boolean withToken) {
        HttpRequest.Builder builder =
                base(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (withToken) {
            Matcher token = CSRF.matcher(send(get("/conditions/try")).body());
            assertThat(token.find()).isTrue();
            builder.header("X-CSRF-TOKEN", token.group(1));
        }
        return builder.build();
    }

    private HttpRequest.Builder base(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        return cookies.isEmpty() ? builder : builder.header("Cookie", cookies);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
