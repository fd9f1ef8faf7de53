package dev.kindling.lists;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Lists through the API: definitions, the event path, rebuilds, static members, history and bad input. */
@IntegrationTest
// alone among the shared context's classes: counts every list
@ResourceLock(IntegrationTest.SHARED_DATA)
class ListsIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    Memberships memberships;

    @Autowired
    DynamicLists dynamicLists;

    TestApi api;
    String run;
    final List<Long> created = new ArrayList<>();

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void deleteLists() {
        // dependants first: the shared database keeps no list of this test watching other tests' prospects
        for (int i = created.size() - 1; i >= 0; i--) {
            delete("/api/v1/lists/" + created.get(i));
        }
    }

    /**
     * The event path reads the lists of the prospects it evaluates by prospect (the conditions' facts, the dynamic
     * lists' apply when the facts did not): from the index alone, without a heap fetch per membership (V750; at M with the realistic
     * configuration those fetches were about half of the database's time in W5's burst, docs/benchmarks.md).
     */
    @Test
    void aProspectsListsAreReadFromTheIndexAlone() {
        String plan = new TransactionTemplate(transactions).execute(status -> {
            // what the planner could use, not what it prefers on the test's small table
            jdbc.sql("SET LOCAL enable_seqscan = off").update();
            jdbc.sql("SET LOCAL enable_bitmapscan = off").update();
            return String.join(
                    "\n",
                    jdbc.sql("EXPLAIN SELECT list_id, prospect_id FROM list_member WHERE prospect_id = ANY(:ids)")
                            .param("ids", new Long[] {1L, 2L, 3L})
                            .query(String.class)
                            .list());
        });
        assertThat(plan).contains("Index Only Scan using list_member_prospect_list_idx");
    }

    /**
     * The watchers read the lists' definitions when their settle starts; a list deleted by another transaction after
     * that gets no members from the settle (it failed the prospect's write on the list's foreign key: a 500 for
     * whatever request changed the prospect).
     */
    @Test
    void aListDeletedSinceItsDefinitionWasReadGetsNoMembers() {
        long prospect = prospect("deleted-list-" + run + "@example.com", "Software");
        long list = dynamic("Deleted " + run, condition("Finance"));
        assertThat(delete("/api/v1/lists/" + list).status()).isEqualTo(204);
        created.remove(Long.valueOf(list));

        List<Memberships.Change> joined = new TransactionTemplate(transactions)
                .execute(status ->
                        memberships.join(List.of(new Memberships.Change(list, prospect)), Instant.now(), "condition"));

        assertThat(joined).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM list_member WHERE list_id = :l")
                        .param("l", list)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    /**
     * The dynamic lists' watcher moves prospects from the memberships the settle's facts load handed it (when the
     * round's conditions test list membership) as from those it reads itself: a member still matching is not joined
     * again, one that stopped matching leaves, one that started joins, and the memberships of a prospect the handed
     * ones lack are read.
     */
    @Test
    void theDynamicListsMoveProspectsFromTheMembershipsTheSettleLoaded() {
        for (String handed : List.of("loaded", "not loaded", "incomplete")) {
            String tag = handed.replace(' ', '-') + "-" + run;
            String industry = "Handed" + tag.hashCode();
            long stays = prospect("stays-" + tag + "@example.com", industry);
            long leaves = prospect("leaves-" + tag + "@example.com", industry);
            long joins = prospect("joins-" + tag + "@example.com", "Software");
            long list = dynamic("Handed " + tag, """
                    {"all": [{"field": "email", "op": "contains", "value": "%s"},
                             {"field": "industry", "op": "eq", "value": "%s"}]}""".formatted(tag, industry));
            assertThat(members(list)).containsExactlyInAnyOrder(stays, leaves);

            new TransactionTemplate(transactions).executeWithoutResult(status -> {
                // the facts changed without an event, so that the answers below are the true ones
                jdbc.sql("UPDATE prospect SET industry = CASE WHEN id = :l THEN 'Retail' ELSE :i END"
                                + " WHERE id IN (:l, :j)")
                        .param("l", leaves)
                        .param("j", joins)
                        .param("i", industry)
                        .update();
                Map<Long, Set<Long>> lists = new HashMap<>();
                lists.put(stays, Set.of(list));
                lists.put(leaves, Set.of(list));
                if (!handed.equals("incomplete")) {
                    lists.put(joins, Set.of());
                }
                dynamicLists.apply(
                        Set.of(stays, leaves, joins),
                        Map.of(list, Set.of(stays, joins)),
                        Instant.now(),
                        Map.of(),
                        handed.equals("not loaded") ? null : lists);
            });

            assertThat(members(list)).as(handed).containsExactlyInAnyOrder(stays, joins);
            assertThat(jdbc.sql("""
                            SELECT prospect_id || '/' || change || '/' || reason FROM list_membership_event
                             WHERE list_id = :list ORDER BY prospect_id, at, change""").param("list", list).query(String.class).list())
                    .as(handed)
                    .containsExactlyInAnyOrder(
                            stays + "/JOINED/rebuild",
                            leaves + "/JOINED/rebuild",
                            leaves + "/LEFT/condition",
                            joins + "/JOINED/condition");
        }
    }

    @Test
    void aProspectJoinsADynamicListWithinTheProcessingOfTheActivityThatMadeItMatch() {
        long id = prospect("reader-" + run + "@example.com", "Software");
        long list = dynamic("Clickers " + run, """
                {"all": [{"field": "email", "op": "contains", "value": "%s"},
                         {"activity": {"type": "EMAIL_CLICK"}}]}""".formatted(run));
        assertThat(members(list)).isEmpty();

        activity(id, "EMAIL_CLICK");
        IntakeProgress.awaitDrained(api);

        assertThat(members(list)).containsExactly(id);
        JsonNode history = api.get("/api/v1/lists/" + list + "/history").json().get("items");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("change").asString()).isEqualTo("JOINED");
        assertThat(history.get(0).get("reason").asString()).isEqualTo("condition");
        assertThat(api.get("/api/v1/prospects/" + id + "/lists").json().get("items"))
                .extracting(n -> n.get("listId").asLong())
                .containsExactly(list);
        assertThat(api.get("/api/v1/prospects?listId=" + list).json().get("items"))
                .extracting(n -> n.get("id").asLong())
                .containsExactly(id);
    }

    @Test
    void aFieldEditMovesAProspectOutOfADynamicListAtOnce() {
        long id = prospect("finance-" + run + "@example.com", "Finance");
        long list = dynamic("Finance " + run, """
                {"all": [{"field": "email", "op": "contains", "value": "%s"},
                         {"field": "industry", "op": "eq", "value": "finance"}]}""".formatted(run));
        assertThat(members(list)).containsExactly(id);

        assertThat(api.patch("/api/v1/prospects/" + id, "{\"industry\":\"Retail\"}")
                        .status())
                .isEqualTo(200);

        assertThat(members(list)).isEmpty();
        assertThat(api.get("/api/v1/lists/" + list + "/history").json().get("items"))
                .extracting(
                        n -> n.get("change").asString() + "/" + n.get("reason").asString())
                .containsExactly("LEFT/condition", "JOINED/rebuild");
    }

    @Test
    void editingTheConditionRebuildsTheMembersSetBasedWithJoinersAndLeaversInTheHistory() {
        long software = prospect("sw-" + run + "@example.com", "Software");
        long finance = prospect("fin-" + run + "@example.com", "Finance");
        long list = dynamic("Industry " + run, condition("Software"));
        assertThat(members(list)).containsExactly(software);

        TestApi.Response edited = put(
                "/api/v1/lists/" + list,
                "{\"name\":\"Industry " + run + "\",\"kind\":\"DYNAMIC\",\"condition\":" + condition("Finance") + "}");

        assertThat(edited.status()).isEqualTo(200);
        JsonNode rebuild = edited.json().get("rebuild");
        assertThat(rebuild.get("joined").asLong()).isEqualTo(1);
        assertThat(rebuild.get("left").asLong()).isEqualTo(1);
        assertThat(rebuild.get("millis").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(members(list)).containsExactly(finance);
        assertThat(api.get("/api/v1/lists/" + list + "/history").json().get("items"))
                .extracting(n -> n.get("prospectId").asLong() + ":"
                        + n.get("change").asString() + "/" + n.get("reason").asString())
                .containsExactly(finance + ":JOINED/rebuild", software + ":LEFT/rebuild", software + ":JOINED/rebuild");
    }

    @Test
    void aStaticListTakesMembersByHandAndADynamicOneRefusesThem() {
        long a = prospect("a-" + run + "@example.com", null);
        long b = prospect("b-" + run + "@example.com", null);
        TestApi.Response made = api.post("/api/v1/lists", "{\"name\":\"Hand " + run + "\",\"kind\":\"STATIC\"}");
        assertThat(made.status()).isEqualTo(201);
        long list = made.json().get("id").asLong();
        created.add(list);

        assertThat(api.post("/api/v1/lists/" + list + "/members", "{\"prospectIds\":[" + a + "," + b + "," + a + "]}")
                        .json()
                        .get("added")
                        .asInt())
                .isEqualTo(2);
        assertThat(members(list)).containsExactlyInAnyOrder(a, b);
        assertThat(send("DELETE", "/api/v1/lists/" + list + "/members", "{\"prospectIds\":[" + a + "]}")
                        .json()
                        .get("removed")
                        .asInt())
                .isEqualTo(1);
        assertThat(members(list)).containsExactly(b);
        assertThat(api.get("/api/v1/lists/" + list + "/history").json().get("items"))
                .extracting(
                        n -> n.get("change").asString() + "/" + n.get("reason").asString())
                .containsExactly("LEFT/manual", "JOINED/manual", "JOINED/manual");

        TestApi.Response missing =
                api.post("/api/v1/lists/" + list + "/members", "{\"prospectIds\":[" + a + ", 999999999]}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("prospectIds[1]");
        assertThat(members(list)).containsExactly(b);

        long dynamic = dynamic("Dyn " + run, condition("Software"));
        assertThat(api.post("/api/v1/lists/" + dynamic + "/members", "{\"prospectIds\":[" + a + "]}")
                        .status())
                .isEqualTo(409);
    }

    @Test
    void aListInAnotherListsConditionFollowsItAndCannotBeDeletedOrMadeACycle() {
        long id = prospect("nested-" + run + "@example.com", "Software");
        long inner = dynamic("Inner " + run, condition("Software"));
        long outer = dynamic("Outer " + run, "{\"list\": {\"memberOf\": " + inner + "}}");
        assertThat(members(outer)).containsExactly(id);

        assertThat(api.patch("/api/v1/prospects/" + id, "{\"industry\":\"Retail\"}")
                        .status())
                .isEqualTo(200);
        assertThat(members(inner)).isEmpty();
        assertThat(members(outer))
                .as("the outer list follows within the same change")
                .isEmpty();

        TestApi.Response delete = delete("/api/v1/lists/" + inner);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.body()).contains("Outer " + run);

        TestApi.Response cycle = put(
                "/api/v1/lists/" + inner,
                "{\"name\":\"Inner " + run + "\",\"kind\":\"DYNAMIC\",\"condition\":{\"list\":{\"memberOf\":" + outer
                        + "}}}");
        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.body()).contains("cycle");
        TestApi.Response self = put(
                "/api/v1/lists/" + inner,
                "{\"name\":\"Inner " + run + "\",\"kind\":\"DYNAMIC\",\"condition\":{\"list\":{\"memberOf\":" + inner
                        + "}}}");
        assertThat(self.status()).isEqualTo(400);
    }

    @Test
    void badDefinitionsAreRefusedWithEveryProblemAndNothingIsStored() {
        int before = api.get("/api/v1/lists").json().get("items").size();

        TestApi.Response bad = api.post("/api/v1/lists", """
                {"name": "", "kind": "DYNAMIC", "condition": {"all": [{"field": "password", "op": "eq", "value": "x"},
                 {"activity": {"withinDays": 0}}]}, "extra": 1}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors"))
                .extracting(n -> n.get("field").asString())
                .contains("name", "extra", "condition.all[0].field", "condition.all[1].activity.withinDays");

        assertThat(api.post("/api/v1/lists", "{\"name\":\"x" + run + "\",\"kind\":\"DYNAMIC\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post(
                                "/api/v1/lists",
                                "{\"name\":\"x" + run + "\",\"kind\":\"STATIC\",\"condition\":{\"score\":{\"gte\":1}}}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post(
                                "/api/v1/lists",
                                "{\"name\":\"x" + run + "\",\"kind\":\"DYNAMIC\",\"condition\":"
                                        + "{\"program\":{\"enrolledIn\":5}}}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post(
                                "/api/v1/lists",
                                "{\"name\":\"x" + run + "\",\"kind\":\"DYNAMIC\",\"condition\":"
                                        + "{\"list\":{\"memberOf\":999999999}}}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/lists", "[1]").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/lists/999999999").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/lists/1/members?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/prospects?listId=abc").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/lists").json().get("items").size()).isEqualTo(before);
    }

    @Test
    void membersArePagedWithACursor() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(prospect("page" + i + "-" + run + "@example.com", "Software"));
        }
        long list = dynamic("Paged " + run, condition("Software"));
        JsonNode first = api.get("/api/v1/lists/" + list + "/members?limit=3").json();
        JsonNode second = api.get("/api/v1/lists/" + list + "/members?limit=3&cursor="
                        + first.get("nextCursor").asString())
                .json();
        List<Long> all = new ArrayList<>();
        first.get("items").forEach(n -> all.add(n.get("prospectId").asLong()));
        second.get("items").forEach(n -> all.add(n.get("prospectId").asLong()));
        assertThat(all).containsExactlyElementsOf(ids.reversed());
        assertThat(second.get("nextCursor").isNull()).isTrue();
    }

    private String condition(String industry) {
        return """
                {"all": [{"field": "email", "op": "contains", "value": "%s"},
                         {"field": "industry", "op": "eq", "value": "%s"}]}""".formatted(run, industry);
    }

    long dynamic(String name, String condition) {
        long id = TestApi.created(api.post(
                "/api/v1/lists", "{\"name\":\"" + name + "\",\"kind\":\"DYNAMIC\",\"condition\":" + condition + "}"));
        created.add(id);
        return id;
    }

    List<Long> members(long list) {
        List<Long> ids = new ArrayList<>();
        api.get("/api/v1/lists/" + list + "/members?limit=500")
                .json()
                .get("items")
                .forEach(n -> ids.add(n.get("prospectId").asLong()));
        return ids;
    }

    long prospect(String email, String industry) {
        return api.newProspect(
                "{\"email\":\"" + email + "\"" + (industry == null ? "" : ",\"industry\":\"" + industry + "\"") + "}");
    }

    void activity(long prospect, String type) {
        TestApi.Response accepted = api.post("/api/v1/activities", """
                {"activities": [{"externalId": "%s-%s", "type": "%s", "prospectId": %d, "occurredAt": "%s"}]}""".formatted(
                        run, UUID.randomUUID(), type, prospect, Instant.now().minusSeconds(5)));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    }

    TestApi.Response put(String path, String json) {
        return send("PUT", path, json);
    }

    TestApi.Response delete(String path) {
        return api.send(api.request(path).DELETE().build());
    }

    TestApi.Response send(String method, String path, String json) {
        return api.send(api.request(path)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build());
    }
}
