package dev.kindling.capture.forms;

import static dev.kindling.support.UiSession.created;
import static dev.kindling.support.UiSession.figure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class FormPagesIT {

    static final String ADMIN = "admin@kindling.local";

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
        ui = UiSession.signedIn(port, ADMIN, TestApi.ADMIN_PASSWORD);
        ui.open("/forms/new");
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    String design(String key, String extra) {
        return "name=" + UiSession.encode("Contact " + run) + "&key=" + key
                + "&fieldName=email&fieldLabel=Work+email&fieldTarget=email&fieldType=email&fieldRequired=yes"
                + "&fieldMessage=" + UiSession.encode("We need your work email")
                + "&fieldName=region&fieldLabel=Region&fieldTarget=region_" + run
                + "&fieldType=text&fieldRequired=yes&fieldMessage="
                + "&fieldName=&fieldLabel=&fieldTarget=&fieldType=text&fieldRequired=no&fieldMessage="
                + "&successUrl=" + UiSession.encode("https://www.example.com/thanks")
                + "&honeypot=on&actionType=adjustScore&actionField=&actionValue=5&actionMessage=" + extra;
    }

    @Test
    void aMarketerDesignsAFormWithACustomFieldAndGetsItsEmbedCodeAndHandlerSnippet() {
        assertThat(api.post(
                                "/api/v1/custom-fields",
                                "{\"name\":\"region_" + run + "\",\"label\":\"Region\",\"type\":\"TEXT\"}")
                        .status())
                .isEqualTo(201);
        String key = "contact-" + run;

        long id = created(ui.postForm("/forms", design(key, "")));

        var stored = api.get("/api/v1/forms/" + id).json();
        assertThat(stored.get("fieldMapping").get("region").asString()).isEqualTo("region_" + run);
        assertThat(stored.get("requiredFields").toString()).contains("email").contains("region_" + run);
        assertThat(stored.get("completionActions").toString())
                .contains("adjustScore")
                .contains("5");
        String page = ui.open("/forms/" + id).body();
        assertThat(page)
                .contains("&lt;script async src=&quot;" + TestApi.PUBLIC_URL + "/f/embed.js&quot; data-form=&quot;"
                        + key + "&quot;&gt;&lt;/script&gt;");
        assertThat(page)
                .contains("&lt;form action=&quot;" + TestApi.PUBLIC_URL + "/f/" + key
                        + "&quot; method=&quot;post&quot;&gt;")
                .contains("name=&quot;website_url&quot;");
        assertThat(page).contains("id=\"preview-region\"").contains("We need your work email");

        var definition = api.send(api.request("/f/" + key + "/definition")
                .header("Origin", "https://www.example.com")
                .GET()
                .build());
        assertThat(definition.status()).isEqualTo(200);
        assertThat(definition.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("*");
        assertThat(definition.json().get("fields").get(0).get("label").asString())
                .isEqualTo("Work email");
        assertThat(definition.json().get("fields").get(0).get("message").asString())
                .isEqualTo("We need your work email");
        assertThat(definition.json().get("honeypot").asBoolean()).isTrue();
        assertThat(api.get("/f/embed.js").contentType()).contains("javascript");

        var edit = ui.open("/forms/" + id + "/edit").body();
        assertThat(edit).contains("value=\"Work email\"").contains("value=\"We need your work email\"");
    }

    @Test
    void errorsAreShownNextToTheirFieldRowsAndNothingIsStored() {
        String key = "broken-" + run;
        var response = ui.postForm(
                "/forms",
                "name=Broken&key=" + key
                        + "&fieldName=website_url&fieldLabel=Email&fieldTarget=email&fieldType=email&fieldRequired=yes&fieldMessage="
                        + "&fieldName=nick&fieldLabel=Nick&fieldTarget=&fieldType=text&fieldRequired=no&fieldMessage="
                        + "&successUrl=javascript%3Aalert(1)&actionType=addToList&actionField=&actionValue=999999999&actionMessage=");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body())
                .containsPattern("id=\"fields\\[0\\]-error\"[^>]*>is reserved for the form handler")
                .containsPattern("id=\"fields\\[1\\]-error\"[^>]*>must name a prospect field")
                .containsPattern("id=\"successUrl-error\"[^>]*>must be an absolute http or https URL")
                .contains("id=\"completionActions-error\"");
        assertThat(api.get("/api/v1/forms").body()).doesNotContain(key);
    }

    @Test
    void theFormPageCountsSubmissionsAndListsTheProspectsItCreatedAsText() {
        String key = "count-" + run;
        assertThat(api.post(
                                "/api/v1/custom-fields",
                                "{\"name\":\"region_" + run + "\",\"label\":\"Region\",\"type\":\"TEXT\"}")
                        .status())
                .isEqualTo(201);
        long id = created(ui.postForm("/forms", design(key, "")));
        String email = "form-" + run + "@pages.example";

        var submitted = api.send(HttpRequest.newBuilder(java.net.URI.create(api.base() + "/f/" + key))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=" + UiSession.encode(email) + "&region="
                        + UiSession.encode("<img src=x onerror=alert(1)>")))
                .build());
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(303);

        String page = ui.open("/forms/" + id).body();
        assertThat(figure(page, "fig-submissions")).isEqualTo("1");
        assertThat(figure(page, "fig-created")).isEqualTo("1");
        assertThat(page).contains(email);
        assertThat(ui.open("/forms").body()).contains("Contact " + run);
    }

    @Test
    void onlyMarketersDesignAndDeleteForms() {
        String key = "gate-" + run;
        assertThat(api.post(
                                "/api/v1/custom-fields",
                                "{\"name\":\"region_" + run + "\",\"label\":\"Region\",\"type\":\"TEXT\"}")
                        .status())
                .isEqualTo(201);
        long id = created(ui.postForm("/forms", design(key, "")));
        var user = api.user("SALES", "sales-password-123456");
        UiSession sales = UiSession.signedIn(port, user.email(), "sales-password-123456");

        assertThat(sales.open("/forms/" + id).status()).isEqualTo(200);
        assertThat(sales.open("/forms/" + id).body()).doesNotContain("id=\"delete-form\"");
        assertThat(sales.postForm("/forms/" + id + "/delete", "").status()).isEqualTo(403);
        assertThat(ui.postForm("/forms/" + id + "/delete", "").status()).isEqualTo(302);
        assertThat(api.get("/api/v1/forms/" + id).status()).isEqualTo(404);
        assertThat(api.get("/f/" + key + "/definition").status()).isEqualTo(404);
    }
}
