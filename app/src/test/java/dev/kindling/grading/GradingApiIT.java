package dev.kindling.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
// alone among the shared context's classes: replaces the grading assignment rules and compares a report total with
// every prospect
@ResourceLock(IntegrationTest.SHARED_DATA)
class GradingApiIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    GradingBootstrap bootstrap;

    TestApi api;
    String unique;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        unique = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void noAssignmentRulesAreLeftForOtherTests() {
        assertThat(put("/api/v1/grading-assignment-rules", "{\"rules\":[]}").status())
                .isEqualTo(200);
    }

    @Test
    void theDefaultProfileIsInstalledWithSeniorityAndSizeActiveAndIndustryAndCountryWaiting() {
        JsonNode profiles = api.get("/api/v1/grading-profiles").json();
        JsonNode defaults = null;
        for (JsonNode p : profiles) {
            if (p.get("isDefault").asBoolean()) {
                defaults = p;
            }
        }
        assertThat(defaults).isNotNull();
        JsonNode criteria = defaults.get("criteria");
        assertThat(criteria.findValues("active"))
                .extracting(JsonNode::asBoolean)
                .containsExactly(true, true, false, false);
        JsonNode senior = criteria.get(0).get("condition").get("any");
        assertThat(senior.findValuesAsString("field")).containsOnly("jobTitle");
        assertThat(senior.findValuesAsString("op")).containsOnly("contains");
        assertThat(senior.findValuesAsString("value")).contains("director", "部長", "社長");
        assertThat(criteria.get(1).get("condition").toString())
                .isEqualTo("{\"field\":\"employeesOrAccount\",\"op\":\"gte\",\"value\":100}");
        assertThat(criteria.get(1).get("weight").asInt()).isEqualTo(2);
        assertThat(criteria.get(2).hasNonNull("condition")).isFalse();
        assertThat(criteria.get(3).hasNonNull("condition")).isFalse();
    }

    @Test
    void aDirectorAtA500EmployeeCompanyGradesCPlusAndTheGradeExplainsItself() {
        var created = api.post("/api/v1/prospects", """
                {"email":"director-%s@bigco.example","jobTitle":"Director of Operations","employees":500}""".formatted(unique));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("grade").asString()).isEqualTo("C+");
        long id = created.json().get("id").asLong();

        JsonNode grade = api.get("/api/v1/prospects/" + id + "/grade").json();
        assertThat(grade.get("grade").asString()).isEqualTo("C+");
        assertThat(grade.get("profile").get("name").asString()).isEqualTo("Default");
        JsonNode explanation = grade.get("explanation");
        assertThat(explanation.findValuesAsString("label"))
                .containsExactly("Senior job title", "Company of 100 employees or more");
        assertThat(explanation.findValuesAsString("outcome")).containsExactly("MATCHED", "MATCHED");
        assertThat(explanation.findValuesAsString("seen")).containsExactly("Director of Operations", "500");
        assertThat(explanation.findValues("effect")).extracting(JsonNode::asInt).containsExactly(2, 2);
    }

    @Test
    void aStudentWithAFreeMailAddressGradesBelowTheMqlGrade() {
        var created = api.post("/api/v1/prospects", """
                {"email":"student-%s@gmail.com","jobTitle":"Student"}""".formatted(unique));
        assertThat(created.json().get("grade").asString()).isEqualTo("F");
        JsonNode explanation = api.get(
                        "/api/v1/prospects/" + created.json().get("id").asLong() + "/grade")
                .json()
                .get("explanation");
        assertThat(explanation.findValuesAsString("outcome")).containsExactly("NOT_MATCHED", "UNKNOWN");
    }

    @Test
    void changingTheJobTitleRegradesTheProspectInTheSameRequest() {
        long id = api.post("/api/v1/prospects", """
                {"email":"climber-%s@bigco.example","jobTitle":"Engineer","employees":500}""".formatted(unique))
                .json()
                .get("id")
                .asLong();
        assertThat(api.get("/api/v1/prospects/" + id).json().get("grade").asString())
                .isEqualTo("D");

        var patched = api.patch("/api/v1/prospects/" + id, "{\"jobTitle\":\"VP Engineering\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("grade").asString()).isEqualTo("C+");
        // another senior title: the explanation changes (the title seen), the grade does not, so no history entry
        assertThat(api.patch("/api/v1/prospects/" + id, "{\"jobTitle\":\"Director of Engineering\"}")
                        .json()
                        .get("grade")
                        .asString())
                .isEqualTo("C+");
        assertThat(jdbc.sql("SELECT grade_explanation::text FROM prospect WHERE id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .contains("Director of Engineering");

        var upserted = api.post("/api/v1/prospects", """
                {"email":"climber-%s@bigco.example","jobTitle":null}""".formatted(unique));
        assertThat(upserted.json().get("grade").asString()).isEqualTo("C-");
        // the history holds each grade the prospect moved to, once
        assertThat(jdbc.sql("SELECT grade FROM grade_history WHERE prospect_id = :id ORDER BY at, id")
                        .param("id", id)
                        .query(String.class)
                        .list())
                .containsExactly("D", "C+", "C-");
    }

    @Test
    void prospectsCreatedByActivitiesAreGradedFromTheirAccount() {
        String domain = "acct-" + unique + ".example";
        api.post("/api/v1/prospects", "{\"email\":\"first@" + domain + "\"}");
        jdbc.sql("UPDATE account SET employees = 2000 WHERE domain = :d")
                .param("d", domain)
                .update();
        dev.kindling.intake.IntakeProgress.ingest(api, """
                {"activities":[{"externalId":"grading-%s","email":"second@%s","type":"PAGE_VIEW",
                "occurredAt":"2026-01-01T00:00:00Z","properties":{"url":"https://x.example/"}}]}""".formatted(unique, domain));
        JsonNode second = api.prospectByEmail("second@" + domain);
        assertThat(second.get("grade").asString()).isEqualTo("C-");
    }

    @Test
    void editingAProfileRegradesEveryProspectOnIt() {
        long profile = createProfile("Edited " + unique, """
                [{"label":"Senior","condition":{"any":[{"field":"jobTitle","op":"contains","value":"head"}]},"weight":1},
                 {"label":"Industry","weight":3}]""");
        String department = "Dept " + unique;
        assertThat(put("/api/v1/grading-assignment-rules", """
                {"rules":[{"condition":{"field":"department","op":"eq","value":"%s"},"profileId":%d}]}""".formatted(department, profile))
                        .status())
                .isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api.post("/api/v1/prospects", """
                    {"email":"edit-%d-%s@soft.example","department":"%s","jobTitle":"Head of IT","industry":"%s"}""".formatted(i, unique, department, i < 2 ? "Software" : "Mining"))
                    .json()
                    .get("id")
                    .asLong());
        }
        assertThat(ids).allSatisfy(id -> assertThat(grade(id)).isEqualTo("D+"));

        var saved = put("/api/v1/grading-profiles/" + profile, """
                {"name":"Edited %s","criteria":[
                 {"label":"Senior","condition":{"any":[{"field":"jobTitle","op":"contains","value":"head"}]},"weight":1},
                 {"label":"Industry","condition":{"field":"industryOrAccount","op":"in","value":["software"]},"weight":3}]}""".formatted(unique));
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.json().get("regraded").get("prospects").asLong()).isEqualTo(3);
        assertThat(saved.json().get("regraded").get("changed").asLong()).isEqualTo(3);
        assertThat(saved.json().get("regraded").get("millis").asLong()).isNotNegative();
        assertThat(grade(ids.get(0))).isEqualTo("C+");
        assertThat(grade(ids.get(1))).isEqualTo("C+");
        assertThat(grade(ids.get(2))).isEqualTo("F");
    }

    @Test
    void anAssignmentRuleMovesAMarketingProspectToAnotherProfile() {
        String department = "Marketing " + unique;
        long id = api.post("/api/v1/prospects", """
                {"email":"marketer-%s@bigco.example","department":"%s","jobTitle":"Director","employees":500}""".formatted(unique, department))
                .json()
                .get("id")
                .asLong();
        assertThat(api.get("/api/v1/prospects/" + id + "/grade")
                        .json()
                        .get("profile")
                        .get("name")
                        .asString())
                .isEqualTo("Default");
        long marketing = createProfile("Marketing buyers " + unique, """
                [{"label":"Marketing leader","condition":{"field":"jobTitle","op":"contains","value":"director"},"weight":3},
                 {"label":"Large","condition":{"field":"employeesOrAccount","op":"between","value":[1000, 100000]},"weight":3}]""");

        var rules = put("/api/v1/grading-assignment-rules", """
                {"rules":[{"condition":{"field":"department","op":"eq","value":"%s"},"profileId":%d}]}""".formatted(department.toUpperCase(), marketing));
        assertThat(rules.status()).isEqualTo(200);
        assertThat(rules.json().get("regraded").get("prospects").asLong()).isPositive();

        JsonNode grade = api.get("/api/v1/prospects/" + id + "/grade").json();
        assertThat(grade.get("profile").get("id").asLong()).isEqualTo(marketing);
        assertThat(grade.get("grade").asString()).isEqualTo("D");
        assertThat(grade.get("explanation").findValuesAsString("outcome")).containsExactly("MATCHED", "NOT_MATCHED");

        assertThat(api.send(api.request("/api/v1/grading-profiles/" + marketing)
                                .DELETE()
                                .build())
                        .status())
                .isEqualTo(409);
        put("/api/v1/grading-assignment-rules", "{\"rules\":[]}");
        assertThat(api.get("/api/v1/prospects/" + id + "/grade")
                        .json()
                        .get("profile")
                        .get("name")
                        .asString())
                .isEqualTo("Default");
        assertThat(api.send(api.request("/api/v1/grading-profiles/" + marketing)
                                .DELETE()
                                .build())
                        .status())
                .isEqualTo(204);
        assertThat(api.get("/api/v1/grading-profiles/" + marketing).status()).isEqualTo(404);
    }

    @Test
    void theDefaultProfileCannotBeDeleted() {
        long defaultId = jdbc.sql("SELECT id FROM grading_profile WHERE is_default")
                .query(Long.class)
                .single();
        var response = api.send(
                api.request("/api/v1/grading-profiles/" + defaultId).DELETE().build());
        assertThat(response.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/grading-profiles/" + defaultId).status()).isEqualTo(200);
    }

    @Test
    void invalidProfilesAreRejectedWithEveryFieldErrorAndNothingIsStored() {
        var response = api.post("/api/v1/grading-profiles", """
                {"name":"Broken %s","colour":"red","criteria":[
                  {"label":"","condition":{"field":"shoeSize","op":"eq","value":"42"},"weight":2},
                  {"label":"Size","condition":{"field":"employees","op":"contains","value":"big"},"weight":2},
                  {"label":"Title","condition":{"field":"jobTitle","op":"gte","value":"x"},"weight":1},
                  {"label":"Weight","condition":{"field":"country","op":"eq","value":"JP"},"weight":4},
                  {"label":"Regex","condition":{"field":"jobTitle","op":"regex","value":"^VP.*"},"weight":1},
                  {"label":"Between","condition":{"field":"employees","op":"between","value":[500, 10]},"weight":1},
                  {"label":"Extra","condition":{"field":"country","op":"eq","value":"JP"},"weight":1,"script":"x"}]}""".formatted(unique));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .contains(
                        "colour",
                        "criteria[0].label",
                        "criteria[0].condition.field",
                        "criteria[1].condition.op",
                        "criteria[2].condition.op",
                        "criteria[3].weight",
                        "criteria[4].condition.op",
                        "criteria[5].condition.value",
                        "criteria[6].script");
        assertThat(jdbc.sql("SELECT count(*) FROM grading_profile WHERE name = :n")
                        .param("n", "Broken " + unique)
                        .query(Long.class)
                        .single())
                .isZero();

        assertThat(api.post("/api/v1/grading-profiles", "{\"criteria\":[]}")
                        .json()
                        .get("errors")
                        .findValuesAsString("field"))
                .containsExactly("name");
        assertThat(api.post("/api/v1/grading-profiles", "{\"name\":\"Default\"}")
                        .status())
                .isEqualTo(400);
        var badRules = put("/api/v1/grading-assignment-rules", """
                {"rules":[{"condition":{"field":"department","op":"eq","value":"x"},"profileId":999999999}]}""");
        assertThat(badRules.status()).isEqualTo(400);
        assertThat(badRules.json().get("errors").findValuesAsString("field")).containsExactly("rules[0].profileId");
    }

    @Test
    void aCriterionOrRuleWhoseConditionGradingCannotReadIsRefusedAtItsPathAndNothingIsStored() {
        long profile = createProfile("Paths " + unique, "[]");
        var response = put("/api/v1/grading-profiles/" + profile, """
                {"name":"Paths %s","criteria":[
                  {"label":"Fine","condition":{"field":"jobTitle","op":"contains","value":"vp"},"weight":2},
                  {"label":"Not fit","condition":{"all":[
                     {"field":"email","op":"contains","value":"x"},
                     {"not":{"score":{"gte":5}}}]},"weight":1}]}""".formatted(unique));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .containsExactly("criteria[1].condition.all[0].field", "criteria[1].condition.all[1].not.score");
        var malformed = put("/api/v1/grading-profiles/" + profile, """
                {"name":"Paths %s","criteria":[
                  {"label":"Empty list","condition":{"any":[{"field":"industryOrAccount","op":"in","value":[]}]},"weight":1}]}""".formatted(unique));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("errors").findValuesAsString("field"))
                .containsExactly("criteria[0].condition.any[0].value");
        assertThat(api.get("/api/v1/grading-profiles/" + profile).json().get("criteria"))
                .isEmpty();

        var rules = put("/api/v1/grading-assignment-rules", """
                {"rules":[{"condition":{"activity":{"type":"PAGE_VIEW"}},"profileId":%d},
                          {"condition":"department is sales","profileId":%d}]}""".formatted(profile, profile));
        assertThat(rules.status()).isEqualTo(400);
        assertThat(rules.json().get("errors").findValuesAsString("field"))
                .containsExactly("rules[0].condition.activity", "rules[1].condition");
        assertThat(api.get("/api/v1/grading-assignment-rules").json().get("rules"))
                .isEmpty();
    }

    @Test
    void aRuleWithANegativeConditionSendsOnlyProspectsWhoseFieldIsKnown() {
        long profile = createProfile("Not sales " + unique, "[]");
        String department = "Sales " + unique;
        assertThat(put("/api/v1/grading-assignment-rules", """
                {"rules":[{"condition":{"field":"department","op":"ne","value":"%s"},"profileId":%d}]}""".formatted(department, profile))
                        .status())
                .isEqualTo(200);
        long ops = api.post("/api/v1/prospects", """
                {"email":"ops-%s@bigco.example","department":"Ops"}""".formatted(unique))
                .json()
                .get("id")
                .asLong();
        long unknown = api.post("/api/v1/prospects", """
                {"email":"nodept-%s@bigco.example"}""".formatted(unique))
                .json()
                .get("id")
                .asLong();
        assertThat(profileOf(ops)).isEqualTo(profile);
        assertThat(profileOf(unknown)).isNotEqualTo(profile);
    }

    private long profileOf(long prospect) {
        return api.get("/api/v1/prospects/" + prospect + "/grade")
                .json()
                .get("profile")
                .get("id")
                .asLong();
    }

    @Test
    void starsAndQuadrantFollowTheScoreAndTheQuadrantReportCountsThem() {
        long hot = api.post("/api/v1/prospects", """
                {"email":"hot-%s@bigco.example","jobTitle":"Chief Marketing Officer","employees":900}""".formatted(unique))
                .json()
                .get("id")
                .asLong();
        JsonNode before = api.get("/api/v1/prospects/" + hot).json();
        assertThat(before.get("stars").asInt()).isEqualTo(1);
        assertThat(before.get("flames").asInt()).isZero();
        assertThat(before.get("quadrant").asString()).isEqualTo("NURTURE");
        JsonNode report = api.get("/api/v1/reports/quadrant").json();

        jdbc.sql("UPDATE prospect SET score = 30 WHERE id = :id")
                .param("id", hot)
                .update();
        assertThat(api.get("/api/v1/prospects/" + hot).json().get("stars").asInt())
                .isEqualTo(2);
        jdbc.sql("UPDATE prospect SET score = 75 WHERE id = :id")
                .param("id", hot)
                .update();
        JsonNode after = api.get("/api/v1/prospects/" + hot).json();
        assertThat(after.get("stars").asInt()).isEqualTo(3);
        assertThat(after.get("quadrant").asString()).isEqualTo("HOT");

        JsonNode reportAfter = api.get("/api/v1/reports/quadrant").json();
        assertThat(reportAfter.get("counts").get("HOT").asLong())
                .isEqualTo(report.get("counts").get("HOT").asLong() + 1);
        assertThat(reportAfter.get("counts").get("NURTURE").asLong())
                .isEqualTo(report.get("counts").get("NURTURE").asLong() - 1);
        assertThat(reportAfter.get("total").asLong())
                .isEqualTo(jdbc.sql("SELECT count(*) FROM prospect")
                        .query(Long.class)
                        .single());
        assertThat(reportAfter.get("mqlScore").asInt()).isEqualTo(50);
        assertThat(reportAfter.get("mqlGrade").asString()).isEqualTo("C");

        JsonNode filtered = api.get("/api/v1/prospects?quadrant=HOT&email=hot-" + unique + "@bigco.example")
                .json();
        assertThat(filtered.get("items").findValuesAsString("email"))
                .containsExactly("hot-" + unique + "@bigco.example");
        assertThat(api.get("/api/v1/prospects?quadrant=DISCARD&email=hot-" + unique + "@bigco.example")
                        .json()
                        .get("items"))
                .isEmpty();
        assertThat(api.get("/api/v1/prospects?quadrant=LUKEWARM").status()).isEqualTo(400);
    }

    @Test
    void theSqlQuadrantAgreesWithTheEngineForEveryGradeAndScore() {
        for (Grade grade : Grade.values()) {
            for (int score : new int[] {-20, 0, 24, 25, 49, 50, 51, 500}) {
                String sql = jdbc.sql("SELECT prospect_quadrant(:score, :grade)")
                        .param("score", score)
                        .param("grade", grade.display())
                        .query(String.class)
                        .single();
                assertThat(sql)
                        .as("%s at %d", grade, score)
                        .isEqualTo(Thresholds.DEFAULTS.quadrant(grade, score).name());
            }
        }
        assertThat(jdbc.sql("SELECT prospect_quadrant(80, NULL)")
                        .query(String.class)
                        .single())
                .isEqualTo("SCREEN");
    }

    @Test
    void prospectsStoredWithoutAProfileAreGradedOnStart() {
        long id = jdbc.sql("""
                        INSERT INTO prospect (email, job_title, employees, captured_at, created_at, updated_at)
                        VALUES (:email, 'Founder', 150, now(), now(), now()) RETURNING id""")
                .param("email", "bulk-" + unique + "@bigco.example")
                .query(Long.class)
                .single();
        assertThat(grade(id)).isNull();
        bootstrap.run(null);
        assertThat(grade(id)).isEqualTo("C+");
    }

    private String grade(long id) {
        return jdbc.sql("SELECT grade FROM prospect WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> java.util.Optional.ofNullable(rs.getString(1)))
                .single()
                .orElse(null);
    }

    private long createProfile(String name, String criteria) {
        return TestApi.created(
                api.post("/api/v1/grading-profiles", "{\"name\":\"" + name + "\",\"criteria\":" + criteria + "}"));
    }

    private TestApi.Response put(String path, String json) {
        return api.send(api.request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }
}
