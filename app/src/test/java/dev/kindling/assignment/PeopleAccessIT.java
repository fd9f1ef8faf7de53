package dev.kindling.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Teams, territories, settings and the owner API refuse bad input (400/409) and the wrong roles (403). */
@IntegrationTest
class PeopleAccessIT {

    @LocalServerPort
    int port;

    TestApi admin;
    People people;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
        people = new People(admin);
    }

    @Test
    void aMarketingUserReadsTeamsButCannotEditThemAndSalesCannotEditScoringRules() {
        long team = people.team("readable", null);
        TestApi marketing = people.as("Marketer", "MARKETING", null);
        assertThat(marketing.get("/api/v1/teams/" + team).status()).isEqualTo(200);
        assertThat(marketing
                        .post("/api/v1/teams", "{\"name\":\"nope-" + people.run + "\"}")
                        .status())
                .isEqualTo(403);
        assertThat(marketing
                        .patch("/api/v1/teams/" + team, "{\"name\":\"renamed\"}")
                        .status())
                .isEqualTo(403);
        assertThat(marketing
                        .post("/api/v1/territories", "{\"name\":\"x\",\"countries\":[\"FR\"],\"teamId\":" + team + "}")
                        .status())
                .isEqualTo(403);
        assertThat(send(marketing, "PUT", "/api/v1/assignment/settings", "{\"MQL\":{\"mode\":\"NONE\"}}")
                        .status())
                .isEqualTo(403);

        TestApi sales = people.as("Seller", "SALES", null);
        assertThat(sales.post("/api/v1/scoring-rules", "{\"name\":\"x\"}").status())
                .isEqualTo(403);
        assertThat(sales.post("/api/v1/teams", "{\"name\":\"nope2-" + people.run + "\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aTeamNeedsAKnownActiveSalesManagerAndAUniqueName() {
        long marketer = people.user("Marketer", "MARKETING", null);
        long inactive = people.user("Gone", "SALES", null, false);
        assertThat(errorFields(admin.post("/api/v1/teams", "{\"name\":\"t-" + people.run + "\",\"managerId\":999999}")))
                .containsExactly("managerId");
        TestApi.Response notSales =
                admin.post("/api/v1/teams", "{\"name\":\"t-" + people.run + "\",\"managerId\":" + marketer + "}");
        assertThat(notSales.status()).isEqualTo(400);
        assertThat(notSales.body()).contains("sales role");
        assertThat(errorFields(admin.post(
                        "/api/v1/teams", "{\"name\":\"t-" + people.run + "\",\"managerId\":" + inactive + "}")))
                .containsExactly("managerId");
        assertThat(errorFields(admin.post("/api/v1/teams", "{\"name\":\" \",\"colour\":\"red\"}")))
                .containsExactlyInAnyOrder("name", "colour");
        assertThat(admin.get("/api/v1/teams").body()).doesNotContain("t-" + people.run);

        long manager = people.user("Boss", "INSIDE_SALES", null);
        long team = people.team("t", manager);
        assertThat(admin.get("/api/v1/teams/" + team).json().get("managerId").asLong())
                .isEqualTo(manager);
        assertThat(admin.post("/api/v1/teams", "{\"name\":\"T-" + people.run + "\"}")
                        .status())
                .as("names ignore case")
                .isEqualTo(409);
        // the manager keeps a sales role and stays active while managing
        assertThat(admin.patch("/api/v1/users/" + manager, "{\"role\":\"MARKETING\"}")
                        .status())
                .isEqualTo(409);
        assertThat(admin.patch("/api/v1/users/" + manager, "{\"active\":false}").status())
                .isEqualTo(409);
        // a user joins a team and is renamed (the update names only the columns it changes)
        TestApi.Response joined =
                admin.patch("/api/v1/users/" + manager, "{\"teamId\":" + team + ",\"name\":\"Big Boss\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(200);
        assertThat(joined.json().get("teamId").asLong()).isEqualTo(team);
        assertThat(admin.patch("/api/v1/users/" + manager, "{}").status())
                .as("nothing to change")
                .isEqualTo(200);
        // a team with members is not deleted
        people.user("Member", "SALES", team);
        assertThat(admin.send(admin.request("/api/v1/teams/" + team).DELETE().build())
                        .status())
                .isEqualTo(409);
    }

    @Test
    void aTerritoryNeedsACriterionOrderedBoundsOneTargetAndMayNotBeShadowedByAnEarlierOne() {
        long team = people.team("terr", null);
        long marketer = people.user("Marketer", "MARKETING", null);
        assertThat(errorFields(admin.post(
                        "/api/v1/territories", "{\"name\":\"empty-" + people.run + "\",\"teamId\":" + team + "}")))
                .containsExactly("countries");
        assertThat(errorFields(admin.post("/api/v1/territories", """
                {"name":"bounds-%s","minEmployees":500,"maxEmployees":100,"teamId":%d}""".formatted(people.run, team))))
                .containsExactly("maxEmployees");
        assertThat(errorFields(admin.post("/api/v1/territories", """
                {"name":"both-%s","countries":["FR"],"teamId":%d,"userId":%d}""".formatted(people.run, team, marketer))))
                .containsExactly("teamId");
        assertThat(errorFields(admin.post("/api/v1/territories", """
                {"name":"marketer-%s","countries":["FR"],"userId":%d}""".formatted(people.run, marketer))))
                .containsExactly("userId");
        assertThat(errorFields(admin.post("/api/v1/territories", """
                {"name":"atlantis-%s","countries":["Atlantis"],"teamId":%d}""".formatted(people.run, team))))
                .containsExactly("countries");
        assertThat(errorFields(admin.post("/api/v1/territories", """
                {"name":"noteam-%s","countries":["FR"],"teamId":999999}""".formatted(people.run))))
                .containsExactly("teamId");

        String industry = "Shipping-" + people.run;
        TestApi.Response broad = admin.post("/api/v1/territories", """
                {"name":"broad-%s","industries":["%s"],"teamId":%d,"position":50}""".formatted(people.run, industry, team));
        assertThat(broad.status()).as(broad.body()).isEqualTo(201);
        long broadId = broad.json().get("id").asLong();
        try {
            TestApi.Response shadowed =
                    admin.post("/api/v1/territories", """
                    {"name":"shadowed-%s","industries":["%s"],"minEmployees":10,"teamId":%d}""".formatted(people.run, industry.toLowerCase(), team));
            assertThat(shadowed.status()).as(shadowed.body()).isEqualTo(409);
            assertThat(shadowed.body()).contains("would never match");
            assertThat(admin.get("/api/v1/territories").body())
                    .as("nothing stored")
                    .doesNotContain("shadowed-" + people.run);

            // placed before the broad one, the narrower territory is fine: first match wins
            TestApi.Response before = admin.post("/api/v1/territories", """
                    {"name":"narrow-%s","industries":["%s"],"minEmployees":10,"teamId":%d,"position":49}""".formatted(people.run, industry, team));
            assertThat(before.status()).as(before.body()).isEqualTo(201);
            admin.send(admin.request(
                            "/api/v1/territories/" + before.json().get("id").asLong())
                    .DELETE()
                    .build());
        } finally {
            admin.send(admin.request("/api/v1/territories/" + broadId).DELETE().build());
        }
    }

    @Test
    void theSettingsNeedAModeAndRoundRobinATeam() {
        assertThat(errorFields(send(admin, "PUT", "/api/v1/assignment/settings", """
                {"MQL":{"mode":"ROUND_ROBIN"},"SQL":{"mode":"SOMETIMES"},"SAL":{"mode":"NONE"}}""")))
                .containsExactlyInAnyOrder("MQL.teamId", "SQL.mode", "SAL");
        assertThat(errorFields(send(admin, "PUT", "/api/v1/assignment/settings", """
                {"MQL":{"mode":"TERRITORY","teamId":999999}}""")))
                .containsExactly("MQL.teamId");
    }

    @Test
    void onlyAdminOrTheInsideSalesManagerOfTheNewOwnersTeamForceAssigns() {
        TestApi.Response created = admin.post("/api/v1/users", """
                {"email":"lead-%s@people.example","name":"Lead","role":"INSIDE_SALES"}""".formatted(people.run));
        long lead = created.json().get("id").asLong();
        long team = people.team("owners", lead);
        long rep = people.user("Rep", "SALES", team);
        long outsider = people.user("Outsider", "SALES", null);
        long marketer = people.user("Marketer", "MARKETING", null);
        long prospect = people.prospect("forced", "");
        TestApi manager = people.keyOf(lead);

        assertThat(people.as("Seller", "SALES", team)
                        .post("/api/v1/prospects/" + prospect + "/owner", "{\"userId\":" + rep + "}")
                        .status())
                .isEqualTo(403);
        assertThat(people.as("Plain", "INSIDE_SALES", team)
                        .post("/api/v1/prospects/" + prospect + "/owner", "{\"userId\":" + rep + "}")
                        .status())
                .as("not a manager")
                .isEqualTo(403);
        assertThat(manager.post("/api/v1/prospects/" + prospect + "/owner", "{\"userId\":" + outsider + "}")
                        .status())
                .as("not in the manager's team")
                .isEqualTo(403);

        TestApi.Response done = manager.post("/api/v1/prospects/" + prospect + "/owner", "{\"userId\":" + rep + "}");
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().get("ownerId").asLong()).isEqualTo(rep);
        assertThat(done.json().get("assignment").get("cause").asString()).isEqualTo("user:" + lead);

        TestApi.Response again =
                admin.post("/api/v1/prospects/" + prospect + "/owner", "{\"userId\":" + outsider + "}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("assignment").get("forced").asBoolean()).isTrue();
        assertThat(admin.get("/api/v1/prospects/" + prospect + "/assignments").json())
                .extracting(n -> n.get("userId").asLong())
                .containsExactly(outsider, rep);

        assertThat(errorFields(admin.post("/api/v1/prospects/" + prospect + "/owner", "{\"userId\":" + marketer + "}")))
                .containsExactly("userId");
        assertThat(errorFields(admin.post("/api/v1/prospects/" + prospect + "/owner", "{\"user\":1}")))
                .containsExactly("user");
        assertThat(admin.post("/api/v1/prospects/999999999/owner", "{\"userId\":" + rep + "}")
                        .status())
                .isEqualTo(404);
    }

    private static java.util.List<String> errorFields(TestApi.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().get("errors").findValuesAsString("field");
    }

    private static TestApi.Response send(TestApi api, String method, String path, String json) {
        return api.send(api.request(path)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build());
    }
}
