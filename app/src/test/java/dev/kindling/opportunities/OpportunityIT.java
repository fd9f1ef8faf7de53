package dev.kindling.opportunities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Opportunities through the API and their effects on the funnel (SPEC §10): created with the prospect as a contact
 * → SQL and +50; won → CUSTOMER; all lost → −100 and RECYCLED (the score reset); one of two lost → nothing; a customer's new deal
 * leaves it a customer. Plus roles, bad input, and conditions over opportunities (a rule, a list). Data is unique
 * per test (shared context and database).
 */
@IntegrationTest
class OpportunityIT {

    @LocalServerPort
    int port;

    TestApi api;
    String run;
    final List<String> cleanup = new ArrayList<>();

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void deleteRulesAndLists() {
        cleanup.forEach(path -> api.send(api.request(path).DELETE().build()));
    }

    @Test
    void anOpportunityWithTheProspectAsContactMakesItSqlAndGivesTheCreatedRulesPoints() {
        long p = engagedProspect("buyer");
        assertThat(stage(p)).isEqualTo("ENGAGED");
        int before = score(p);

        JsonNode created = create("""
                {"name":"Big deal %s","amount":12000.50,"stage":"Discovery","closeDate":"2031-06-30",
                 "type":"NEW_BUSINESS","probability":20,
                 "contactRoles":[{"prospectId":%d,"role":"DECISION_MAKER","primary":true}]}""".formatted(run, p));
        long id = created.get("id").asLong();
        assertThat(created.get("status").asString()).isEqualTo("OPEN");
        assertThat(created.get("amount").decimalValue()).isEqualByComparingTo("12000.50");
        assertThat(created.get("currency").asString()).isEqualTo("USD");
        assertThat(created.get("createdBy").asString()).isEqualTo("user:admin@kindling.local");
        assertThat(created.get("contactRoles").get(0).get("role").asString()).isEqualTo("DECISION_MAKER");

        assertThat(stage(p)).isEqualTo("SQL");
        JsonNode last = lastTransition(p);
        assertThat(last.get("from").asString()).isEqualTo("ENGAGED");
        assertThat(last.get("cause").asString()).isEqualTo("opportunity:" + id);
        assertThat(last.get("causeKind").asString()).isEqualTo("opportunity");
        assertThat(score(p)).isEqualTo(before + 50);
        assertThat(rulePoints(p, "Opportunity created")).isEqualTo(50);
        assertThat(api.get("/api/v1/prospects/" + p + "/opportunities").json().get("items"))
                .extracting(n -> n.get("id").asLong())
                .containsExactly(id);
    }

    @Test
    void winningMakesEveryContactACustomer() {
        long a = engagedProspect("a");
        long b = engagedProspect("b");
        long id = create(deal(a, b)).get("id").asLong();
        assertThat(List.of(stage(a), stage(b))).containsOnly("SQL");

        TestApi.Response won = api.post("/api/v1/opportunities/" + id + "/won", "");
        assertThat(won.status()).as(won.body()).isEqualTo(200);
        assertThat(won.json().get("status").asString()).isEqualTo("WON");
        assertThat(won.json().get("stage").asString()).isEqualTo("Closed Won");
        assertThat(won.json().get("closedAt").isNull()).isFalse();
        assertThat(List.of(stage(a), stage(b))).containsOnly("CUSTOMER");
        assertThat(lastTransition(a).get("cause").asString()).isEqualTo("opportunity:" + id);
        assertThat(reached(a)).contains("SQL", "CUSTOMER");
    }

