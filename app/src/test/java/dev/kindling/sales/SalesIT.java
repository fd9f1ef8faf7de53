package dev.kindling.sales;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.assignment.Assignments;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import dev.kindling.support.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Inside sales through the API with a clock the test moves: attempts, accept, reject, convert (and their 400, 403,
 * 409), the SLA breach and the manager's notice, the SLA report; in a context and on a database of its own
 * ({@link MovingClockTest}). This context's sweeper thread is off and the tests run it when they mean to.
 */
@MovingClockTest(start = "2034-03-06T09:00:00Z")
class SalesIT {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Assignments assignments;

    @Autowired
    SlaCheckJob slaJob;

    @Autowired
    WeeklyReview review;

    @Autowired
    dev.kindling.opportunities.Opportunities opportunities;

    TestApi admin;
    String run;
    long managerId;
    long teamId;
    long repId;
    TestApi rep;
    TestApi marketing;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        managerId = user("manager-" + run + "@kindling.example", "Mia Manager " + run, "SALES", null);
        teamId = jdbc.sql("INSERT INTO team (name, manager_id, created_at) VALUES (:n, :m, now()) RETURNING id")
                .param("n", "Inside sales " + run)
                .param("m", managerId)
                .query(Long.class)
                .single();
        repId = user("rep-" + run + "@kindling.example", "Ren Rep " + run, "INSIDE_SALES", teamId);
        rep = admin.as(key(repId, "INSIDE_SALES"));
        marketing =
                admin.as(key(user("mkt-" + run + "@kindling.example", "Mo Marketing", "MARKETING", null), "MARKETING"));
    }

    @Test
    void anAssignedMqlIsInTheRepsQueueAndAnAttemptInTimeMeetsTheSla() {
        long id = assignedMql("alpha");
        JsonNode queue = rep.get("/api/v1/sales/queue?scope=mine").json();
        assertThat(queue.get("items"))
                .extracting(n -> n.get("prospectId").asLong())
                .containsExactly(id);
        JsonNode sla = queue.get("items").get(0).get("sla");
        assertThat(sla.get("state").asString()).isEqualTo("ON_TRACK");
        assertThat(Instant.parse(sla.get("dueAt").asString()))
                .isEqualTo(clock.instant().plus(Duration.ofHours(24)));

        clock.advance(Duration.ofHours(19));
        assertThat(rep.get("/api/v1/prospects/" + id + "/sales")
                        .json()
                        .get("lead")
                        .get("sla")
                        .get("state")
                        .asString())
                .isEqualTo("AT_RISK");
        var logged = rep.post("/api/v1/prospects/" + id + "/attempts", """
                {"kind":"CALL","outcome":"LEFT_MESSAGE","note":"voicemail"}""");
        assertThat(logged.status()).isEqualTo(200);
        JsonNode lead = logged.json();
        assertThat(lead.get("lead").get("sla").get("state").asString()).isEqualTo("MET");
        assertThat(lead.get("lead").get("sla").get("attempts").asInt()).isEqualTo(1);
        assertThat(lead.get("attempts").get(0).get("outcome").asString()).isEqualTo("LEFT_MESSAGE");

        clock.advance(Duration.ofDays(2));
        slaJob.runDue();
        assertThat(state(id)).isEqualTo("MET");
    }

    @Test
    void acceptMovesAnMqlToSalAndASecondAcceptIsAConflict() {
        long id = assignedMql("accept");
        var accepted = rep.post("/api/v1/prospects/" + id + "/accept", "{\"note\":\"budget confirmed\"}");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().get("lead").get("stage").asString()).isEqualTo("SAL");
        assertThat(accepted.json().get("lead").get("sla").get("state").asString())
                .isEqualTo("MET");
        JsonNode last = lastTransition(id);
        assertThat(last.get("to").asString()).isEqualTo("SAL");
        assertThat(last.get("cause").asString()).isEqualTo("user:rep-" + run + "@kindling.example");

        var again = rep.post("/api/v1/prospects/" + id + "/accept", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asString()).contains("Only an MQL can be accepted");
    }

    @Test
    void marketingAndViewersMayNotWorkLeads() {
        long id = assignedMql("roles");
        assertThat(marketing.post("/api/v1/prospects/" + id + "/accept", "{}").status())
                .isEqualTo(403);
        assertThat(marketing
                        .post("/api/v1/prospects/" + id + "/attempts", "{\"kind\":\"CALL\",\"outcome\":\"NO_ANSWER\"}")
                        .status())
                .isEqualTo(403);
        assertThat(marketing
                        .post("/api/v1/prospects/" + id + "/reject", "{\"reason\":\"NO_BUDGET\"}")
                        .status())
                .isEqualTo(403);
        assertThat(marketing
                        .post("/api/v1/prospects/" + id + "/convert", "{\"name\":\"x\"}")
                        .status())
                .isEqualTo(403);
        TestApi viewer = admin.as(key(user("viewer-" + run + "@kindling.example", "V", "VIEWER", null), "VIEWER"));
        assertThat(viewer.post("/api/v1/prospects/" + id + "/accept", "{}").status())
                .isEqualTo(403);
        assertThat(stage(id)).isEqualTo("MQL");
        assertThat(viewer.get("/api/v1/sales/queue?scope=all").status()).isEqualTo(200);
    }

    @Test
    void badInputIsRefusedWithEveryErrorAndNothingStored() {
        long id = assignedMql("bad");
        var attempt =
                rep.post("/api/v1/prospects/" + id + "/attempts", "{\"kind\":\"FAX\",\"outcome\":\"MAYBE\",\"x\":1}");
        assertThat(attempt.status()).isEqualTo(400);
        assertThat(attempt.json().get("errors"))
                .extracting(e -> e.get("field").asString())
                .containsExactlyInAnyOrder("kind", "outcome", "x");
        var reject = rep.post("/api/v1/prospects/" + id + "/reject", "{\"reason\":\"BORED\"}");
        assertThat(reject.status()).isEqualTo(400);
        assertThat(reject.json().get("errors").get(0).get("field").asString()).isEqualTo("reason");
        var other = rep.post("/api/v1/prospects/" + id + "/reject", "{\"reason\":\"OTHER\"}");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().get("errors").get(0).get("field").asString()).isEqualTo("note");
        assertThat(rep.post("/api/v1/prospects/999999999/accept", "{}").status())
                .isEqualTo(404);
        assertThat(rep.get("/api/v1/sales/queue?scope=everyone").status()).isEqualTo(400);
        assertThat(rep.get("/api/v1/prospects/" + id + "/sales").json().get("attempts"))
                .isEmpty();
        assertThat(stage(id)).isEqualTo("MQL");
    }

    @Test
    void aNoResponseRecycleNeedsThreeAttemptsWhileOtherReasonsRecycleAtOnce() {
        long id = assignedMql("noresp");
        attempt(id, "NO_ANSWER");
        attempt(id, "NO_ANSWER");
        var early = rep.post("/api/v1/prospects/" + id + "/reject", "{\"reason\":\"NO_RESPONSE\"}");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("detail").asString())
                .contains("only after 3 attempts")
                .contains("2 logged");
        var notReady = rep.post("/api/v1/prospects/" + id + "/reject", "{\"reason\":\"NOT_READY\"}");
        assertThat(notReady.status()).isEqualTo(409);
        attempt(id, "NO_ANSWER");
        var rejected = rep.post(
                "/api/v1/prospects/" + id + "/reject", "{\"reason\":\"NO_RESPONSE\",\"note\":\"three calls\"}");
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().get("lead").get("stage").asString()).isEqualTo("RECYCLED");
        assertThat(lastTransition(id).get("reason").asString()).isEqualTo("NO_RESPONSE: three calls");

        long other = assignedMql("budget");
        var budget = rep.post("/api/v1/prospects/" + other + "/reject", "{\"reason\":\"NO_BUDGET\"}");
        assertThat(budget.status()).isEqualTo(200);
        assertThat(stage(other)).isEqualTo("RECYCLED");
        assertThat(jdbc.sql("SELECT outcome || ':' || reject_reason FROM sales_handoff WHERE prospect_id = :id")
                        .param("id", other)
                        .query(String.class)
                        .single())
                .isEqualTo("REJECTED:NO_BUDGET");
        assertThat(rep.post("/api/v1/prospects/" + other + "/reject", "{\"reason\":\"NO_BUDGET\"}")
                        .status())
                .isEqualTo(409);
    }

    @Test
    void convertCreatesAnOpportunityWithTheLeadAsContactAndASecondConvertIsAConflict() {
        long id = assignedMql("convert");
        rep.post("/api/v1/prospects/" + id + "/accept", "{}");
        var bad = rep.post("/api/v1/prospects/" + id + "/convert", "{\"amount\":\"lots\",\"role\":\"BOSS\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors"))
                .extracting(e -> e.get("field").asString())
                .containsExactlyInAnyOrder("name", "amount", "role");
        var converted = rep.post("/api/v1/prospects/" + id + "/convert", """
                {"name":"Convert %s","amount":12000,"closeDate":"2034-06-30","role":"ECONOMIC_BUYER"}""".formatted(run));
        assertThat(converted.status()).isEqualTo(201);
        long opportunity = converted.json().get("opportunityId").asLong();
        assertThat(converted.json().get("lead").get("lead").get("stage").asString())
                .isEqualTo("SQL");
        assertThat(jdbc.sql("""
                        SELECT o.amount || ' ' || o.status || ' ' || r.role || ' ' || r.is_primary
                          FROM opportunity o JOIN opportunity_contact_role r ON r.opportunity_id = o.id
                         WHERE o.id = :o AND r.prospect_id = :p""")
                        .param("o", opportunity)
                        .param("p", id)
                        .query(String.class)
                        .single())
                .isEqualTo("12000.00 OPEN ECONOMIC_BUYER true");
        assertThat(jdbc.sql("SELECT outcome FROM sales_handoff WHERE prospect_id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .isEqualTo("CONVERTED");

        var again = rep.post("/api/v1/prospects/" + id + "/convert", "{\"name\":\"Again\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asString()).contains("already converted");
    }

    @Test
    void aLeadNotContactedWithin24HoursBreachesWhenTheClockMovesAndTheManagerIsNotifiedOnce() {
        long id = assignedMql("breach");
        clock.advance(Duration.ofHours(18));
        slaJob.runDue();
        assertThat(state(id)).isEqualTo("AT_RISK");
        assertThat(breachMails()).isZero();

        clock.advance(Duration.ofHours(6).plusMinutes(1));
        SlaCheckJob.Run run = slaJob.runDue();
        assertThat(run.breached()).isGreaterThanOrEqualTo(1);
        assertThat(state(id)).isEqualTo("BREACHED");
        assertThat(breachMails()).isEqualTo(1);
        // the manager heard when the lead fell due, and when it breached
        assertThat(jdbc.sql("SELECT subject FROM mail_outbox WHERE to_address = :to ORDER BY id")
                        .param("to", "manager-" + this.run + "@kindling.example")
                        .query(String.class)
                        .list())
                .satisfiesExactly(
                        atRisk -> assertThat(atRisk).startsWith("SLA at risk: breach Lead"),
                        breached -> assertThat(breached).startsWith("SLA breached"));

        clock.advance(Duration.ofHours(1));
        slaJob.runDue();
        attempt(id, "CONNECTED");
        assertThat(state(id)).isEqualTo("BREACHED");
        assertThat(breachMails()).isEqualTo(1);
    }

    @Test
    void theSlaReportCountsMetBreachedAndOpenAndTimeToFirstTouchPerRepAndTeam() {
        clock.set(Instant.parse("2035-05-01T08:00:00Z"));
        long quick = assignedMql("quick");
        long slow = assignedMql("slow");
        long late = assignedMql("late");
        assignedMql("open");
        clock.advance(Duration.ofHours(2));
        attempt(quick, "CONNECTED");
        rep.post("/api/v1/prospects/" + quick + "/accept", "{}");
        clock.advance(Duration.ofHours(8));
        attempt(slow, "NO_ANSWER");
        attempt(slow, "NO_ANSWER");
        clock.advance(Duration.ofHours(20)); // 30 h after the assignment
        attempt(late, "CONNECTED");
        rep.post("/api/v1/prospects/" + late + "/reject", "{\"reason\":\"WRONG_PERSON\"}");
        clock.advance(Duration.ofHours(1));

        JsonNode report =
                admin.get("/api/v1/reports/sla?from=2035-05-01&to=2035-05-01").json();
        JsonNode line = null;
        for (JsonNode r : report.get("reps")) {
            if (r.get("id").asLong() == repId) {
                line = r;
            }
        }
        assertThat(line).isNotNull();
        assertThat(line.get("handoffs").asLong()).isEqualTo(4);
        assertThat(line.get("met").asLong()).isEqualTo(2);
        assertThat(line.get("breached").asLong()).isEqualTo(2); // late contact, and the open one now past due
        assertThat(line.get("compliancePercent").asDouble()).isEqualTo(50.0);
        assertThat(line.get("medianHoursToFirstTouch").asDouble()).isEqualTo(10.0);
        assertThat(line.get("p90HoursToFirstTouch").asDouble()).isEqualTo(26.0);
        assertThat(line.get("attemptsPerLead").asDouble()).isEqualTo(1.0);
        assertThat(line.get("accepted").asLong()).isEqualTo(1);
        assertThat(line.get("rejected").asLong()).isEqualTo(1);
        assertThat(line.get("noOutcome").asLong()).isEqualTo(2);
        assertThat(report.get("teams").toString()).contains("Inside sales " + run);

        var csv = admin.send(admin.request("/api/v1/reports/sla?from=2035-05-01&to=2035-05-01")
                .header("Accept", "text/csv")
                .GET()
                .build());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body())
                .startsWith("level,id,name,handoffs,met,breached,open,compliance_percent")
                .contains("REP," + repId + ",Ren Rep " + run + ",4,2,2,0,50.0,10.0,26.0,1.0,1,1,0,0,2");
        assertThat(admin.get("/api/v1/reports/sla?from=2035-05-02&to=2035-05-01")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void slaSettingsAreValidatedAndANewWindowAppliesToNewHandoffsOnly() {
        JsonNode before = admin.get("/api/v1/sales/sla").json();
        assertThat(before.get("firstContactHours").asInt()).isEqualTo(24);
        assertThat(before.get("minAttempts").asInt()).isEqualTo(3);
        var bad = admin.send(admin.request("/api/v1/sales/sla")
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"firstContactHours":0,"minAttempts":3,"atRiskPercent":100,"monthlyMqlTarget":50,
                         "businessHours":{"enabled":true,"zone":"Mars/Base","start":"18:00","end":"09:00"}}"""))
                .build());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors"))
                .extracting(e -> e.get("field").asString())
                .contains("firstContactHours", "atRiskPercent", "businessHours.zone", "businessHours.end");
        assertThat(rep.send(rep.request("/api/v1/sales/sla")
                                .header("Content-Type", "application/json")
                                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(before.toString()))
                                .build())
                        .status())
                .isEqualTo(403);

        long open = assignedMql("retime");
        Instant openAssigned = clock.instant();
        var put = admin.send(admin.request("/api/v1/sales/sla")
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"firstContactHours":4,"minAttempts":3,"atRiskPercent":75,"monthlyMqlTarget":120,
                         "businessHours":{"enabled":false}}"""))
                .build());
        try {
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.json().get("monthlyMqlTarget").asInt()).isEqualTo(120);
            // the open handoff keeps the deadline it was given; the window applies to handoffs opened from now on
            assertThat(due(open)).isEqualTo(openAssigned.plus(Duration.ofHours(24)));
            long fresh = assignedMql("fresh");
            assertThat(due(fresh)).isEqualTo(clock.instant().plus(Duration.ofHours(4)));

            clock.advance(Duration.ofHours(5));
            slaJob.runDue();
            assertThat(state(open)).isEqualTo("ON_TRACK");
            assertThat(state(fresh)).isEqualTo("BREACHED");
            assertThat(due(open)).isEqualTo(openAssigned.plus(Duration.ofHours(24)));
            assertThat(breachMails()).isEqualTo(1);
        } finally {
            admin.send(admin.request("/api/v1/sales/sla")
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(before.toString()))
                    .build());
        }
    }

    @Test
    void manyBreachesInOneSweepAreOneDigestMailToTheManagerAndOneWebhookEventPerLead() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            subscribe(receiver, "sla.breached");
            List<Long> leads = List.of(assignedMql("d1"), assignedMql("d2"), assignedMql("d3"));
            clock.advance(Duration.ofHours(25));
            slaJob.runDue();
            slaJob.runDue();
            assertThat(leads).allSatisfy(id -> assertThat(state(id)).isEqualTo("BREACHED"));

            List<String[]> mails = jdbc.sql("SELECT subject, text_body FROM mail_outbox WHERE to_address = :to")
                    .param("to", "manager-" + run + "@kindling.example")
                    .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                    .list();
            assertThat(mails).hasSize(1);
            assertThat(mails.getFirst()[0]).isEqualTo("SLA breached: 3 leads were not contacted in time");
            assertThat(mails.getFirst()[1]).contains("d1-" + run, "d2-" + run, "d3-" + run);
            assertThat(leads)
                    .allSatisfy(
                            id -> assertThat(webhookEvents("sla.breached", id)).isEqualTo(1));
        }
    }

    @Test
    void leadsFallingDueEmitTheSlaAtRiskWebhookEventOnceForTheirOwnerAndOneDigestMailToTheManager() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            subscribe(receiver, "sla.at_risk");
            long id = assignedMql("risk");
            long second = assignedMql("risk2");
            clock.advance(Duration.ofHours(17));
            slaJob.runDue();
            assertThat(webhookEvents("sla.at_risk", id)).isZero();
            clock.advance(Duration.ofHours(1));
            slaJob.runDue();
            slaJob.runDue();
            clock.advance(Duration.ofHours(1));
            slaJob.runDue();
            assertThat(state(id)).isEqualTo("AT_RISK");
            assertThat(state(second)).isEqualTo("AT_RISK");
            assertThat(webhookEvents("sla.at_risk", id)).isEqualTo(1);
            assertThat(webhookEvents("sla.at_risk", second)).isEqualTo(1);
            long recipient = jdbc.sql("""
                            SELECT (body -> 'data' -> 'recipients' -> 0 ->> 'id')::bigint FROM webhook_outbox
                             WHERE event = 'sla.at_risk' AND (body -> 'data' ->> 'prospectId')::bigint = :id""").param("id", id).query(Long.class).single();
            assertThat(recipient).isEqualTo(repId);

            List<String[]> mails = jdbc.sql("SELECT subject, text_body FROM mail_outbox WHERE to_address = :to")
                    .param("to", "manager-" + run + "@kindling.example")
                    .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                    .list();
            assertThat(mails)
                    .as("one digest for the leads that fell due in the sweep")
                    .hasSize(1);
            assertThat(mails.getFirst()[0]).isEqualTo("SLA at risk: 2 leads are due for a first contact soon");
            assertThat(mails.getFirst()[1])
                    .containsSubsequence("Ren Rep " + run + " (2):", "risk-" + run, "risk2-" + run);
            assertThat(jdbc.sql("SELECT count(*) FROM mail_outbox WHERE to_address = :to AND subject LIKE 'SLA%'")
                            .param("to", "rep-" + run + "@kindling.example")
                            .query(Long.class)
                            .single())
                    .as("the rep sees leads at risk in the queue, not in mail")
                    .isZero();
        }
    }

    @Test
    void aRecycledLeadReEarnsMqlAndTheReMqlIsANewHandoffWithItsOwnAssignmentNoticeAndSla() {
        long id = admin.post("/api/v1/prospects", """
                {"email":"cycle-%s@lead-%s.example","firstName":"Cy","jobTitle":"Director of IT","employees":500,
                 "company":"Cycle %s"}""".formatted(run, run, run))
                .json()
                .get("id")
                .asLong();
        activity(id, "EMAIL_CLICK", "");
        activity(id, "FORM_SUBMIT", ",\"properties\":{\"formName\":\"Whitepaper\"}");
        assertThat(stage(id)).isEqualTo("MQL");
        int qualifying = score(id);
        assertThat(qualifying).isGreaterThanOrEqualTo(50);
        assignments.assignTo(id, repId, "test", true);
        long firstHandoff = rep.get("/api/v1/prospects/" + id + "/sales")
                .json()
                .get("lead")
                .get("sla")
                .get("handoffId")
                .asLong();

        // MQL → RECYCLED: "not ready" after a conversation; the score goes to 0 through the ledger
        attempt(id, "CONNECTED");
        assertThat(rep.post("/api/v1/prospects/" + id + "/reject", "{\"reason\":\"NOT_READY\"}")
                        .status())
                .isEqualTo(200);
        assertThat(stage(id)).isEqualTo("RECYCLED");
        assertThat(score(id)).isZero();
        JsonNode entry = admin.get("/api/v1/prospects/" + id + "/score")
                .json()
                .get("ledger")
                .get(0);
        assertThat(entry.get("kind").asString()).isEqualTo("RESET");
        assertThat(entry.get("setTo").asInt()).isZero();
        assertThat(entry.get("reason").asString()).startsWith("RECYCLE").contains("user:rep-" + run);

        // the next page view does not make it an MQL again
        activity(id, "PAGE_VIEW", ",\"properties\":{\"url\":\"https://example.com/pricing\"}");
        assertThat(stage(id)).isEqualTo("RECYCLED");
        assertThat(score(id)).isLessThan(50);

        // the reset is undone like any reset; the next activity re-qualifies it
        int beforeUndo = score(id);
        assertThat(admin.post("/api/v1/prospects/" + id + "/score/undo-reset", "")
                        .status())
                .isEqualTo(200);
        assertThat(score(id)).isEqualTo(beforeUndo + qualifying);
        clock.advance(Duration.ofHours(2));
        activity(id, "EMAIL_CLICK", "");
        assertThat(stage(id)).isEqualTo("MQL");

        // RECYCLED → MQL is a new handoff to the owner: its own assignment, notice, SLA clock and follow-up task
        JsonNode sla =
                rep.get("/api/v1/prospects/" + id + "/sales").json().get("lead").get("sla");
        assertThat(sla.isNull()).isFalse();
        assertThat(sla.get("handoffId").asLong()).isNotEqualTo(firstHandoff);
        assertThat(sla.get("state").asString()).isEqualTo("ON_TRACK");
        assertThat(Instant.parse(sla.get("dueAt").asString()))
                .isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        JsonNode history = admin.get("/api/v1/prospects/" + id + "/assignments").json();
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("cause").asString()).isEqualTo("stage:MQL");
        assertThat(history.get(0).get("userId").asLong()).isEqualTo(repId);
        assertThat(jdbc.sql(
                                "SELECT count(*) FROM mail_outbox WHERE to_address = :to AND subject LIKE 'New prospect for you%'")
                        .param("to", "rep-" + run + "@kindling.example")
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
        assertThat(rep.get("/api/v1/prospects/" + id + "/tasks").json())
                .extracting(t -> t.get("status").asString())
                .containsExactly("OPEN", "DONE");

        // MQL → SAL
        var accepted = rep.post("/api/v1/prospects/" + id + "/accept", "{}");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().get("lead").get("stage").asString()).isEqualTo("SAL");
        assertThat(accepted.json().get("lead").get("sla").get("state").asString())
                .isEqualTo("MET");
    }

    @Test
    void theHandoffOpensAFollowUpTaskAndRepsAddListAndCompleteTasks() {
        long id = assignedMql("tasks");
        Instant assigned = clock.instant();
        JsonNode tasks = rep.get("/api/v1/prospects/" + id + "/tasks").json();
        assertThat(tasks).hasSize(1);
        JsonNode followUp = tasks.get(0);
        assertThat(followUp.get("status").asString()).isEqualTo("OPEN");
        assertThat(followUp.get("ownerId").asLong()).isEqualTo(repId);
        assertThat(Instant.parse(followUp.get("dueAt").asString())).isEqualTo(assigned.plus(Duration.ofHours(24)));
        assertThat(followUp.get("createdBy").asString()).startsWith("handoff:");
        assertThat(rep.get("/api/v1/sales/queue?scope=mine").json().get("tasks"))
                .extracting(t -> t.get("id").asLong())
                .contains(followUp.get("id").asLong());

        attempt(id, "NO_ANSWER");
        assertThat(rep.get("/api/v1/prospects/" + id + "/tasks")
                        .json()
                        .get(0)
                        .get("status")
                        .asString())
                .as("the first attempt is the follow-up")
                .isEqualTo("DONE");

        var bad = rep.post("/api/v1/prospects/" + id + "/tasks", "{\"subject\":\" \",\"dueInHours\":0,\"x\":1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(fields(bad.json().get("errors"))).containsExactlyInAnyOrder("subject", "dueInHours", "x");
        assertThat(rep.post("/api/v1/prospects/" + id + "/tasks", "{\"subject\":\"x\",\"dueAt\":\"tomorrow\"}")
                        .status())
                .isEqualTo(400);
        assertThat(marketing
                        .post("/api/v1/prospects/" + id + "/tasks", "{\"subject\":\"x\"}")
                        .status())
                .isEqualTo(403);
        assertThat(rep.get("/api/v1/prospects/" + id + "/tasks").json()).hasSize(1);

        var added = rep.post(
                "/api/v1/prospects/" + id + "/tasks", "{\"subject\":\"Send the pricing sheet\",\"dueInHours\":48}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        long task = added.json().get("id").asLong();
        assertThat(added.json().get("ownerId").asLong()).isEqualTo(repId);
        assertThat(added.json().get("createdBy").asString()).isEqualTo("user:rep-" + run + "@kindling.example");
        assertThat(Instant.parse(added.json().get("dueAt").asString()))
                .isEqualTo(clock.instant().plus(Duration.ofHours(48)));
        assertThat(rep.get("/api/v1/sales/queue?scope=mine").json().get("tasks"))
                .extracting(t -> t.get("id").asLong())
                .contains(task);

        assertThat(marketing.post("/api/v1/tasks/" + task + "/complete", "").status())
                .isEqualTo(403);
        var done = rep.post("/api/v1/tasks/" + task + "/complete", "");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().get("status").asString()).isEqualTo("DONE");
        assertThat(rep.post("/api/v1/tasks/" + task + "/complete", "").status()).isEqualTo(409);
        assertThat(rep.post("/api/v1/tasks/999999999/complete", "").status()).isEqualTo(404);
        assertThat(rep.get("/api/v1/prospects/999999999/tasks").status()).isEqualTo(404);
        assertThat(rep.get("/api/v1/sales/queue?scope=mine").json().get("tasks"))
                .extracting(t -> t.get("id").asLong())
                .doesNotContain(task);
    }

    @Test
    void aConvertedLeadShowsItsHandoffItsDealHasTheProspectsAccountAndAnAdminInNoTeamSeesEveryLead() {
        long id = assignedMql("account");
        rep.post("/api/v1/prospects/" + id + "/accept", "{}");
        var converted = rep.post("/api/v1/prospects/" + id + "/convert", """
                {"name":"Account deal %s","amount":12500}""".formatted(run));
        assertThat(converted.status()).as(converted.body()).isEqualTo(201);
        long opportunity = converted.json().get("opportunityId").asLong();
        Long account = jdbc.sql("SELECT account_id FROM prospect WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> (Long) rs.getObject(1))
                .single();
        assertThat(account).isNotNull();
        assertThat(admin.get("/api/v1/opportunities/" + opportunity)
                        .json()
                        .get("accountId")
                        .asLong())
                .isEqualTo(account);

        JsonNode sla = converted.json().get("lead").get("lead").get("sla");
        assertThat(sla.isNull()).as("the lead still shows the handoff it had").isFalse();
        assertThat(sla.get("outcome").asString()).isEqualTo("CONVERTED");
        assertThat(sla.get("open").asBoolean()).isFalse();

        assertThat(admin.get("/api/v1/sales/queue").json().get("scope").asString())
                .isEqualTo("all");
        assertThat(rep.get("/api/v1/sales/queue").json().get("scope").asString())
                .isEqualTo("team");
    }

    @Test
    void theWeeklyReviewShowsWhatWasDone() {
        clock.set(Instant.parse("2036-02-10T08:00:00Z"));
        jdbc.sql("UPDATE sales_settings SET monthly_mql_target = 20").update();
        try {
            long accepted = assignedMql("w-accepted");
            long converted = assignedMql("w-converted");
            long rejected = assignedMql("w-rejected");
            long ignored = assignedMql("w-ignored");
            clock.advance(Duration.ofHours(1));
            attempt(accepted, "CONNECTED");
            rep.post("/api/v1/prospects/" + accepted + "/accept", "{}");
            attempt(converted, "MEETING_SET");
            var c = rep.post("/api/v1/prospects/" + converted + "/convert", """
                    {"name":"Weekly %s","amount":5000,"role":"DECISION_MAKER"}""".formatted(run));
            assertThat(c.status()).isEqualTo(201);
            opportunities.win(c.json().get("opportunityId").asLong(), null, "user:test");
            rep.post("/api/v1/prospects/" + rejected + "/reject", "{\"reason\":\"COMPETITOR\"}");
            clock.advance(Duration.ofDays(2));
            slaJob.runDue();

            WeeklyReview.Review r = review.run(
                    new Period(java.time.LocalDate.parse("2036-02-10"), java.time.LocalDate.parse("2036-02-12")));
            SlaReport.Line t = r.followUp().total();
            assertThat(t.handoffs()).isEqualTo(4);
            assertThat(t.met()).isEqualTo(3);
            assertThat(t.breached()).isEqualTo(1);
            assertThat(t.compliancePercent()).isEqualTo(75.0);
            assertThat(r.notFollowed())
                    .extracting(WeeklyReview.NotFollowed::prospectId)
                    .containsExactly(ignored);
            assertThat(r.rejectReasons()).containsExactly(new WeeklyReview.Count("COMPETITOR", 1));
            assertThat(r.supply().mqls()).isEqualTo(4);
            assertThat(r.supply().target()).isEqualTo(20);
            assertThat(r.supply().percentOfTarget()).isEqualTo(20.0);
            assertThat(r.conversion()).isEqualTo(new WeeklyReview.Conversion(4, 2, 1, 1, 50.0, 25.0, 25.0));
            assertThat(r.pipeline().created()).isEqualTo(1);
            assertThat(r.pipeline().amount()).isEqualByComparingTo("5000");
            assertThat(r.byGrade()).hasSize(1);
            assertThat(r.byScoreBand()).singleElement().satisfies(w -> {
                assertThat(w.won()).isEqualTo(1);
                assertThat(w.winPercent()).isEqualTo(100.0);
                assertThat(w.averageWonAmount()).isEqualByComparingTo("5000");
            });
            String csv = WeeklyReviewPage.csv("conversion", r);
            assertThat(csv)
                    .isEqualTo("mql,sal,sql,won,sal_percent,sql_percent,won_percent\r\n4,2,1,1,50.0,25.0,25.0\r\n");
        } finally {
            jdbc.sql("UPDATE sales_settings SET monthly_mql_target = 100").update();
        }
    }

    // ---- helpers

    long assignedMql(String name) {
        String email = name + "-" + run + "@lead-" + run + ".example";
        long id = admin.post("/api/v1/prospects", """
                {"email":"%s","firstName":"%s","lastName":"Lead","company":"Corp %s"}""".formatted(email, name, run))
                .json()
                .get("id")
                .asLong();
        var moved = admin.post("/api/v1/prospects/" + id + "/stage", "{\"stage\":\"MQL\",\"reason\":\"test\"}");
        assertThat(moved.status()).isEqualTo(200);
        assignments.assignTo(id, repId, "test", true);
        return id;
    }

    Instant due(long id) {
        return jdbc.sql("SELECT due_at FROM sales_handoff WHERE prospect_id = :id ORDER BY id DESC LIMIT 1")
                .param("id", id)
                .query(java.sql.Timestamp.class)
                .single()
                .toInstant();
    }

    int score(long id) {
        return admin.get("/api/v1/prospects/" + id).json().get("score").asInt();
    }

    void activity(long id, String type, String rest) {
        dev.kindling.intake.IntakeProgress.ingest(admin, """
                {"activities":[{"externalId":"%s","prospectId":%d,"type":"%s","occurredAt":"%s"%s}]}""".formatted(
                        UUID.randomUUID(), id, type, clock.instant().minusSeconds(60), rest));
    }

    void subscribe(WebhookReceiver receiver, String event) {
        var subscription = admin.post("/api/v1/webhooks", """
                {"url":"%s","events":["%s"]}""".formatted(receiver.url(), event));
        assertThat(subscription.status()).as(subscription.body()).isEqualTo(201);
    }

    long webhookEvents(String event, long prospectId) {
        return jdbc.sql("""
                        SELECT count(*) FROM webhook_outbox
                         WHERE event = :event AND (body -> 'data' ->> 'prospectId')::bigint = :id""")
                .param("event", event)
                .param("id", prospectId)
                .query(Long.class)
                .single();
    }

    void attempt(long id, String outcome) {
        var r = rep.post(
                "/api/v1/prospects/" + id + "/attempts", "{\"kind\":\"CALL\",\"outcome\":\"" + outcome + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    String state(long id) {
        return jdbc.sql("SELECT sla_state FROM sales_handoff WHERE prospect_id = :id ORDER BY id DESC LIMIT 1")
                .param("id", id)
                .query(String.class)
                .single();
    }

    String stage(long id) {
        return jdbc.sql("SELECT stage FROM prospect WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }

    JsonNode lastTransition(long id) {
        JsonNode transitions =
                admin.get("/api/v1/prospects/" + id + "/stages").json().get("transitions");
        return transitions.get(transitions.size() - 1);
    }

    long breachMails() {
        return jdbc.sql("SELECT count(*) FROM mail_outbox WHERE to_address = :to AND subject LIKE 'SLA breached%'")
                .param("to", "manager-" + run + "@kindling.example")
                .query(Long.class)
                .single();
    }

    long user(String email, String name, String role, Long team) {
        long id = admin.post("/api/v1/users", """
                {"email":"%s","name":"%s","role":"%s","password":"password-%s"}""".formatted(email, name, role, run))
                .json()
                .get("id")
                .asLong();
        if (team != null) {
            jdbc.sql("UPDATE app_user SET team_id = :t WHERE id = :id")
                    .param("t", team)
                    .param("id", id)
                    .update();
        }
        return id;
    }

    String key(long userId, String role) {
        return admin.post("/api/v1/api-keys", "{\"userId\":%d,\"name\":\"k\",\"role\":\"%s\"}".formatted(userId, role))
                .json()
                .get("key")
                .asString();
    }

    static List<String> fields(JsonNode errors) {
        return errors.findValuesAsString("field");
    }
}
