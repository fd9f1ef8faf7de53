package dev.kindling.prospects;

import static dev.kindling.support.TestApi.created;
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
class CustomFieldPagesIT {

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
    void aMarketerCreatesAPicklistAddsAnOptionAndDeletesAFieldNothingUses() {
        TestApi.User marketer = admin.user("MARKETING", PASSWORD);
        browser.at(port).signedIn(marketer.email(), PASSWORD);
        browser.follow("nav a[href='/settings/custom-fields']");
        String name = "tier" + run;
        browser.find("#name").sendKeys(name);
        browser.find("#label").sendKeys("Tier <b>" + run + "</b>");
        new Select(browser.find("#type")).selectByValue("PICKLIST");
        browser.find("#options").sendKeys("Gold\nSilver");
        browser.follow("#create-custom-field");
        assertThat(browser.path()).isEqualTo("/settings/custom-fields");
        assertThat(browser.text("#custom-fields tr[data-name='" + name + "']"))
                .contains("Tier <b>" + run + "</b>", "Picklist", "Gold, Silver");

        browser.follow("#custom-fields tr[data-name='" + name + "'] a");
        browser.find("#options").sendKeys("\nBronze");
        browser.follow("#save-custom-field");
        assertThat(admin.get("/api/v1/custom-fields").json().findParents("name").stream()
                        .filter(f -> f.get("name").asString().equals(name))
                        .findFirst()
                        .orElseThrow()
                        .get("options")
                        .toString())
                .isEqualTo("[\"Gold\",\"Silver\",\"Bronze\"]");

        // removing an option prospects may hold is refused, next to the field
        browser.find("#options").clear();
        browser.find("#options").sendKeys("Gold");
        browser.follow("#save-custom-field");
        assertThat(browser.find("#options").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.text("#options-error")).contains("must keep every current option");

        browser.open("/settings/custom-fields");
        browser.follow("#custom-fields tr[data-name='" + name + "'] a");
        browser.follow("#delete-custom-field");
        assertThat(browser.path()).isEqualTo("/settings/custom-fields");
        assertThat(browser.driver().findElements(By.cssSelector("#custom-fields tr[data-name='" + name + "']")))
                .isEmpty();
    }

    @Test
    void aFieldAProspectHoldsOrARuleNamesCannotBeDeleted() {
        String held = "held" + run;
        long heldId = created(admin.post("/api/v1/custom-fields", """
                {"name":"%s","type":"NUMBER"}""".formatted(held)));
        assertThat(admin.post("/api/v1/prospects", """
                {"email":"holder-%s@fields.example","custom":{"%s":3}}""".formatted(run, held)).status())
                .isEqualTo(201);
        var refused = admin.send(
                admin.request("/api/v1/custom-fields/" + heldId).DELETE().build());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body()).contains("prospects hold values");

        String named = "named" + run;
        long namedId = created(admin.post("/api/v1/custom-fields", """
                {"name":"%s","type":"TEXT"}""".formatted(named)));
        assertThat(admin.post("/api/v1/lists", """
                {"name":"by %s","kind":"DYNAMIC","condition":{"field":"custom.%s","op":"eq","value":"x"}}""".formatted(named, named)).status())
                .isEqualTo(201);
        browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD);
        browser.open("/settings/custom-fields/" + namedId);
        assertThat(browser.text("#in-use")).contains("names it");
        assertThat(browser.driver().findElements(By.id("delete-custom-field"))).isEmpty();
        UiSession session = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        session.open("/settings/custom-fields/" + namedId);
        TestApi.Response forced = session.postForm("/settings/custom-fields/" + namedId + "/delete", "");
        assertThat(forced.status()).isEqualTo(409);
        assertThat(admin.get("/api/v1/custom-fields").body()).contains(named, held);
    }

    @Test
    void theApiChangesALabelKeepsNameAndTypeAndValidatesLikeCreation() {
        String name = "size" + run;
        long id = created(admin.post("/api/v1/custom-fields", """
                {"name":"%s","type":"NUMBER"}""".formatted(name)));
        var renamed = admin.patch("/api/v1/custom-fields/" + id, "{\"label\":\"Company size\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("label").asString()).isEqualTo("Company size");
        assertThat(renamed.json().get("type").asString()).isEqualTo("NUMBER");
        var bad = admin.patch("/api/v1/custom-fields/" + id, "{\"label\":\"\",\"options\":[\"a\"],\"type\":\"TEXT\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsString("field")).contains("type");
        var empty = admin.patch("/api/v1/custom-fields/" + id, "{\"label\":\" \",\"options\":[\"a\"]}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("label", "options");
        assertThat(admin.patch("/api/v1/custom-fields/999999999", "{\"label\":\"x\"}")
                        .status())
                .isEqualTo(404);
        assertThat(admin.send(admin.request("/api/v1/custom-fields/" + id)
                                .DELETE()
                                .build())
                        .status())
                .isEqualTo(204);
    }

    @Test
    void salesAndViewersReadTheFieldsButMayNotChangeThem() {
        String name = "ro" + run;
        long id = created(admin.post("/api/v1/custom-fields", """
                {"name":"%s","type":"TEXT"}""".formatted(name)));
        TestApi.User seller = admin.user("SALES", PASSWORD);
        UiSession session = UiSession.signedIn(port, seller.email(), PASSWORD);
        TestApi.Response list = session.open("/settings/custom-fields");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains(name).doesNotContain("create-custom-field");
        assertThat(session.open("/settings/custom-fields/" + id).body()).doesNotContain("save-custom-field");
        assertThat(session.postForm("/settings/custom-fields", "name=nope" + run + "&type=TEXT")
                        .status())
                .isEqualTo(403);
        assertThat(session.postForm("/settings/custom-fields/" + id + "/delete", "")
                        .status())
                .isEqualTo(403);
        assertThat(admin.keyOf(seller.id())
                        .patch("/api/v1/custom-fields/" + id, "{\"label\":\"x\"}")
                        .status())
                .isEqualTo(403);
        assertThat(admin.get("/api/v1/custom-fields").body()).contains(name).doesNotContain("nope" + run);
    }
}
