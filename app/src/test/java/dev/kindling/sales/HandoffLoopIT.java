package dev.kindling.sales;

import static dev.kindling.support.TestApi.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import dev.kindling.support.TestSmtp;
import dev.kindling.support.WebhookReceiver;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5's whole loop through the API, on a database and clock of its own, with real SMTP (GreenMail) and a real
 * webhook receiver: MQL by intake → round-robin to the rep assigned least recently → the owner's mail and a signed
 * webhook → attempts, accept, convert, won → CUSTOMER; a second lead left untouched breaches its 24 h SLA when the
 * clock moves 25 h and the manager is mailed; its lost deal recycles it (−100) and an "opportunity LOST within 90
 * days" rule fires; the SLA report and the weekly review count exactly that. The SLA sweeper's own thread is off: the
 * test runs it when the clock has moved.
 */
@MovingClockTest
class HandoffLoopIT {

    @RegisterExtension
    static final TestSmtp smtp = TestSmtp.movingClock();

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    SlaCheckJob slaJob;

    @Test
    void aLeadGoesFromMqlToCustomerAnotherBreachesAndIsRecycledAndTheReportsCountExactlyThat() throws Exception {
        TestApi admin = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant start = clock.instant();
        String day = start.toString().substring(0, 10);
        String nextDay = start.plus(Duration.ofDays(1)).toString().substring(0, 10);

        // people: a manager outside the rotation, two reps (Ada first: the older user)
        long manager = user(admin, "mona-" + run, "Mona Manager", null);
        long team =
                created(admin.post("/api/v1/teams", "{\"name\":\"Loop %s\",\"managerId\":%d}".formatted(run, manager)));
        long ada = user(admin, "ada-" + run, "Ada Rep", team);
        long bea = user(admin, "bea-" + run, "Bea Rep", team);
        TestApi adaApi = admin.as(key(admin, ada));
        TestApi beaApi = admin.as(key(admin, bea));
        assertThat(put(
                                admin,
                                "/api/v1/assignment/settings",
                                "{\"MQL\":{\"mode\":\"ROUND_ROBIN\",\"teamId\":%d}}".formatted(team))
                        .status())
                .isEqualTo(200);

        // a signed webhook receiver for assignments and breaches
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            List<WebhookReceiver.Call> hooks = receiver.calls();
            TestApi.Response subscription = admin.post("/api/v1/webhooks", """
                    {"url":"%s","events":["prospect.assigned","sla.breached"]}""".formatted(receiver.url()));
            assertThat(subscription.status()).as(subscription.body()).isEqualTo(201);
            String secret = subscription.json().get("secret").asString();

            // the rule: a deal of mine lost within 90 days puts the prospect on a list
            long list = created(
                    admin.post("/api/v1/lists", "{\"name\":\"Lost deals %s\",\"kind\":\"STATIC\"}".formatted(run)));
            long rule = created(admin.post("/api/v1/automation-rules", """
                    {"name":"Lost %s","condition":{"all":[{"field":"email","op":"contains","value":"%s"},
                      {"opportunity":{"status":["LOST"],"closedWithinDays":90}}]},
                     "actions":[{"type":"addToList","listId":%d}]}""".formatted(run, run, list)));
            assertThat(admin.post("/api/v1/automation-rules/" + rule + "/resume", "")
                            .json()
                            .get("matched")
                            .asLong())
                    .isZero();

            // Ada (the older user) was assigned something just now, so Bea is the one assigned least recently
            long warmup = prospect(admin, "warmup", run, "");
            assertThat(admin.post("/api/v1/prospects/" + warmup + "/owner", "{\"userId\":" + ada + "}")
                            .status())
                    .isEqualTo(200);

            // 1. the first lead crosses the MQL threshold through intake → Bea
            long first = prospect(admin, "first", run, ",\"firstName\":\"Fiona\",\"company\":\"First <b>Co</b>\"");
            qualify(admin, first);
            assertThat(prospectJson(admin, first).get("stage").asString()).isEqualTo("MQL");
            assertThat(prospectJson(admin, first).get("ownerId").asLong()).isEqualTo(bea);
            JsonNode history =
                    admin.get("/api/v1/prospects/" + first + "/assignments").json();
            assertThat(history).hasSize(1);
            assertThat(history.get(0).get("cause").asString()).isEqualTo("stage:MQL");

            MimeMessage ownerMail = smtp.awaitMailTo("bea-" + run + "@loop.example");
            assertThat(ownerMail.getSubject()).isEqualTo("New prospect for you: Fiona");
            assertThat(GreenMailUtil.getBody(ownerMail)).contains("First <b>Co</b>");
            WebhookReceiver.Call assigned = awaitHook(hooks, "prospect.assigned", first);
            assertThat(assigned.isSignedWith(secret)).isTrue();
            assertThat(assigned.isSignedWith("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
                    .isFalse();
            assertThat(assigned.json()
                            .get("data")
                            .get("recipients")
                            .get(0)
                            .get("id")
                            .asLong())
                    .isEqualTo(bea);

            // Bea works it: two attempts an hour in, accept, convert, won
            assertThat(beaApi.get("/api/v1/sales/queue?scope=mine").json().get("items"))
                    .extracting(n -> n.get("prospectId").asLong())
                    .containsExactly(first);
            clock.advance(Duration.ofHours(1));
            attempt(beaApi, first, "NO_ANSWER");
            attempt(beaApi, first, "CONNECTED");
            TestApi.Response accepted =
                    beaApi.post("/api/v1/prospects/" + first + "/accept", "{\"note\":\"budget ok\"}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
            assertThat(accepted.json().get("lead").get("stage").asString()).isEqualTo("SAL");
            assertThat(accepted.json().get("lead").get("sla").get("state").asString())
                    .isEqualTo("MET");
            TestApi.Response converted = beaApi.post("/api/v1/prospects/" + first + "/convert", """
                    {"name":"First deal %s","amount":20000,"role":"DECISION_MAKER"}""".formatted(run));
            assertThat(converted.status()).as(converted.body()).isEqualTo(201);
            assertThat(converted.json().get("lead").get("lead").get("stage").asString())
                    .isEqualTo("SQL");
            long firstDeal = converted.json().get("opportunityId").asLong();
            JsonNode roles =
                    admin.get("/api/v1/opportunities/" + firstDeal).json().get("contactRoles");
            assertThat(roles).hasSize(1);
            assertThat(roles.get(0).get("prospectId").asLong()).isEqualTo(first);
            assertThat(roles.get(0).get("role").asString()).isEqualTo("DECISION_MAKER");
            assertThat(beaApi.post("/api/v1/opportunities/" + firstDeal + "/won", "")
                            .status())
                    .isEqualTo(200);
            assertThat(prospectJson(admin, first).get("stage").asString()).isEqualTo("CUSTOMER");

            // 2. the second lead → Ada (her last assignment is older than Bea's), and nobody touches it
            long second = prospect(admin, "second", run, ",\"firstName\":\"Sid\"");
            qualify(admin, second);
            assertThat(prospectJson(admin, second).get("ownerId").asLong()).isEqualTo(ada);
            smtp.awaitMailTo("ada-" + run + "@loop.example");
            Instant secondAssigned = clock.instant();

            clock.advance(Duration.ofHours(25));
            assertThat(slaJob.runDue().breached()).isEqualTo(1);
            assertThat(adaApi.get("/api/v1/prospects/" + second + "/sales")
                            .json()
                            .get("lead")
                            .get("sla")
                            .get("state")
                            .asString())
                    .isEqualTo("BREACHED");
            MimeMessage breachMail = smtp.awaitMailTo("mona-" + run + "@loop.example");
            assertThat(breachMail.getSubject()).startsWith("SLA breached");
            WebhookReceiver.Call breached = awaitHook(hooks, "sla.breached", second);
            assertThat(breached.isSignedWith(secret)).isTrue();
            assertThat(breached.json()
                            .get("data")
                            .get("recipients")
                            .get(0)
                            .get("id")
                            .asLong())
                    .isEqualTo(manager);
            slaJob.runDue();
            assertThat(smtp.mailsTo("mona-" + run + "@loop.example"))
                    .as("one notice per breach")
                    .hasSize(1);

            // Ada calls late, accepts, converts; the deal is lost → −100, RECYCLED (score reset), the rule lists it
            attempt(adaApi, second, "CONNECTED");
            assertThat(adaApi.post("/api/v1/prospects/" + second + "/accept", "{}")
                            .status())
                    .isEqualTo(200);
            TestApi.Response secondConverted =
                    adaApi.post("/api/v1/prospects/" + second + "/convert", """
                    {"name":"Second deal %s","amount":8000,"role":"EVALUATOR"}""".formatted(run));
            assertThat(secondConverted.status()).as(secondConverted.body()).isEqualTo(201);
            long secondDeal = secondConverted.json().get("opportunityId").asLong();
            assertThat(admin.get("/api/v1/prospects/" + second + "/lists")
                            .json()
                            .get("items"))
                    .isEmpty();
            assertThat(adaApi.post("/api/v1/opportunities/" + secondDeal + "/lost", "{\"reason\":\"PRICE\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(prospectJson(admin, second).get("stage").asString()).isEqualTo("RECYCLED");
            assertThat(prospectJson(admin, second).get("score").asInt()).isZero();
            JsonNode ledger =
                    admin.get("/api/v1/prospects/" + second + "/score").json().get("ledger");
            assertThat(ledger.get(0).get("reason").asString()).startsWith("RECYCLE");
            assertThat(ledger.get(1).get("delta").asInt()).isEqualTo(-100);
            assertThat(admin.get("/api/v1/prospects/" + second + "/lists")
                            .json()
                            .get("items"))
                    .extracting(n -> n.get("listId").asLong())
                    .containsExactly(list);
            assertThat(admin.get("/api/v1/prospects/" + first + "/lists").json().get("items"))
                    .isEmpty();
            assertThat(admin.get("/api/v1/automation-rules/" + rule + "/matches")
                            .json()
                            .get("items"))
                    .extracting(n -> n.get("prospectId").asLong())
                    .containsExactly(second);

            // 3. the SLA report: Bea met hers an hour in, Ada breached and touched hers 25 h in
            JsonNode sla = admin.get("/api/v1/reports/sla?from=" + day + "&to=" + nextDay)
                    .json();
            JsonNode beaLine = line(sla.get("reps"), bea);
            JsonNode adaLine = line(sla.get("reps"), ada);
            assertThat(sla.get("reps"))
                    .as("the warm-up prospect was never an MQL: no handoff")
                    .hasSize(2);
            assertLine(beaLine, 1, 1, 0, 100.0, 1.0, 2.0);
            assertLine(adaLine, 1, 0, 1, 0.0, 25.0, 1.0);
            JsonNode teamLine = line(sla.get("teams"), team);
            assertLine(teamLine, 2, 1, 1, 50.0, 13.0, 1.5);
            for (JsonNode l : List.of(beaLine, adaLine, teamLine)) {
                assertThat(l.get("converted").asLong())
                        .as(l.toString())
                        .isEqualTo(l.get("handoffs").asLong());
                assertThat(l.get("rejected").asLong()).isZero();
                assertThat(l.get("noOutcome").asLong()).isZero();
                assertThat(l.get("open").asLong()).isZero();
            }
            assertThat(sla.get("total").get("handoffs").asLong()).isEqualTo(2);

            // 4. the weekly review over the same two days
            JsonNode weekly = admin.get("/api/v1/reports/weekly?from=" + day + "&to=" + nextDay)
                    .json();
            assertThat(weekly.get("followUp").get("total").get("met").asLong()).isEqualTo(1);
            assertThat(weekly.get("followUp").get("total").get("breached").asLong())
                    .isEqualTo(1);
            assertThat(weekly.get("followUp")
                            .get("total")
                            .get("compliancePercent")
                            .asDouble())
                    .isEqualTo(50.0);
            assertThat(weekly.get("notFollowedTotal").asLong())
                    .as("both were touched in the end")
                    .isZero();
            assertThat(weekly.get("rejectReasons")).isEmpty();
            assertThat(weekly.get("supply").get("mqls").asLong()).isEqualTo(2);
            JsonNode conversion = weekly.get("conversion");
            assertThat(List.of(
                            conversion.get("mql").asLong(),
                            conversion.get("sal").asLong(),
                            conversion.get("sql").asLong(),
                            conversion.get("won").asLong()))
                    .containsExactly(2L, 2L, 2L, 1L);
            assertThat(conversion.get("wonPercent").asDouble()).isEqualTo(50.0);
            assertThat(weekly.get("pipeline").get("created").asLong()).isEqualTo(2);
            assertThat(weekly.get("pipeline").get("amount").decimalValue()).isEqualByComparingTo("28000");
            long closed = 0;
            long won = 0;
            for (JsonNode band : weekly.get("byScoreBand")) {
                closed += band.get("closed").asLong();
                won += band.get("won").asLong();
            }
            assertThat(closed).isEqualTo(2);
            assertThat(won).isEqualTo(1);
            long gradeClosed = 0;
            for (JsonNode grade : weekly.get("byGrade")) {
                gradeClosed += grade.get("closed").asLong();
            }
            assertThat(gradeClosed).isEqualTo(2);
            assertThat(secondAssigned).isEqualTo(start.plus(Duration.ofHours(1)));
        }
    }

    static void assertLine(
            JsonNode line,
            long handoffs,
            long met,
            long breached,
            double compliance,
            double medianHours,
            double attemptsPerLead) {
        assertThat(line.get("handoffs").asLong()).as(line.toString()).isEqualTo(handoffs);
        assertThat(line.get("met").asLong()).as(line.toString()).isEqualTo(met);
        assertThat(line.get("breached").asLong()).as(line.toString()).isEqualTo(breached);
        assertThat(line.get("compliancePercent").asDouble()).as(line.toString()).isEqualTo(compliance);
        assertThat(line.get("medianHoursToFirstTouch").asDouble())
                .as(line.toString())
                .isEqualTo(medianHours);
        assertThat(line.get("attemptsPerLead").asDouble()).as(line.toString()).isEqualTo(attemptsPerLead);
        assertThat(line.get("accepted").asLong()).as(line.toString()).isEqualTo(handoffs);
    }

    static JsonNode line(JsonNode lines, long id) {
        for (JsonNode l : lines) {
            if (l.get("id").asLong() == id) {
                return l;
            }
        }
        throw new AssertionError("no line for " + id + " in " + lines);
    }

    /** A click and a whitepaper form from a director of a 500-people company: over the default MQL threshold. */
    void qualify(TestApi admin, long id) {
        for (String[] a :
                new String[][] {{"EMAIL_CLICK", ""}, {"FORM_SUBMIT", ",\"properties\":{\"formName\":\"Whitepaper\"}"}
                }) {
            IntakeProgress.ingest(admin, """
                    {"activities":[{"externalId":"%s","prospectId":%d,"type":"%s","occurredAt":"%s"%s}]}""".formatted(
                            UUID.randomUUID(), id, a[0], clock.instant().minusSeconds(60), a[1]));
        }
    }

    static long prospect(TestApi admin, String name, String run, String fields) {
        return created(admin.post("/api/v1/prospects", """
                {"email":"%s-%s@lead-%s.example","jobTitle":"Director of IT","employees":500%s}""".formatted(name, run, run, fields)));
    }

    static JsonNode prospectJson(TestApi admin, long id) {
        return admin.get("/api/v1/prospects/" + id).json();
    }

    static void attempt(TestApi rep, long id, String outcome) {
        TestApi.Response r = rep.post(
                "/api/v1/prospects/" + id + "/attempts", "{\"kind\":\"CALL\",\"outcome\":\"" + outcome + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static long user(TestApi admin, String local, String name, Long team) {
        return created(admin.post("/api/v1/users", """
                {"email":"%s@loop.example","name":"%s","role":"INSIDE_SALES","teamId":%s}""".formatted(local, name, team)));
    }

    static String key(TestApi admin, long userId) {
        TestApi.Response r = admin.post("/api/v1/api-keys", "{\"userId\":%d,\"name\":\"loop\"}".formatted(userId));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("role").asString()).isEqualTo("INSIDE_SALES");
        return r.json().get("key").asString();
    }

    static TestApi.Response put(TestApi api, String path, String json) {
        return api.send(api.request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    static WebhookReceiver.Call awaitHook(List<WebhookReceiver.Call> hooks, String event, long prospectId) {
        return await(event + " for " + prospectId)
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> hooks.stream()
                                .filter(h -> event.equals(h.headers().get("x-kindling-event"))
                                        && h.json()
                                                        .get("data")
                                                        .get("prospectId")
                                                        .asLong()
                                                == prospectId)
                                .findFirst()
                                .orElse(null),
                        h -> h != null);
    }
}