    @Test
    void losingTheOnlyOpportunityTakesTheLostRulesPointsAndRecyclesTheContactWithItsScoreReset() {
        long p = engagedProspect("loser");
        long id = create(deal(p)).get("id").asLong();
        int before = score(p);
        assertThat(before).as("two forms and a created deal").isGreaterThanOrEqualTo(100);

        TestApi.Response lost = api.post("/api/v1/opportunities/" + id + "/lost", "{\"reason\":\"COMPETITOR\"}");
        assertThat(lost.status()).as(lost.body()).isEqualTo(200);
        assertThat(lost.json().get("lostReason").asString()).isEqualTo("COMPETITOR");
        assertThat(stage(p)).isEqualTo("RECYCLED");
        assertThat(lastTransition(p).get("cause").asString()).isEqualTo("opportunity:" + id);
        // the lost rule's −100 while still SQL, then recycling's reset (docs/lifecycle.md, "Recycling")
        assertThat(score(p)).isZero();
        JsonNode ledger = api.get("/api/v1/prospects/" + p + "/score").json().get("ledger");
        assertThat(ledger.get(0).get("kind").asString()).isEqualTo("RESET");
        assertThat(ledger.get(0).get("delta").asInt()).isEqualTo(-(before - 100));
        assertThat(ledger.get(0).get("reason").asString()).startsWith("RECYCLE").contains("opportunity:" + id);
        assertThat(ledger.get(1).get("delta").asInt()).isEqualTo(-100);
        assertThat(ledger.get(1).get("kind").asString()).isEqualTo("ACTIVITY");
        assertThat(rulePoints(p, "Opportunity lost")).isEqualTo(-100);
    }

    @Test
    void losingOneOfTwoOpenOpportunitiesChangesNothingUntilTheOtherIsLostToo() {
        long p = engagedProspect("two");
        long first = create(deal(p)).get("id").asLong();
        long second = create(deal(p)).get("id").asLong();
        int score = score(p);
        int transitions = transitions(p).size();

        assertThat(api.post("/api/v1/opportunities/" + first + "/lost", "{\"reason\":\"PRICE\"}")
                        .status())
                .isEqualTo(200);
        assertThat(stage(p)).isEqualTo("SQL");
        assertThat(score(p)).isEqualTo(score);
        assertThat(transitions(p)).hasSize(transitions);

        assertThat(api.post("/api/v1/opportunities/" + second + "/lost", "{\"reason\":\"timing\"}")
                        .status())
                .isEqualTo(200);
        assertThat(stage(p)).isEqualTo("RECYCLED");
        assertThat(rulePoints(p, "Opportunity lost")).isEqualTo(-100);
        assertThat(score(p)).isZero();
        assertThat(lastTransition(p).get("cause").asString()).isEqualTo("opportunity:" + second);
    }

    @Test
    void aWonCustomersNewOpportunityLeavesItACustomerAndItsLossDoesNotRecycleIt() {
        long p = engagedProspect("loyal");
        long first = create(deal(p)).get("id").asLong();
        api.post("/api/v1/opportunities/" + first + "/won", "{\"closeDate\":\"2031-01-15\"}");
        assertThat(stage(p)).isEqualTo("CUSTOMER");
        int transitions = transitions(p).size();

        long upsell = create(deal(p)).get("id").asLong();
        assertThat(stage(p)).isEqualTo("CUSTOMER");
        assertThat(api.post("/api/v1/opportunities/" + upsell + "/lost", "{\"reason\":\"NO_DECISION\"}")
                        .status())
                .isEqualTo(200);
        assertThat(stage(p)).as("one of its deals is won").isEqualTo("CUSTOMER");
        assertThat(transitions(p)).hasSize(transitions);
        assertThat(api.get("/api/v1/opportunities/" + first)
                        .json()
                        .get("closeDate")
                        .asString())
                .isEqualTo("2031-01-15");
    }

    @Test
    void aProspectAddedToAnOpenOpportunityBecomesSqlAndOneTakenOffKeepsItsStage() {
        long a = engagedProspect("first");
        long b = engagedProspect("added");
        long id = create(deal(a)).get("id").asLong();
        TestApi.Response added = api.post("/api/v1/opportunities/" + id + "/contact-roles", """
                {"prospectId":%d,"role":"EVALUATOR","primary":true}""".formatted(b));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().get("contactRoles").get(0).get("prospectId").asLong())
                .as("the new primary first")
                .isEqualTo(b);
        assertThat(stage(b)).isEqualTo("SQL");
        assertThat(api.post("/api/v1/opportunities/" + id + "/contact-roles", """
                {"prospectId":%d,"role":"EVALUATOR"}""".formatted(b))
                        .status())
                .isEqualTo(409);

