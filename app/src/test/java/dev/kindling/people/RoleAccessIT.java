package dev.kindling.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class RoleAccessIT {

    @LocalServerPort
    int port;

    TestApi admin;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
    }

    private TestApi keyFor(String role) {
        String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@kindling.example";
        var user = admin.post("/api/v1/users", """
                {"email":"%s","name":"A %s","role":"%s","password":"long-enough-password"}""".formatted(email, role, role));
        assertThat(user.status()).isEqualTo(201);
        var key = admin.post(
                "/api/v1/api-keys", """
                {"userId":%d,"name":"integration"}""".formatted(user.json().get("id").asLong()));
        assertThat(key.status()).isEqualTo(201);
        assertThat(key.json().get("role").asString()).isEqualTo(role);
        return admin.as(key.json().get("key").asString());
    }

    @Test
    void aViewerReadsButCannotWrite() {
        TestApi viewer = keyFor("VIEWER");
        assertThat(viewer.get("/api/v1/prospects").status()).isEqualTo(200);
        var denied = viewer.post("/api/v1/prospects", "{\"email\":\"viewer-made@roles.example\"}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.contentType()).startsWith("application/problem+json");
        assertThat(admin.prospectsByEmail("viewer-made@roles.example")).isEmpty();
    }

    @Test
    void marketingWritesProspectsButCannotManageUsers() {
        TestApi marketing = keyFor("MARKETING");
        assertThat(marketing
                        .post("/api/v1/prospects", "{\"email\":\"mkt-made@roles.example\"}")
                        .status())
                .isEqualTo(201);
        assertThat(marketing.get("/api/v1/users").status()).isEqualTo(403);
        assertThat(marketing
                        .post("/api/v1/api-keys", "{\"userId\":1,\"name\":\"x\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void salesMayEditProspectsButNotConfiguration() {
        TestApi sales = keyFor("SALES");
        long id = admin.post("/api/v1/prospects", "{\"email\":\"sales-edit@roles.example\"}")
                .json()
                .get("id")
                .asLong();
        assertThat(sales.patch("/api/v1/prospects/" + id, "{\"phone\":\"+81 3 1234 5678\"}")
                        .status())
                .isEqualTo(200);
        assertThat(sales.post("/api/v1/custom-fields", "{\"name\":\"salesField\",\"type\":\"TEXT\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aRevokedKeyStopsWorking() {
        String email = "revoked-" + UUID.randomUUID() + "@kindling.example";
        long userId = admin.post("/api/v1/users", """
                {"email":"%s","name":"Revoked","role":"MARKETING"}""".formatted(email))
                .json()
                .get("id")
                .asLong();
        var key = admin.post("/api/v1/api-keys", "{\"userId\":%d,\"name\":\"temp\"}".formatted(userId))
                .json();
        TestApi holder = admin.as(key.get("key").asString());
        assertThat(holder.get("/api/v1/prospects").status()).isEqualTo(200);
        assertThat(admin.send(admin.request("/api/v1/api-keys/" + key.get("id").asLong())
                                .DELETE()
                                .build())
                        .status())
                .isEqualTo(204);
        assertThat(holder.get("/api/v1/prospects").status()).isEqualTo(401);
    }

    @Test
    void aKeyCannotCarryMoreThanItsUsersRole() {
        String email = "viewer-up-" + UUID.randomUUID() + "@kindling.example";
        long userId = admin.post("/api/v1/users", """
                {"email":"%s","name":"V","role":"VIEWER"}""".formatted(email))
                .json()
                .get("id")
                .asLong();
        var refused =
                admin.post("/api/v1/api-keys", "{\"userId\":%d,\"name\":\"x\",\"role\":\"ADMIN\"}".formatted(userId));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").findValuesAsString("field")).containsExactly("role");
    }

    @Test
    void userInputIsValidatedFieldByField() {
        var response = admin.post("/api/v1/users", """
                {"email":"nope","name":"","role":"GOD","password":"short","extra":1}""");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("email", "name", "role", "password", "extra");
    }

    @Test
    void customFieldsAreTypedAndEnforcedOnProspects() {
        String name = "budget" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        assertThat(admin.post("/api/v1/custom-fields", """
                {"name":"%s","label":"Budget","type":"NUMBER"}""".formatted(name)).status())
                .isEqualTo(201);
        var bad = admin.post("/api/v1/prospects", """
                {"email":"typed@custom.example","custom":{"%s":"lots"}}""".formatted(name));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsString("field")).containsExactly("custom." + name);
        var good = admin.post("/api/v1/prospects", """
                {"email":"typed@custom.example","custom":{"%s":12000.5}}""".formatted(name));
        assertThat(good.status()).isEqualTo(201);
        assertThat(good.json().get("custom").get(name).asDouble()).isEqualTo(12000.5);
        assertThat(admin.post("/api/v1/custom-fields", "{\"name\":\"email\",\"type\":\"TEXT\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void theOpenApiDocumentIsServedToAnApiKey() {
        var doc = admin.get("/v3/api-docs");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("paths").has("/api/v1/prospects")).isTrue();
    }
}
