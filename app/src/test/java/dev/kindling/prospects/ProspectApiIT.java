package dev.kindling.prospects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ProspectApiIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi api;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
    }

    @Test
    void createsThenUpdatesTheSameProspectByNormalisedEmail() {
        var created = api.post("/api/v1/prospects", """
                {"email":"  Ada.Lovelace@Analytical.example ","firstName":"Ada","company":"Analytical Engines","employees":250,"country":"gb"}""");
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("email").asString()).isEqualTo("ada.lovelace@analytical.example");
        assertThat(body.get("country").asString()).isEqualTo("GB");
        assertThat(body.get("stage").asString()).isEqualTo("CAPTURED");
        assertThat(body.get("accountId").isNull()).isFalse();

        var updated = api.post("/api/v1/prospects", """
                {"email":"ada.lovelace@analytical.example","lastName":"Lovelace"}""");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("id").asLong()).isEqualTo(body.get("id").asLong());
        assertThat(updated.json().get("firstName").asString()).isEqualTo("Ada");
        assertThat(updated.json().get("lastName").asString()).isEqualTo("Lovelace");

        long transitions = jdbc.sql(
                        "SELECT count(*) FROM stage_transition WHERE prospect_id = :id AND to_stage = 'CAPTURED'")
                .param("id", body.get("id").asLong())
                .query(Long.class)
                .single();
        assertThat(transitions).isEqualTo(1);
    }

    @Test
    void freeMailAddressesNeverCreateAccounts() {
        var created = api.post("/api/v1/prospects", """
                {"email":"student123@gmail.com"}""");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("accountId").isNull()).isTrue();
        assertThat(jdbc.sql("SELECT count(*) FROM account WHERE domain = 'gmail.com'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void prospectsOfOneCompanyShareTheAccountOfTheirDomain() {
        long a = api.post("/api/v1/prospects", "{\"email\":\"one@shared-domain.example\"}")
                .json()
                .get("accountId")
                .asLong();
        long b = api.post("/api/v1/prospects", "{\"email\":\"two@shared-domain.example\"}")
                .json()
                .get("accountId")
                .asLong();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void rejectsEveryInvalidFieldAtOnceAndStoresNothing() {
        var response = api.post("/api/v1/prospects", """
                {"email":"not-an-email","employees":"many","country":"Narnia","favouriteColour":"blue"}""");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("email", "employees", "country", "favouriteColour");
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE email = 'not-an-email'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        var response = api.post("/api/v1/prospects", "{\"email\": ");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void withoutAnApiKeyTheApiAnswers401() {
        var response = api.as(null).get("/api/v1/prospects");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(api.as("kdl_wrong").get("/api/v1/prospects").status()).isEqualTo(401);
    }

    @Test
    void listsPagesWithACursorAndFiltersByStage() {
        for (int i = 0; i < 5; i++) {
            api.post("/api/v1/prospects", "{\"email\":\"pager" + i + "@paging.example\",\"company\":\"Pager Co\"}");
        }
        JsonNode first = api.get("/api/v1/prospects?q=pager&limit=3").json();
        assertThat(first.get("items")).hasSize(3);
        String cursor = first.get("nextCursor").asString();
        JsonNode second =
                api.get("/api/v1/prospects?q=pager&limit=3&cursor=" + cursor).json();
        assertThat(second.get("items")).hasSize(2);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(api.get("/api/v1/prospects?stage=CAPTURED&q=pager").json().get("items"))
                .hasSize(5);
        assertThat(api.get("/api/v1/prospects?stage=NOPE").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/prospects?cursor=garbage").status()).isEqualTo(400);
    }

    @Test
    void patchChangesAndClearsFields() {
        long id = api.post("/api/v1/prospects", "{\"email\":\"patch@patching.example\",\"phone\":\"123\"}")
                .json()
                .get("id")
                .asLong();
        var patched = api.patch("/api/v1/prospects/" + id, "{\"phone\":null,\"jobTitle\":\"Director\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("phone").isNull()).isTrue();
        assertThat(patched.json().get("jobTitle").asString()).isEqualTo("Director");
        assertThat(api.patch("/api/v1/prospects/999999999", "{\"phone\":\"1\"}").status())
                .isEqualTo(404);
    }
}