        TestApi.Response removed = api.send(api.request("/api/v1/opportunities/" + id + "/contact-roles/" + b)
                .DELETE()
                .build());
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("contactRoles"))
                .extracting(n -> n.get("prospectId").asLong())
                .containsExactly(a);
        assertThat(stage(b)).isEqualTo("SQL");
    }

    @Test
    void amountStageAndCloseDateAreEditedAndTheListFilters() {
        long p = engagedProspect("edit");
        long id = create(deal(p)).get("id").asLong();
        TestApi.Response patched = api.patch("/api/v1/opportunities/" + id, """
                {"amount":777,"stage":"Negotiation","closeDate":"2031-12-01"}""");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("amount").decimalValue()).isEqualByComparingTo("777");
        assertThat(patched.json().get("stage").asString()).isEqualTo("Negotiation");
        assertThat(patched.json().get("closeDate").asString()).isEqualTo("2031-12-01");
        assertThat(api.patch("/api/v1/opportunities/" + id, "{\"closeDate\":null}")
                        .json()
                        .get("closeDate")
                        .isNull())
                .isTrue();

        long other = create(deal(p)).get("id").asLong();
        api.post("/api/v1/opportunities/" + other + "/won", "");
        assertThat(ids("/api/v1/opportunities?prospectId=" + p)).containsExactly(other, id);
        assertThat(ids("/api/v1/opportunities?prospectId=" + p + "&status=won")).containsExactly(other);
        assertThat(ids("/api/v1/opportunities?prospectId=" + p + "&status=OPEN"))
                .containsExactly(id);
        JsonNode page =
                api.get("/api/v1/opportunities?prospectId=" + p + "&limit=1").json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(ids("/api/v1/opportunities?prospectId=" + p + "&limit=1&cursor="
                        + page.get("nextCursor").asString()))
                .containsExactly(id);
    }

    @Test
    void badInputIsRefusedWholeWithEveryFieldAndClosingAClosedOneIsAConflict() {
        long p = engagedProspect("bad");
        TestApi.Response bad = api.post("/api/v1/opportunities", """
                {"name":"","amount":-1,"currency":"EURO","probability":101,"stage":"x","extra":1,
                 "contactRoles":[{"prospectId":%d,"role":"BOSS"},{"prospectId":999999999,"role":"OTHER"}]}""".formatted(p));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").findValuesAsString("field"))
                .contains("name", "extra", "contactRoles[0].role");
        TestApi.Response refs = api.post("/api/v1/opportunities", """
                {"name":"n","amount":-1,"currency":"EURO","probability":101,
                 "contactRoles":[{"prospectId":999999999,"role":"OTHER"}]}""");
        assertThat(refs.status()).isEqualTo(400);
        assertThat(refs.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("amount", "currency", "probability", "contactRoles[0].prospectId");
        assertThat(api.get("/api/v1/prospects/" + p + "/opportunities").json().get("items"))
                .as("nothing stored")
                .isEmpty();
        assertThat(stage(p)).isEqualTo("ENGAGED");

        long id = create(deal(p)).get("id").asLong();
        TestApi.Response reason = api.post("/api/v1/opportunities/" + id + "/lost", "{\"reason\":\"BAD_LUCK\"}");
        assertThat(reason.status()).isEqualTo(400);
        assertThat(reason.json().get("errors").findValuesAsString("field")).containsExactly("reason");
        assertThat(api.post("/api/v1/opportunities/" + id + "/lost", "{}").status())
                .isEqualTo(400);
        assertThat(api.get("/api/v1/opportunities/" + id).json().get("status").asString())
                .isEqualTo("OPEN");

        assertThat(api.post("/api/v1/opportunities/" + id + "/won", "").status())
                .isEqualTo(200);
        TestApi.Response again = api.post("/api/v1/opportunities/" + id + "/lost", "{\"reason\":\"PRICE\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(api.post("/api/v1/opportunities/" + id + "/won", "").status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/opportunities/" + id).json().get("status").asString())
                .isEqualTo("WON");
        assertThat(api.get("/api/v1/opportunities/999999999").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/opportunities/999999999/won", "").status()).isEqualTo(404);
    }

    @Test
    void onlyAdminAndTheSalesRolesWriteOpportunitiesWhileEveryoneReads() {
        long p = engagedProspect("roles");
        long id = create(deal(p)).get("id").asLong();
        TestApi marketing = keyFor("MARKETING");
        TestApi viewer = keyFor("VIEWER");
        TestApi sales = keyFor("SALES");
        TestApi inside = keyFor("INSIDE_SALES");

        TestApi.Response denied = marketing.post("/api/v1/opportunities", deal(p));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.contentType()).startsWith("application/problem+json");
        assertThat(marketing
                        .patch("/api/v1/opportunities/" + id, "{\"amount\":1}")
                        .status())
                .isEqualTo(403);
        assertThat(marketing.post("/api/v1/opportunities/" + id + "/won", "").status())
                .isEqualTo(403);
        assertThat(viewer.post("/api/v1/opportunities/" + id + "/lost", "{\"reason\":\"PRICE\"}")
                        .status())
                .isEqualTo(403);
        assertThat(marketing.get("/api/v1/opportunities/" + id).status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/opportunities?prospectId=" + p).json().get("items"))
                .hasSize(1);
        assertThat(viewer.get("/api/v1/prospects/" + p + "/opportunities").status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/opportunities/" + id).json().get("status").asString())
                .isEqualTo("OPEN");

        assertThat(sales.post("/api/v1/opportunities", deal(p)).status()).isEqualTo(201);
        assertThat(inside.patch("/api/v1/opportunities/" + id, "{\"stage\":\"Proposal\"}")
                        .status())
                .isEqualTo(200);
        assertThat(sales.post("/api/v1/opportunities/" + id + "/won", "").status())
                .isEqualTo(200);
    }

    @Test
    void anAutomationRuleOnALostOpportunityWithin90DaysFiresWhenTheDealIsLost() {
        long p = engagedProspect("rule");
        long other = engagedProspect("norule");
        long id = create(deal(p)).get("id").asLong();
        create(deal(other));
        long ruleId = TestApi.created(api.post("/api/v1/automation-rules", """
                {"name":"Lost %s","condition":{"all":[{"field":"email","op":"contains","value":"%s"},
                  {"opportunity":{"status":["LOST"],"closedWithinDays":90}}]},
                 "actions":[{"type":"setDoNotEmail","value":true}]}""".formatted(run, run)));
        cleanup.add("/api/v1/automation-rules/" + ruleId);
        assertThat(api.post("/api/v1/automation-rules/" + ruleId + "/resume", "")
                        .json()
                        .get("matched")
                        .asLong())
                .isZero();

        api.post("/api/v1/opportunities/" + id + "/lost", "{\"reason\":\"FEATURES\"}");
        JsonNode matches = api.get("/api/v1/automation-rules/" + ruleId + "/matches")
                .json()
                .get("items");
        assertThat(matches).extracting(n -> n.get("prospectId").asLong()).containsExactly(p);
        assertThat(matches.get(0).get("source").asString()).isEqualTo("CONTINUOUS");
        assertThat(api.get("/api/v1/prospects/" + p).json().get("doNotEmail").asBoolean())
                .isTrue();
        assertThat(api.get("/api/v1/prospects/" + other)
                        .json()
                        .get("doNotEmail")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void aDynamicListWithAnOpportunityConditionHoldsTheProspectsWithABigOpenDealAndNeverThoseWithout() {
        long big = engagedProspect("big");
        long small = engagedProspect("small");
        long none = engagedProspect("none");
        create(deal(big).replace("\"amount\":1000", "\"amount\":50000"));
        long smallDeal = create(deal(small)).get("id").asLong();
        long list = TestApi.created(api.post("/api/v1/lists", """
                {"name":"Big open %s","kind":"DYNAMIC","condition":{"all":[
                  {"field":"email","op":"contains","value":"%s"},
                  {"opportunity":{"status":["OPEN"],"minAmount":10000}}]}}""".formatted(run, run)));
        cleanup.add("/api/v1/lists/" + list);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(members(list)).containsExactly(big));

        api.patch("/api/v1/opportunities/" + smallDeal, "{\"amount\":20000}");
        assertThat(members(list))
                .as("an edited amount re-evaluates the contacts")
                .containsExactlyInAnyOrder(big, small);

        TestApi.Response negated = api.post("/api/v1/lists", """
                {"name":"No big open %s","kind":"DYNAMIC","condition":{"all":[
                  {"field":"email","op":"contains","value":"%s"},
                  {"not":{"opportunity":{"status":["OPEN"],"minAmount":30000}}}]}}""".formatted(run, run));
        long notList = negated.json().get("id").asLong();
        cleanup.add("/api/v1/lists/" + notList);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(members(notList))
                        .as("a prospect without any opportunity matches no "
                                + "opportunity condition, not even a negated one")
                        .containsExactly(small));
        assertThat(none).isPositive();
    }

    // ---- helpers

    private String deal(long... prospects) {
        StringBuilder roles = new StringBuilder();
        for (int i = 0; i < prospects.length; i++) {
            roles.append(i == 0 ? "" : ",")
                    .append("{\"prospectId\":")
                    .append(prospects[i])
                    .append(",\"role\":\"")
                    .append(i == 0 ? "ECONOMIC_BUYER" : "INFLUENCER")
                    .append("\"")
                    .append(i == 0 ? ",\"primary\":true" : "")
                    .append("}");
        }
        return "{\"name\":\"Deal " + run + "\",\"amount\":1000,\"contactRoles\":[" + roles + "]}";
    }

    private JsonNode create(String body) {
        TestApi.Response created = api.post("/api/v1/opportunities", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.raw().headers().firstValue("Location"))
                .hasValue("/api/v1/opportunities/" + created.json().get("id").asLong());
        return created.json();
    }

    /** A prospect that clicked and sent two forms (100 points) but grades too low for MQL: ENGAGED. */
    private long engagedProspect(String name) {
        long id = api.newProspect("""
                {"email":"%s-%s@opps-%s.example","jobTitle":"Analyst"}""".formatted(name, run, run));
        Instant at = Instant.now().minusSeconds(30);
        IntakeProgress.ingest(api, """
                {"activities":[
                  {"externalId":"%s-%d-1","prospectId":%d,"type":"FORM_SUBMIT","occurredAt":"%s",
                   "properties":{"formName":"Whitepaper"}},
                  {"externalId":"%s-%d-2","prospectId":%d,"type":"FORM_SUBMIT","occurredAt":"%s",
                   "properties":{"formName":"Webinar"}}]}""".formatted(run, id, id, at, run, id, id, at.plusSeconds(1)));
        return id;
    }

    private TestApi keyFor(String role) {
        String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@opps.example";
        var user = api.post("/api/v1/users", """
                {"email":"%s","name":"A %s","role":"%s","password":"long-enough-password"}""".formatted(email, role, role));
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        var key =
                api.post("/api/v1/api-keys", """
                {"userId":%d,"name":"opps"}""".formatted(user.json().get("id").asLong()));
        assertThat(key.status()).isEqualTo(201);
        return api.as(key.json().get("key").asString());
    }

    private String stage(long id) {
        return api.get("/api/v1/prospects/" + id + "/stages")
                .json()
                .get("stage")
                .asString();
    }

    private JsonNode transitions(long id) {
        return api.get("/api/v1/prospects/" + id + "/stages").json().get("transitions");
    }

    private JsonNode lastTransition(long id) {
        JsonNode t = transitions(id);
        return t.get(t.size() - 1);
    }

    private List<String> reached(long id) {
        List<String> out = new ArrayList<>();
        api.get("/api/v1/prospects/" + id + "/stages")
                .json()
                .get("reached")
                .forEach(n -> out.add(n.get("stage").asString()));
        return out;
    }

    private int score(long id) {
        return api.get("/api/v1/prospects/" + id + "/score").json().get("score").asInt();
    }

    private long rulePoints(long id, String rule) {
        for (JsonNode r : api.get("/api/v1/prospects/" + id + "/score").json().get("byRule")) {
            if (rule.equals(r.get("name").asString())) {
                return r.get("points").asLong();
            }
        }
        return 0;
    }

    private List<Long> ids(String path) {
        List<Long> ids = new ArrayList<>();
        TestApi.Response response = api.get(path);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        response.json().get("items").forEach(n -> ids.add(n.get("id").asLong()));
        return ids;
    }

    private List<Long> members(long list) {
        List<Long> ids = new ArrayList<>();
        api.get("/api/v1/lists/" + list + "/members")
                .json()
                .get("items")
                .forEach(n -> ids.add(n.get("prospectId").asLong()));
        return ids;
    }
}
