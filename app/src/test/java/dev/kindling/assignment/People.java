package dev.kindling.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.TestApi;
import java.util.UUID;

/** Creates this run's users, teams and prospects through the API, with names unique to the run. */
final class People {

    final TestApi admin;
    final String run = UUID.randomUUID().toString().substring(0, 8);

    People(TestApi admin) {
        this.admin = admin;
    }

    long team(String name, Long managerId) {
        return TestApi.created(
                admin.post("/api/v1/teams", "{\"name\":\"%s-%s\",\"managerId\":%s}".formatted(name, run, managerId)));
    }

    long user(String name, String role, Long teamId) {
        return user(name, role, teamId, true);
    }

    long user(String name, String role, Long teamId, boolean active) {
        return TestApi.created(admin.post("/api/v1/users", """
                {"email":"%s-%s@people.example","name":"%s","role":"%s","teamId":%s,"active":%s}""".formatted(
                        name.toLowerCase().replaceAll("[^a-z0-9]", ""),
                        run,
                        name.replace("\"", "\\\""),
                        role,
                        teamId,
                        active)));
    }

    /** An API client acting as a new user with this role (and team). */
    TestApi as(String name, String role, Long teamId) {
        long id = user(name, role, teamId);
        return keyOf(id);
    }

    TestApi keyOf(long userId) {
        TestApi.Response key = admin.post("/api/v1/api-keys", "{\"userId\":%d,\"name\":\"test\"}".formatted(userId));
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        return admin.as(key.json().get("key").asString());
    }

    long prospect(String name, String fields) {
        return admin.newProspect("{\"email\":\"%s-%s@corp-%s.example\"%s}"
                .formatted(name, run, run, fields.isEmpty() ? "" : "," + fields));
    }

    Long owner(long prospectId) {
        var node = admin.get("/api/v1/prospects/" + prospectId).json().get("ownerId");
        return node == null || node.isNull() ? null : node.asLong();
    }
}
