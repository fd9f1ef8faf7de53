package dev.kindling.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Assignment against the running app: round-robin order and fairness (also under two concurrent batches),
 * territories, owned prospects left alone unless forced, MQL and hand-raise through intake, the rule action. Every
 * test makes its own team, users and prospects; tests that change the global stage-entry settings put them back.
 */
@IntegrationTest
// alone among the shared context's classes: changes the global stage-entry assignment settings
@ResourceLock(IntegrationTest.SHARED_DATA)
class AssignmentIT {

    @LocalServerPort
    int port;

    @Autowired
    Assignments assignments;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    TestApi api;
    People people;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        people = new People(api);
    }

    @Test
    void roundRobinGivesTheLeastRecentlyAssignedFirstTheOldestUserBreaksTiesAndOnlyActiveSalesMembersReceive() {
        long team = people.team("rr", null);
        long ann = people.user("Ann", "INSIDE_SALES", team);
        long bob = people.user("Bob", "SALES", team);
        long cat = people.user("Cat", "INSIDE_SALES", team);
        long inactive = people.user("Dan", "INSIDE_SALES", team, false);
        long marketer = people.user("Eve", "MARKETING", team);
        // Cat, created last, is the oldest user: age breaks the tie among the never assigned, not the id
        jdbc.sql("UPDATE app_user SET created_at = created_at - interval '1 day' WHERE id = :id")
                .param("id", cat)
                .update();

        List<Long> first = prospects("first", 4);
        List<Assignment> done = assignments.assign(first, new AssignmentCause.RoundRobin(team, "test"), false);
        assertThat(done).extracting(Assignment::userId).containsExactly(cat, ann, bob, cat);
        assertThat(done).allSatisfy(a -> {
            assertThat(a.teamId()).isEqualTo(team);
            assertThat(a.cause()).isEqualTo("test");
            assertThat(a.forced()).isFalse();
        });
        assertThat(first).extracting(people::owner).containsExactly(cat, ann, bob, cat);

        // Ann now gets one directly: she becomes the most recently assigned, Bob the least
        assignments.assignTo(prospects("direct", 1).getFirst(), ann, "test", false);
        List<Assignment> next =
                assignments.assign(prospects("next", 3), new AssignmentCause.RoundRobin(team, "test"), false);
        assertThat(next).extracting(Assignment::userId).containsExactly(bob, cat, ann);
        assertThat(ownersOf(team)).doesNotContainKeys(inactive, marketer);
    }

    @Test
    void twoBatchesAssigningInOneTeamAtOnceStayFairBecauseTheSecondWaitsForTheFirst() throws Exception {
        long team = people.team("concurrent", null);
        List<Long> members = List.of(
                people.user("A", "SALES", team), people.user("B", "SALES", team), people.user("C", "SALES", team));
        List<Long> first = prospects("one", 10);
        List<Long> second = prospects("two", 10);
        CountDownLatch firstAssigned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // two threads of their own: the common pool may have a single worker on a small machine
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<Void> one = CompletableFuture.runAsync(
                () -> transactions.executeWithoutResult(tx -> {
                    assignments.assign(first, new AssignmentCause.RoundRobin(team, "one"), false);
                    firstAssigned.countDown();
                    waitFor(release);
                }),
                threads);
        assertThat(firstAssigned.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> two = CompletableFuture.runAsync(
                () -> assignments.assign(second, new AssignmentCause.RoundRobin(team, "two"), false), threads);
        // the second batch is blocked on the team's rotation lock while the first is still open
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM team%'""").query(Long.class).single() > 0);
        release.countDown();
        one.get(30, TimeUnit.SECONDS);
        two.get(30, TimeUnit.SECONDS);
        threads.shutdown();

        Map<Long, Long> counts = ownersOf(team);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(members);
        assertThat(counts.values())
                .as("20 prospects over 3 members: %s", counts)
                .containsExactlyInAnyOrder(7L, 7L, 6L);
    }

    @Test
    void territoriesMatchInOrderWithoutCaseElseTheFallbackTeamTakesTheRest() {
        long dach = people.team("dach", null);
        long dachRep = people.user("Dachrep", "INSIDE_SALES", dach);
        long fallback = people.team("fallback", null);
        long fallbackRep = people.user("Fallbackrep", "SALES", fallback);
        long enterprise = people.user("Enterprise", "SALES", null);
        // countries no other test's territory names; the industry is this run's own
        String de = "LI";
        String software = "Software-" + people.run;
        List<Long> territories = List.of(
                territory("{\"name\":\"Dach-%s\",\"countries\":[\"li\",\"SM\"],\"teamId\":%d}"
                        .formatted(people.run, dach)),
                territory("{\"name\":\"Big software-%s\",\"industries\":[\"%s\"],\"minEmployees\":1000,\"userId\":%d}"
                        .formatted(people.run, software, enterprise)));
        try {
            long german = people.prospect(
                    "german",
                    "\"country\":\"" + de.toLowerCase() + "\",\"industry\":\"" + software + "\",\"employees\":5000");
            long bigSoftware = people.prospect(
                    "big", "\"country\":\"US\",\"industry\":\"" + software.toUpperCase() + "\",\"employees\":1000");
            long smallSoftware =
                    people.prospect("small", "\"country\":\"US\",\"industry\":\"" + software + "\",\"employees\":999");
            long nowhere = people.prospect("nowhere", "");

            List<Assignment> done = assignments.assign(
                    List.of(german, bigSoftware, smallSoftware, nowhere),
                    new AssignmentCause.Territories(fallback, "territory-test"),
                    false);
            Map<Long, Assignment> byProspect = done.stream().collect(Collectors.toMap(Assignment::prospectId, a -> a));
            assertThat(byProspect.get(german).userId())
                    .as("the first territory wins")
                    .isEqualTo(dachRep);
            assertThat(byProspect.get(german).teamId()).isEqualTo(dach);
            assertThat(byProspect.get(bigSoftware).userId()).isEqualTo(enterprise);
            assertThat(byProspect.get(bigSoftware).teamId()).isNull();
            assertThat(byProspect.get(smallSoftware).userId()).isEqualTo(fallbackRep);
            assertThat(byProspect.get(nowhere).userId()).isEqualTo(fallbackRep);
            assertThat(byProspect.get(nowhere).teamId()).isEqualTo(fallback);
        } finally {
            territories.forEach(t ->
                    api.send(api.request("/api/v1/territories/" + t).DELETE().build()));
        }
    }

    @Test
    void anOwnedProspectIsNeverReassignedUnlessForced() {
        long team = people.team("owned", null);
        long first = people.user("First", "SALES", team);
        long second = people.user("Second", "SALES", team);
        long id = prospects("owned", 1).getFirst();
        assertThat(assignments.assignTo(id, first, "test", false)).isNotNull();

        assertThat(assignments.assign(List.of(id), new AssignmentCause.RoundRobin(team, "again"), false))
                .isEmpty();
        assertThat(assignments.assignTo(id, second, "test", false)).isNull();
        assertThat(people.owner(id)).isEqualTo(first);
        assertThat(assignments.history(id)).hasSize(1);

        Assignment forced = assignments
                .assign(List.of(id), new AssignmentCause.ToUser(second, "forced"), true)
                .getFirst();
        assertThat(forced.forced()).isTrue();
        assertThat(people.owner(id)).isEqualTo(second);
        assertThat(assignments.history(id)).extracting(Assignment::userId).containsExactly(second, first);
    }

    @Test
    void reachingMqlThroughIntakeAssignsRoundRobinAndAHandRaiseUsesTheSqlSetting() {
        long mqlTeam = people.team("mql", null);
        long mqlRep = people.user("Mqlrep", "INSIDE_SALES", mqlTeam);
        long sqlTeam = people.team("sql", null);
        long sqlRep = people.user("Sqlrep", "SALES", sqlTeam);
        JsonNode before = api.get("/api/v1/assignment/settings").json();
        try {
            TestApi.Response put = put("/api/v1/assignment/settings", """
                    {"MQL":{"mode":"ROUND_ROBIN","teamId":%d},"SQL":{"mode":"TERRITORY","teamId":%d}}""".formatted(mqlTeam, sqlTeam));
            assertThat(put.status()).as(put.body()).isEqualTo(200);

            long id = people.prospect("director", "\"jobTitle\":\"Director of IT\",\"employees\":500");
            activity(id, "EMAIL_CLICK", null);
            assertThat(people.owner(id)).as("ENGAGED is not an assigning entry").isNull();
            activity(id, "FORM_SUBMIT", "Whitepaper");
            assertThat(api.get("/api/v1/prospects/" + id).json().get("stage").asString())
                    .isEqualTo("MQL");
            assertThat(people.owner(id)).isEqualTo(mqlRep);
            JsonNode history =
                    api.get("/api/v1/prospects/" + id + "/assignments").json();
            assertThat(history).hasSize(1);
            assertThat(history.get(0).get("cause").asString()).isEqualTo("stage:MQL");
            assertThat(history.get(0).get("userName").asString()).isEqualTo("Mqlrep");

            long raiser = people.prospect("raiser", "");
            activity(raiser, "DEMO_REQUEST", null);
            assertThat(api.get("/api/v1/prospects/" + raiser)
                            .json()
                            .get("stage")
                            .asString())
                    .isEqualTo("SQL");
            assertThat(people.owner(raiser))
                    .as("no territory matches: the fallback team")
                    .isEqualTo(sqlRep);

            // an owner already there is kept when the prospect raises its hand later
            activity(id, "DEMO_REQUEST", null);
            assertThat(people.owner(id)).isEqualTo(mqlRep);
            assertThat(api.get("/api/v1/prospects/" + id + "/assignments").json())
                    .hasSize(1);
        } finally {
            put("/api/v1/assignment/settings", before.toString());
        }
    }

    @Test
    void anAutomationRuleAssignsItsMatchesRoundRobinAndRecordsTheRuleAsCause() {
        long team = people.team("rule", null);
        long rep = people.user("Rulerep", "INSIDE_SALES", team);
        long a = people.prospect("a", "\"industry\":\"Software\"");
        long b = people.prospect("b", "\"industry\":\"Finance\"");
        String domain = "@corp-" + people.run + ".example";
        TestApi.Response rule = api.post("/api/v1/automation-rules", """
                {"name":"Assign software %s","condition":{"all":[{"field":"email","op":"endsWith","value":"%s"},
                 {"field":"industry","op":"eq","value":"Software"}]},"actions":[{"type":"assign","teamId":%d}]}""".formatted(people.run, domain, team));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        long ruleId = rule.json().get("id").asLong();
        try {
            assertThat(rule.json().get("actions").get(0).get("teamId").asLong()).isEqualTo(team);
            assertThat(api.post("/api/v1/automation-rules/" + ruleId + "/resume", "")
                            .status())
                    .isEqualTo(200);
            assertThat(people.owner(a)).isEqualTo(rep);
            assertThat(people.owner(b)).isNull();
            assertThat(assignments.history(a).getFirst().cause()).isEqualTo("rule:" + ruleId);

            TestApi.Response bad = api.post("/api/v1/automation-rules", """
                    {"name":"Bad %s","condition":{"field":"email","op":"endsWith","value":"%s"},
                     "actions":[{"type":"assign","teamId":%d,"userId":%d},{"type":"assign","userId":-1}]}""".formatted(people.run, domain, team, rep));
            assertThat(bad.status()).as(bad.body()).isEqualTo(400);
            assertThat(bad.json().get("errors").findValuesAsString("field"))
                    .containsExactly("actions[0].teamId", "actions[1].userId");
        } finally {
            api.send(api.request("/api/v1/automation-rules/" + ruleId).DELETE().build());
        }
    }

    @Test
    void everyAssignmentMailsTheNewOwnerOnceWithTheProspectAsPlainText() {
        long team = people.team("notice", null);
        long rep = people.user("Noticerep", "INSIDE_SALES", team);
        long other = people.user("Otherrep", "SALES", null);
        long id = people.prospect("noticed", "\"firstName\":\"Zoë\",\"company\":\"Acme\"");
        Assignment first = assignments
                .assign(List.of(id), new AssignmentCause.RoundRobin(team, "test"), false)
                .getFirst();
        Assignment second = assignments
                .assign(List.of(id), new AssignmentCause.ToUser(other, "test"), true)
                .getFirst();

        record Mail(String to, String subject, String text) {}
        Function<Assignment, List<Mail>> mails = a -> jdbc.sql("""
                        SELECT to_address, subject, text_body FROM mail_outbox WHERE dedupe_key LIKE :key ORDER BY id""")
                .param("key", "%assigned:" + a.id() + ":%")
                .query((rs, n) -> new Mail(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
        List<Mail> toRep = mails.apply(first);
        assertThat(toRep).hasSize(1);
        assertThat(toRep.getFirst().to()).isEqualTo("noticerep-" + people.run + "@people.example");
        assertThat(toRep.getFirst().subject()).isEqualTo("New prospect for you: Zoë");
        assertThat(toRep.getFirst().text()).contains("Acme", "/prospects/" + id);
        assertThat(mails.apply(second))
                .extracting(Mail::to)
                .containsExactly("otherrep-" + people.run + "@people.example");
        assertThat(mails.apply(second).getFirst().text()).contains("replacing the previous owner");
        assertThat(rep).isNotEqualTo(other);
    }

    private Map<Long, Long> ownersOf(long team) {
        return jdbc
                .sql("SELECT user_id FROM assignment WHERE team_id = :team")
                .param("team", team)
                .query(Long.class)
                .list()
                .stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private List<Long> prospects(String prefix, int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(people.prospect(
                    prefix + i + "-" + UUID.randomUUID().toString().substring(0, 4), ""));
        }
        return ids;
    }

    private long territory(String json) {
        return TestApi.created(api.post("/api/v1/territories", json));
    }

    private TestApi.Response put(String path, String json) {
        return api.send(api.request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private void activity(long id, String type, String formName) {
        String props = formName == null ? "" : ",\"properties\":{\"formName\":\"" + formName + "\"}";
        IntakeProgress.ingest(
                api, """
                {"activities":[{"externalId":"%s","prospectId":%d,"type":"%s","occurredAt":"%s"%s}]}""".formatted(UUID.randomUUID(), id, type, Instant.now().minusSeconds(10), props));
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
