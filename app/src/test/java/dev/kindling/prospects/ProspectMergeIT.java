package dev.kindling.prospects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.intake.Visitors;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
@RecordApplicationEvents
class ProspectMergeIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Visitors visitors;

    @Autowired
    ProspectMerges merges;

    @Autowired
    ApplicationEvents events;

    @Autowired
    PlatformTransactionManager transactions;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void mergingMovesEverythingOfTheLoserToTheSurvivorAndRecomputesTheScoreFromTheMergedHistory() {
        Instant now = Instant.now();
        long a = prospect("ada", "{\"firstName\":\"Ada\",\"jobTitle\":\"CTO\"}");
        long b = prospect("ada.home", "{\"firstName\":\"Augusta\",\"phone\":\"+44 20 7946 0000\"}");
        // A: a form 100 days ago (50 points), decayed to 0 after 90 silent days
        activities("{\"externalId\":\"%s-a1\",\"prospectId\":%d,\"type\":\"FORM_SUBMIT\",\"occurredAt\":\"%s\","
                        .formatted(run, a, now.minus(Duration.ofDays(100)))
                + "\"properties\":{\"formName\":\"Whitepaper\"}}");
        // B: a browser's page view 50 days ago (1 point), linked to B
        String visitor = "visitor-" + run + "-merge";
        activities("{\"externalId\":\"%s-b1\",\"visitorId\":\"%s\",\"type\":\"PAGE_VIEW\",\"occurredAt\":\"%s\","
                        .formatted(run, visitor, now.minus(Duration.ofDays(50)))
                + "\"properties\":{\"url\":\"https://www.example.com/blog\"}}");
        visitors.link(visitor, b, Instant.now());
        // the same two activities as one person's history: what the merge must replay to
        long twin = prospect("ada.twin", "{\"firstName\":\"Twin\"}");
        activities(
                "{\"externalId\":\"%s-t1\",\"prospectId\":%d,\"type\":\"FORM_SUBMIT\",\"occurredAt\":\"%s\","
                                .formatted(run, twin, now.minus(Duration.ofDays(100)))
                        + "\"properties\":{\"formName\":\"Whitepaper\"}}",
                "{\"externalId\":\"%s-t2\",\"prospectId\":%d,\"type\":\"PAGE_VIEW\",\"occurredAt\":\"%s\","
                                .formatted(run, twin, now.minus(Duration.ofDays(50)))
                        + "\"properties\":{\"url\":\"https://www.example.com/blog\"}}");
        int replayed = score(twin);
        int sum = score(a) + score(b);
        assertThat(score(a)).as("decayed to 0 after 90 silent days").isZero();
        assertThat(replayed)
                .as("the page view kept the form's points from the inactivity reset")
                .isGreaterThan(sum);
        assertThat(api.post("/api/v1/prospects/" + b + "/stage", "{\"stage\":\"MQL\",\"reason\":\"hand raise\"}")
                        .status())
                .isEqualTo(200);
        long both = list("Both " + run, a, b);
        long onlyLoser = list("Loser " + run, b);
        long shared = opportunity(a, "EVALUATOR", false, b, "ECONOMIC_BUYER", true);
        long ownDeal = opportunity(b, "INFLUENCER", false);
        long program = program();
        long kept = enroll(program, b, 3);
        long exited = enroll(program, a, 1);
        long admin = jdbc.sql("SELECT id FROM app_user WHERE email = 'admin@kindling.local'")
                .query(Long.class)
                .single();
        long firstHandoff = handoff(b, admin, now.minus(Duration.ofDays(3)));
        long laterHandoff = handoff(a, admin, now.minus(Duration.ofDays(1)));

        TestApi.Response merged = api.post(
                "/api/v1/prospects/" + a + "/merge",
                "{\"loserId\":%d,\"fields\":{\"firstName\":\"loser\"}}".formatted(b));

        assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        JsonNode survivor = merged.json();
        assertThat(survivor.get("id").asLong()).isEqualTo(a);
        assertThat(survivor.get("email").asString())
                .as("the most recent address by default")
                .isEqualTo(email("ada.home"));
        assertThat(survivor.get("firstName").asString()).isEqualTo("Augusta");
        assertThat(survivor.get("jobTitle").asString())
                .as("non-blank beats blank")
                .isEqualTo("CTO");
        assertThat(survivor.get("phone").asString()).isEqualTo("+44 20 7946 0000");
        // every table that refers to a prospect holds nothing of the loser any more
        for (String column : merges.handledColumns()) {
            String table = column.substring(0, column.indexOf('.'));
            String name = column.substring(column.indexOf('.') + 1);
            if (!table.equals("prospect_merged")) {
                assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE " + name + " = ?")
                                .param(b)
                                .query(Long.class)
                                .single())
                        .as(column)
                        .isZero();
            }
        }
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE id = ?")
                        .param(b)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT external_id FROM activity WHERE prospect_id = ? ORDER BY external_id")
                        .param(a)
                        .query(String.class)
                        .list())
                .containsExactly(run + "-a1", run + "-b1");
        assertThat(jdbc.sql("SELECT prospect_id FROM visitor WHERE id = ?")
                        .param(visitor)
                        .query(Long.class)
                        .single())
                .isEqualTo(a);
        // replayed as one person: the page view came 50 days after the form, so the form's points were not reset
        assertThat(survivor.get("score").asInt())
                .as("not the sum of the two totals")
                .isEqualTo(replayed);
        JsonNode ledger = api.get("/api/v1/prospects/" + a + "/score").json();
        assertThat(ledger.toString()).contains("MERGE");
        Map<String, Object> merge = jdbc.sql("""
                        SELECT kind, set_to, result FROM score_ledger WHERE prospect_id = ? ORDER BY id DESC LIMIT 1""").param(a).query().singleRow();
        assertThat(merge)
                .containsEntry("kind", "MERGE")
                .containsEntry("set_to", replayed)
                .containsEntry("result", replayed);
        assertThat(survivor.get("stage").asString())
                .as("the furthest on the success path")
                .isEqualTo("MQL");
        assertThat(jdbc.sql("SELECT count(*) FROM stage_transition WHERE prospect_id = ? AND cause = 'merge'")
                        .param(a)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(members(both)).containsExactly(a);
        assertThat(members(onlyLoser)).containsExactly(a);
        assertThat(jdbc.sql(
                                "SELECT opportunity_id, role, is_primary FROM opportunity_contact_role WHERE prospect_id = ?"
                                        + " ORDER BY opportunity_id")
                        .param(a)
                        .query((rs, n) -> rs.getLong(1) + ":" + rs.getString(2) + ":" + rs.getBoolean(3))
                        .list())
                .as("one role per opportunity; the survivor's role, the loser's primary flag")
                .containsExactly(shared + ":EVALUATOR:true", ownDeal + ":INFLUENCER:false");
        assertThat(jdbc.sql("SELECT id || ':' || status FROM program_enrollment WHERE program_id = ? ORDER BY id")
                        .param(program)
                        .query(String.class)
                        .list())
                .as("the enrollment further along goes on")
                .containsExactly(kept + ":ACTIVE", exited + ":EXITED");
        assertThat(jdbc.sql(
                                "SELECT id || ':' || open || ':' || coalesce(outcome, '') FROM sales_handoff WHERE prospect_id = ?"
                                        + " ORDER BY id")
                        .param(a)
                        .query(String.class)
                        .list())
                .as("the hand-off assigned first stays open")
                .containsExactly(firstHandoff + ":true:", laterHandoff + ":false:REASSIGNED");

        // the loser's id answers with the survivor, its sub-resources too, and its address still finds it
        TestApi.Response moved = api.get("/api/v1/prospects/" + b);
        assertThat(moved.status()).isEqualTo(308);
        assertThat(moved.raw().headers().firstValue("Location")).hasValue("/api/v1/prospects/" + a);
        assertThat(api.get("/api/v1/prospects/" + b + "/score?x=1")
                        .raw()
                        .headers()
                        .firstValue("Location"))
                .hasValue("/api/v1/prospects/" + a + "/score?x=1");
        TestApi.Response again =
                api.post("/api/v1/prospects", "{\"email\":\"%s\",\"company\":\"Analytical\"}".formatted(email("ada")));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("id").asLong()).isEqualTo(a);
        assertThat(again.json().get("email").asString()).isEqualTo(email("ada.home"));
        // a system still sending the loser's id: its activities are the survivor's
        activities("{\"externalId\":\"%s-late\",\"prospectId\":%d,\"type\":\"PAGE_VIEW\",\"occurredAt\":\"%s\","
                        .formatted(run, b, Instant.now())
                + "\"properties\":{\"url\":\"https://www.example.com/late\"}}");
        assertThat(jdbc.sql("SELECT prospect_id FROM activity WHERE external_id = ?")
                        .param(run + "-late")
                        .query(Long.class)
                        .single())
                .isEqualTo(a);
    }

    /**
     * The ledger names its prospect without a foreign key (V710: the per-entry check was the intake's largest cost),
     * yet a prospect still named by entries cannot be deleted, as with the foreign key: a merge whose step forgot to
     * move them fails rather than leave them behind. The merge itself moves them and deletes the loser.
     */
    @Test
    void aProspectStillNamedByLedgerEntriesIsNotDeletedButAMergeMovesThemFirst() {
        long a = prospect("keep", "{}");
        long b = prospect("named", "{}");
        assertThat(api.post("/api/v1/prospects/" + b + "/score/adjust", "{\"delta\":7,\"reason\":\"call\"}")
                        .status())
                .isEqualTo(200);
        long entries = jdbc.sql("SELECT count(*) FROM score_ledger WHERE prospect_id = ?")
                .param(b)
                .query(Long.class)
                .single();
        assertThat(entries).isPositive();

        TransactionTemplate tx = new TransactionTemplate(transactions);
        Throwable refused = catchThrowable(() -> tx.executeWithoutResult(
                status -> jdbc.sql("DELETE FROM prospect WHERE id = ?").param(b).update()));
        assertThat(refused).isNotNull();
        assertThat(refused)
                .rootCause()
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("score_ledger")
                .satisfies(
                        e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503")); // foreign_key_violation
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE id = ?")
                        .param(b)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        assertThat(merge(a, b).status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE id = ?")
                        .param(b)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM score_ledger WHERE prospect_id = ?")
                        .param(b)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM score_ledger WHERE prospect_id = ? AND kind = 'MANUAL'")
                        .param(a)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    /**
     * The activities, the closed loop's summary and the score caps name their prospect without a foreign key (V745: the
     * intake's writers hold the prospect's row, and the per-row check was a query each), yet a prospect one of them
     * still names cannot be deleted, as with the foreign key — the delete is refused naming the table — and a merge,
     * whose steps move or drop the loser's rows first, deletes it.
     */
    @Test
    void aProspectStillNamedByActivitiesActionsOrCapsIsNotDeletedButAMergeMovesThemFirst() {
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        rows.put("activity", """
                INSERT INTO activity (external_id, type, occurred_at, received_at, prospect_id, processed_at)
                VALUES ('%s-' || :p, 'PAGE_VIEW', now(), now(), :p, now())""".formatted(run));
        rows.put("prospect_action", """
                INSERT INTO prospect_action (prospect_id, type, value, at_least, first_at)
                VALUES (:p, 'FORM_SUBMIT', NULL, NULL, now())""");
        rows.put("score_cap", "INSERT INTO score_cap (prospect_id, cap_key, points) VALUES (:p, '1:d:20000', 3)");
        TransactionTemplate tx = new TransactionTemplate(transactions);
        rows.forEach((table, insert) -> {
            long a = prospect("keeps-" + table, "{}");
            long b = prospect("named-" + table, "{}");
            jdbc.sql(insert).param("p", b).update();

            Throwable refused = catchThrowable(() -> tx.executeWithoutResult(status ->
                    jdbc.sql("DELETE FROM prospect WHERE id = ?").param(b).update()));
            assertThat(refused).as(table).isNotNull();
            assertThat(refused)
                    .as(table)
                    .rootCause()
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("still named by " + table + " rows")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
            assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE id = ?")
                            .param(b)
                            .query(Long.class)
                            .single())
                    .as(table)
                    .isEqualTo(1);

            assertThat(merge(a, b).status()).as(table).isEqualTo(200);
            assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE id = ?")
                            .param(b)
                            .query(Long.class)
                            .single())
                    .as(table)
                    .isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE prospect_id = ?")
                            .param(b)
                            .query(Long.class)
                            .single())
                    .as(table + " names the loser")
                    .isZero();
            if (!table.equals("score_cap")) { // the survivor's caps are made again from its merged history
                assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE prospect_id = ?")
                                .param(a)
                                .query(Long.class)
                                .single())
                        .as(table + " moved to the survivor")
                        .isPositive();
            }
        });
    }

    @Test
    void aMergePublishesOneProspectsMergedEventForTheAuditWithBeforeAndAfter() {
        long a = prospect("evt-a", "{\"firstName\":\"Old\"}");
        long b = prospect("evt-b", "{\"firstName\":\"New\"}");

        merges.merge(a, b, Map.of(), "admin@kindling.local");

        List<ProspectsMerged> published = events.stream(ProspectsMerged.class).toList();
        assertThat(published).hasSize(1);
        ProspectsMerged e = published.getFirst();
        assertThat(e.survivorBefore().id()).isEqualTo(a);
        assertThat(e.survivorBefore().firstName()).isEqualTo("Old");
        assertThat(e.loserBefore().id()).isEqualTo(b);
        assertThat(e.after().firstName()).isEqualTo("New");
        assertThat(e.actor()).isEqualTo("admin@kindling.local");
        assertThat(e.automatic()).isFalse();
        assertThat(e.fields()).containsEntry("firstName", ProspectMerges.Side.LOSER);
    }

    @Test
    void chainsOfMergesCollapseSoEveryFormerIdAnswersWithTheLastSurvivor() {
        long a = prospect("chain-a", "{}");
        long b = prospect("chain-b", "{}");
        long c = prospect("chain-c", "{}");
        assertThat(merge(a, b).status()).isEqualTo(200);
        assertThat(merge(c, a).status()).isEqualTo(200);

        for (long gone : new long[] {a, b}) {
            TestApi.Response r = api.get("/api/v1/prospects/" + gone + "/stages");
            assertThat(r.status()).isEqualTo(308);
            assertThat(r.raw().headers().firstValue("Location")).hasValue("/api/v1/prospects/" + c + "/stages");
        }
        assertThat(jdbc.sql("SELECT survivor_id FROM prospect_merged WHERE loser_id IN (?, ?)")
                        .param(a)
                        .param(b)
                        .query(Long.class)
                        .list())
                .containsOnly(c);
    }

    @Test
    void invalidMergeRequestsAnswerProblemJsonAndChangeNothing() {
        long a = prospect("bad-a", "{\"firstName\":\"Stay\"}");
        long b = prospect("bad-b", "{\"firstName\":\"Put\"}");
        List<String> bodies = List.of(
                "{}",
                "[]",
                "{\"loserId\":\"%d\"}".formatted(b),
                "{\"loserId\":%d}".formatted(a),
                "{\"loserId\":1e309}",
                "{\"loserId\":-4}",
                "{\"loserId\":%d,\"fields\":{\"score\":\"loser\"}}".formatted(b),
                "{\"loserId\":%d,\"fields\":{\"firstName\":\"both\"}}".formatted(b),
                "{\"loserId\":%d,\"fields\":[\"firstName\"]}".formatted(b),
                "{\"loserId\":%d,\"extra\":1}".formatted(b),
                "{\"loserId\":9223372036854775807}");
        for (String body : bodies) {
            TestApi.Response r = api.post("/api/v1/prospects/" + a + "/merge", body);
            assertThat(r.status()).as(body + " → " + r.body()).isBetween(400, 499);
            assertThat(r.contentType()).as(body).startsWith("application/problem+json");
        }
        assertThat(api.post("/api/v1/prospects/9223372036854775807/merge", "{\"loserId\":%d}".formatted(b))
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/prospects/" + b).json().get("firstName").asString())
                .isEqualTo("Put");
        assertThat(api.get("/api/v1/prospects/" + a).json().get("firstName").asString())
                .isEqualTo("Stay");
    }

    @Test
    void onlyAdminAndMarketingMayMerge() {
        long a = prospect("role-a", "{}");
        long b = prospect("role-b", "{}");
        long c = prospect("role-c", "{}");
        for (String role : List.of("SALES", "INSIDE_SALES", "VIEWER")) {
            TestApi.Response r =
                    keyFor(role).post("/api/v1/prospects/" + a + "/merge", "{\"loserId\":%d}".formatted(b));
            assertThat(r.status()).as(role).isEqualTo(403);
        }
        assertThat(api.get("/api/v1/prospects/" + b).status()).isEqualTo(200);
        assertThat(keyFor("MARKETING")
                        .post("/api/v1/prospects/" + a + "/merge", "{\"loserId\":%d}".formatted(c))
                        .status())
                .isEqualTo(200);
    }

    // ---- helpers

    String email(String name) {
        return name + "." + run + "@merge-" + run + ".example";
    }

    long prospect(String name, String fields) {
        String body = fields.equals("{}")
                ? "{\"email\":\"" + email(name) + "\"}"
                : "{\"email\":\"" + email(name) + "\"," + fields.substring(1);
        return api.newProspect(body);
    }

    void activities(String... items) {
        IntakeProgress.ingest(api, "{\"activities\":[" + String.join(",", items) + "]}");
    }

    int score(long id) {
        return api.get("/api/v1/prospects/" + id).json().get("score").asInt();
    }

    TestApi.Response merge(long survivor, long loser) {
        return api.post("/api/v1/prospects/" + survivor + "/merge", "{\"loserId\":" + loser + "}");
    }

    long list(String name, long... prospects) {
        long id = TestApi.created(api.post("/api/v1/lists", "{\"name\":\"%s\",\"kind\":\"STATIC\"}".formatted(name)));
        StringBuilder ids = new StringBuilder();
        for (long p : prospects) {
            ids.append(ids.isEmpty() ? "" : ",").append(p);
        }
        TestApi.Response added = api.post("/api/v1/lists/" + id + "/members", "{\"prospectIds\":[" + ids + "]}");
        assertThat(added.status()).as(added.body()).isBetween(200, 204);
        return id;
    }

    List<Long> members(long list) {
        return jdbc.sql("SELECT prospect_id FROM list_member WHERE list_id = ? ORDER BY prospect_id")
                .param(list)
                .query(Long.class)
                .list();
    }

    /** An opportunity with these contacts (role, primary), written directly: its funnel effects are not the point here. */
    long opportunity(Object... contacts) {
        Timestamp at = Timestamp.from(Instant.now());
        long id = jdbc.sql("""
                        INSERT INTO opportunity (name, currency, stage, created_at, updated_at)
                        VALUES (?, 'USD', 'Discovery', ?, ?) RETURNING id""")
                .param("Deal " + run)
                .param(at)
                .param(at)
                .query(Long.class)
                .single();
        for (int i = 0; i < contacts.length; i += 3) {
            jdbc.sql("""
                            INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, is_primary, created_at)
                            VALUES (?, ?, ?, ?, ?)""")
                    .param(id)
                    .param(contacts[i])
                    .param(contacts[i + 1])
                    .param(contacts[i + 2])
                    .param(at)
                    .update();
        }
        return id;
    }

    long program() {
        return TestApi.created(api.post("/api/v1/programs", """
                {"name":"Merge %s","start":"wait","recipientListIds":[],"steps":[
                  {"id":"wait","type":"WAIT","days":30,"next":"end"},{"id":"end","type":"END"}]}""".formatted(run)));
    }

    /** An open enrollment that has entered {@code steps} steps, due long after the test. */
    long enroll(long program, long prospect, int steps) {
        Timestamp at = Timestamp.from(Instant.now());
        long id = jdbc.sql("""
                        INSERT INTO program_enrollment (program_id, version, prospect_id, status, step_id, entered_at, due_at,
                                                        enrolled_at)
                        VALUES (?, 1, ?, 'ACTIVE', 'wait', ?, ?, ?) RETURNING id""")
                .param(program)
                .param(prospect)
                .param(at)
                .param(Timestamp.from(Instant.now().plus(Duration.ofDays(300))))
                .param(at)
                .query(Long.class)
                .single();
        for (int i = 0; i < steps; i++) {
            jdbc.sql(
                            "INSERT INTO program_step_entry (enrollment_id, program_id, step_id, visit, at) VALUES (?, ?, 'wait', ?, ?)")
                    .param(id)
                    .param(program)
                    .param(i)
                    .param(at)
                    .update();
        }
        return id;
    }

    long handoff(long prospect, long user, Instant assigned) {
        return jdbc.sql("""
                        INSERT INTO sales_handoff (prospect_id, user_id, assigned_at, stage_at_start, score_at_start, due_at,
                                                   at_risk_at)
                        VALUES (?, ?, ?, 'MQL', 0, ?, ?) RETURNING id""")
                .param(prospect)
                .param(user)
                .param(Timestamp.from(assigned))
                .param(Timestamp.from(Instant.now().plus(Duration.ofDays(300))))
                .param(Timestamp.from(Instant.now().plus(Duration.ofDays(299))))
                .query(Long.class)
                .single();
    }

    TestApi keyFor(String role) {
        String address = role.toLowerCase() + "-" + UUID.randomUUID() + "@merge.example";
        TestApi.Response user = api.post("/api/v1/users", """
                {"email":"%s","name":"A %s","role":"%s","password":"long-enough-password"}""".formatted(address, role, role));
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        TestApi.Response key = api.post(
                "/api/v1/api-keys",
                "{\"userId\":%d,\"name\":\"merge\"}"
                        .formatted(user.json().get("id").asLong()));
        assertThat(key.status()).isEqualTo(201);
        return api.as(key.json().get("key").asString());
    }
}
