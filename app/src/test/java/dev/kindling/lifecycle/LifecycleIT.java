package dev.kindling.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.ScoringModel;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The lifecycle through the API, with a clock the test moves, in a context and on a database of its own
 * ({@link MovingClockTest}); this context's own inactivity job thread is off (the tests run the job when they mean
 * to), so no background run races a moved clock.
 */
@MovingClockTest(start = "2033-01-01T12:00:00Z")
class LifecycleIT {

    static final Instant START = Instant.parse("2033-01-01T12:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    Clock clock;

    @Autowired
    InactivityJob inactivity;

    @Autowired
    StageHistory history;

    TestApi api;
    String run;

    @org.junit.jupiter.api.BeforeEach
    void setUp() {
        api = new TestApi(port);
        ScoringModel.inactivityResetOnly(api);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aProspectIsCapturedThenEngagedByAClickThenMqlOnceScoreAndGradeAreEnough() {
        long id = create("director-" + run + "@corp-" + run + ".example", "Director of IT");
        assertThat(stages(id).get("stage").asString()).isEqualTo("CAPTURED");

        activity(id, "EMAIL_CLICK", null);
        assertThat(stages(id).get("stage").asString()).isEqualTo("ENGAGED");
        activity(id, "FORM_SUBMIT", "Whitepaper");

        JsonNode stages = stages(id);
        assertThat(stages.get("stage").asString()).isEqualTo("MQL");
        assertThat(path(stages)).containsExactly("null>CAPTURED", "CAPTURED>ENGAGED", "ENGAGED>MQL");
        JsonNode transitions = stages.get("transitions");
        assertThat(transitions.get(0).get("causeKind").asString()).isEqualTo("api");
        assertThat(transitions.get(1).get("cause").asString()).startsWith("activity:");
        assertThat(transitions.get(2).get("cause").asString()).isEqualTo("threshold:score 53 >= 50 and grade C+ >= C");
        assertThat(stages.get("reached"))
                .extracting(n -> n.get("stage").asString())
                .containsExactly("CAPTURED", "ENGAGED", "MQL");
    }

    @Test
    void aDemoRequestJumpsToSql() {
        String email = "demo-" + run + "@corp-" + run + ".example";
        api.post("/api/v1/activities", """
                {"activities":[{"externalId":"%s","email":"%s","type":"DEMO_REQUEST","occurredAt":"%s"}]}""".formatted(run, email, clock.instant().minusSeconds(30)));
        IntakeProgress.awaitDrained(api);
        long id = api.prospectId(email);
        JsonNode stages = stages(id);
        assertThat(stages.get("stage").asString()).isEqualTo("SQL");
        assertThat(path(stages)).containsExactly("null>CAPTURED", "CAPTURED>SQL");
    }

    @Test
    void aFreeMailAddressIsDisqualifiedAtCreationAndNeverAdvancesByItself() {
        long id = create("student-" + run + "@gmail.com", "Chief Executive");
        JsonNode stages = stages(id);
        assertThat(stages.get("stage").asString()).isEqualTo("DISQUALIFIED");
        assertThat(stages.get("transitions").get(1).get("cause").asString())
                .isEqualTo("policy:free-mail domain gmail.com");

        activity(id, "FORM_SUBMIT", "Contact sales");
        activity(id, "DEMO_REQUEST", null);
        assertThat(stages(id).get("stage").asString()).isEqualTo("DISQUALIFIED");
        assertThat(stages(id).get("transitions")).hasSize(2);
    }

    @Test
    void ninetyDaysOfSilenceRecycleAndNewActivityRequalifiesWhileTheFirstMqlTimeIsKept() {
        long id = create("quiet-" + run + "@corp-" + run + ".example", "VP Sales");
        activity(id, "EMAIL_CLICK", null);
        activity(id, "FORM_SUBMIT", "Whitepaper");
        JsonNode before = stages(id);
        assertThat(before.get("stage").asString()).isEqualTo("MQL");
        String firstMql = reachedAt(before, "MQL");

        ((MutableClock) clock).advance(Duration.ofDays(89));
        inactivity.runDue();
        assertThat(stages(id).get("stage").asString()).isEqualTo("MQL");

        ((MutableClock) clock).advance(Duration.ofDays(2));
        InactivityJob.Run done = inactivity.runDue();
        assertThat(done.recycled()).isPositive();
        JsonNode recycled = stages(id);
        assertThat(recycled.get("stage").asString()).isEqualTo("RECYCLED");
        assertThat(recycled.get("transitions").get(3).get("cause").asString())
                .startsWith("policy:no activity for 90 days");

        activity(id, "FORM_SUBMIT", "Whitepaper");
        JsonNode after = stages(id);
        assertThat(after.get("stage").asString()).isEqualTo("MQL");
        assertThat(path(after)).endsWith("MQL>RECYCLED", "RECYCLED>ENGAGED", "ENGAGED>MQL");
        assertThat(reachedAt(after, "MQL")).isEqualTo(firstMql);
        assertThat(reachedAt(after, "RECYCLED")).isNotNull();
    }

    @Test
    void aBackDatedActivityIsDatedWhenItHappenedAndALateJobDatesTheRecycleWhenItFellDue() {
        long id = create("history-" + run + "@corp-" + run + ".example", "Analyst");
        Instant captured =
                Instant.parse(stages(id).get("transitions").get(0).get("at").asString());
        ((MutableClock) clock).advance(Duration.ofDays(10));
        Instant clicked = captured.plus(Duration.ofDays(2));
        post(activityJson(id, "EMAIL_CLICK", clicked));

        JsonNode engaged = stages(id);
        assertThat(at(engaged, 1))
                .as("the click's time, not the processing time")
                .isEqualTo(clicked);
        assertThat(Instant.parse(reachedAt(engaged, "ENGAGED"))).isEqualTo(clicked);

        ((MutableClock) clock).advance(Duration.ofDays(100));
        inactivity.runDue();
        JsonNode recycled = stages(id);
        assertThat(path(recycled)).endsWith("CAPTURED>ENGAGED", "ENGAGED>RECYCLED");
        assertThat(at(recycled, 2))
                .as("when the silence fell due, though the job ran 18 days later")
                .isEqualTo(clicked.plus(Duration.ofDays(90)));
    }

    @Test
    void aBatchOfHistoryWithALongSilenceIsRecycledAtTheDueInstantAndReengagedAtTheNextActivity() {
        long id = create("gap-" + run + "@corp-" + run + ".example", "Analyst");
        Instant captured =
                Instant.parse(stages(id).get("transitions").get(0).get("at").asString());
        ((MutableClock) clock).advance(Duration.ofDays(200));
        Instant first = captured.plus(Duration.ofDays(1));
        Instant second = captured.plus(Duration.ofDays(150));
        post(activityJson(id, "EMAIL_CLICK", second) + "," + activityJson(id, "EMAIL_CLICK", first));

        JsonNode stages = stages(id);
        assertThat(path(stages))
                .containsExactly("null>CAPTURED", "CAPTURED>ENGAGED", "ENGAGED>RECYCLED", "RECYCLED>ENGAGED");
        assertThat(List.of(at(stages, 1), at(stages, 2), at(stages, 3)))
                .containsExactly(first, first.plus(Duration.ofDays(90)), second);
        assertThat(Instant.parse(reachedAt(stages, "ENGAGED")))
                .as("first entered at the first click")
                .isEqualTo(first);
    }

    @Test
    void anEarlierDatedEntryLowersTheFirstTimeAStageWasReached() {
        long id = create("reached-" + run + "@corp-" + run + ".example", "Analyst");
        Instant later = clock.instant().plus(Duration.ofDays(5));
        Instant earlier = clock.instant().plus(Duration.ofDays(1));
        history.append(List.of(new StageChanged(id, LifecycleStage.CAPTURED, LifecycleStage.ENGAGED, later, "test")));
        history.append(List.of(
                new StageChanged(id, LifecycleStage.ENGAGED, LifecycleStage.RECYCLED, later, "test"),
                new StageChanged(id, LifecycleStage.RECYCLED, LifecycleStage.ENGAGED, earlier, "test")));

        assertThat(Instant.parse(reachedAt(stages(id), "ENGAGED"))).isEqualTo(earlier);
    }

    @Test
    void raisingTheMqlThresholdHoldsProspectsBackAndLoweringItPromotesThemWithoutNewActivity() {
        JsonNode original = api.get("/api/v1/lifecycle").json();
        try {
            assertThat(put(withScore(original, 1000)).status()).isEqualTo(200);
            long id = create("held-" + run + "@corp-" + run + ".example", "Head of Data");
            activity(id, "EMAIL_CLICK", null);
            activity(id, "FORM_SUBMIT", "Whitepaper");
            assertThat(stages(id).get("stage").asString()).isEqualTo("ENGAGED");

            TestApi.Response lowered = put(withScore(original, 50));
            assertThat(lowered.status()).as(lowered.body()).isEqualTo(200);
            assertThat(lowered.json().get("reevaluation").get("moved").asLong()).isPositive();
            JsonNode stages = stages(id);
            assertThat(stages.get("stage").asString()).isEqualTo("MQL");
            assertThat(path(stages)).endsWith("ENGAGED>MQL");
        } finally {
            put(original.toString());
        }
    }

    @Test
    void aRisingGradeMakesAnEngagedProspectWithEnoughScoreMqlWithoutNewActivity() {
        long id = create("student-" + run + "@corp-" + run + ".example", "Student");
        activity(id, "EMAIL_CLICK", null);
        activity(id, "FORM_SUBMIT", "Whitepaper");
        assertThat(stages(id).get("stage").asString()).as("grade C- is below C").isEqualTo("ENGAGED");

        assertThat(api.patch("/api/v1/prospects/" + id, "{\"jobTitle\":\"Founder\"}")
                        .status())
                .isEqualTo(200);
        JsonNode stages = stages(id);
        assertThat(stages.get("stage").asString()).isEqualTo("MQL");
        assertThat(stages.get("transitions").get(2).get("cause").asString()).contains("grade C+ >= C");
    }

    @Test
    void aCompetitorIsDisqualifiedAndUsersMoveStagesByHandWithAReason() {
        JsonNode original = api.get("/api/v1/lifecycle").json();
        try {
            String rival = "rival-" + run + ".example";
            String doc = original.toString()
                    .replace("\"competitorDomains\":[]", "\"competitorDomains\":[\"" + rival + "\"]");
            assertThat(put(doc).status()).isEqualTo(200);
            long id = create("spy@sales." + rival, "Director");
            assertThat(stages(id).get("stage").asString()).isEqualTo("DISQUALIFIED");

            TestApi.Response moved = api.post(
                    "/api/v1/prospects/" + id + "/stage",
                    "{\"stage\":\"ENGAGED\",\"reason\":\"partner, not a competitor\"}");
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            JsonNode last = moved.json().get("transitions").get(2);
            assertThat(last.get("to").asString()).isEqualTo("ENGAGED");
            assertThat(last.get("cause").asString()).isEqualTo("user:admin@kindling.local");
            assertThat(last.get("reason").asString()).isEqualTo("partner, not a competitor");

            TestApi.Response bad = api.post("/api/v1/prospects/" + id + "/stage", "{\"stage\":\"ANONYMOUS\"}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("\"stage\"", "\"reason\"");
            assertThat(api.post("/api/v1/prospects/999999999/stage", "{\"stage\":\"SAL\",\"reason\":\"x\"}")
                            .status())
                    .isEqualTo(404);
        } finally {
            put(original.toString());
        }
    }

    @Test
    void theRecycleSettingIsValidatedAndEveryMoveIntoRecycledTakesItsPointsThroughTheLedger() {
        JsonNode original = api.get("/api/v1/lifecycle").json();
        assertThat(original.get("recycle").get("mode").asString())
                .as("reset by default")
                .isEqualTo("RESET");
        try {
            TestApi.Response noPoints = put(withRecycle(original, "{\"mode\":\"SUBTRACT\"}"));
            assertThat(noPoints.status()).isEqualTo(400);
            assertThat(noPoints.json().get("errors"))
                    .extracting(e -> e.get("field").asString())
                    .containsExactly("recycle.points");
            TestApi.Response unknown = put(withRecycle(original, "{\"mode\":\"FORGET\",\"x\":1}"));
            assertThat(unknown.json().get("errors"))
                    .extracting(e -> e.get("field").asString())
                    .containsExactlyInAnyOrder("recycle.x", "recycle.mode");
            assertThat(put(withRecycle(original, "[]")).status()).isEqualTo(400);
            assertThat(api.get("/api/v1/lifecycle").json()).isEqualTo(original);

            TestApi.Response subtract = put(withRecycle(original, "{\"mode\":\"SUBTRACT\",\"points\":20}"));
            assertThat(subtract.status()).as(subtract.body()).isEqualTo(200);
            assertThat(subtract.json().get("recycle").get("points").asInt()).isEqualTo(20);
            long id = create("recycled-" + run + "@corp-" + run + ".example", "Director of IT");
            activity(id, "EMAIL_CLICK", null);
            activity(id, "FORM_SUBMIT", "Whitepaper");
            int before = api.get("/api/v1/prospects/" + id).json().get("score").asInt();
            assertThat(before).isGreaterThan(20);
            TestApi.Response moved = api.post(
                    "/api/v1/prospects/" + id + "/stage", "{\"stage\":\"RECYCLED\",\"reason\":\"wrong timing\"}");
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(api.get("/api/v1/prospects/" + id).json().get("score").asInt())
                    .isEqualTo(before - 20);
            JsonNode entry = api.get("/api/v1/prospects/" + id + "/score")
                    .json()
                    .get("ledger")
                    .get(0);
            assertThat(entry.get("kind").asString()).isEqualTo("RESET");
            assertThat(entry.get("reason").asString()).startsWith("RECYCLE: -20 points (user:");
        } finally {
            assertThat(put(original.toString()).status()).isEqualTo(200);
        }
    }

    @Test
    void invalidSettingsAreRefusedFieldByFieldAndNothingIsStored() {
        JsonNode original = api.get("/api/v1/lifecycle").json();
        TestApi.Response bad = put("""
                {"mqlScore":-1,"mqlGrade":"Z","engagingActivityTypes":["EMAIL_CLICK","NOPE"],
                 "handRaiseActivityTypes":"DEMO_REQUEST","handRaiseFormNames":[""],"inactivityDays":0,
                 "disqualifyFreeMail":"yes","competitorDomains":["not a domain"],"colour":"red"}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors"))
                .extracting(e -> e.get("field").asString())
                .contains(
                        "mqlScore",
                        "mqlGrade",
                        "engagingActivityTypes[1]",
                        "handRaiseActivityTypes",
                        "handRaiseFormNames[0]",
                        "inactivityDays",
                        "disqualifyFreeMail",
                        "competitorDomains[0]",
                        "colour");
        assertThat(api.get("/api/v1/lifecycle").json()).isEqualTo(original);
        assertThat(original.get("transitions")).isNotEmpty();
    }

    @Test
    void theKeyActionConditionHoldsBackAnMqlUntilAKeyActionWithinItsDays() {
        JsonNode original = api.get("/api/v1/lifecycle").json();
        assertThat(original.get("mqlKeyActionTypes")).as("off by default").isEmpty();
        try {
            TestApi.Response on = put(withKeyAction(original, "[\"WEBINAR_ATTENDED\"]", 30));
            assertThat(on.status()).as(on.body()).isEqualTo(200);
            assertThat(on.json().get("mqlKeyActionTypes"))
                    .extracting(JsonNode::asString)
                    .containsExactly("WEBINAR_ATTENDED");
            assertThat(on.json().get("mqlKeyActionDays").asInt()).isEqualTo(30);

            long id = create("key-" + run + "@corp-" + run + ".example", "Director of IT");
            activity(id, "EMAIL_CLICK", null);
            activity(id, "FORM_SUBMIT", "Whitepaper");
            assertThat(stages(id).get("stage").asString())
                    .as("score 53 and grade C+, but no key action")
                    .isEqualTo("ENGAGED");

            // a webinar 31 days ago is a key action, but older than the 30 days
            post(activityJson(id, "WEBINAR_ATTENDED", clock.instant().minus(Duration.ofDays(31))));
            assertThat(stages(id).get("stage").asString()).isEqualTo("ENGAGED");
            // saving the policy again re-evaluates with the activity history: still no key action within 30 days
            assertThat(put(on.json().toString()).status()).isEqualTo(200);
            assertThat(stages(id).get("stage").asString()).isEqualTo("ENGAGED");

            activity(id, "WEBINAR_ATTENDED", null);
            JsonNode qualified = stages(id);
            assertThat(qualified.get("stage").asString()).isEqualTo("MQL");
            assertThat(qualified.get("transitions").get(2).get("cause").asString())
                    .startsWith("threshold:score 103 >= 50 and grade C+ >= C and key action at ")
                    .endsWith(" within 30 days");
        } finally {
            put(original.toString());
        }
    }

    @Test
    void turningTheKeyActionConditionOffQualifiesWhoMetScoreAndGrade() {
        JsonNode original = api.get("/api/v1/lifecycle").json();
        try {
            assertThat(put(withKeyAction(original, "[\"DEMO_REQUEST\",\"CHAT\"]", 7))
                            .status())
                    .isEqualTo(200);
            long id = create("key-off-" + run + "@corp-" + run + ".example", "Director of IT");
            activity(id, "EMAIL_CLICK", null);
            activity(id, "FORM_SUBMIT", "Whitepaper");
            assertThat(stages(id).get("stage").asString()).isEqualTo("ENGAGED");

            TestApi.Response off = put(original.toString());
            assertThat(off.status()).as(off.body()).isEqualTo(200);
            assertThat(off.json().get("reevaluation").get("moved").asLong()).isPositive();
            JsonNode stages = stages(id);
            assertThat(stages.get("stage").asString()).isEqualTo("MQL");
            assertThat(stages.get("transitions").get(2).get("cause").asString())
                    .isEqualTo("threshold:score 53 >= 50 and grade C+ >= C");
        } finally {
            put(original.toString());
        }
    }

    @Test
    void aBadKeyActionIsRefusedFieldByFieldAndNothingIsStored() {
        JsonNode original = api.get("/api/v1/lifecycle").json();
        TestApi.Response bad = put(withKeyAction(original, "[\"FORM_SUBMIT\",\"PRICING\"]", -1));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors"))
                .extracting(e -> e.get("field").asString())
                .containsExactlyInAnyOrder("mqlKeyActionTypes[1]", "mqlKeyActionDays");
        TestApi.Response noDays = put(withKeyAction(original, "[\"FORM_SUBMIT\"]", 0));
        assertThat(noDays.status()).isEqualTo(400);
        assertThat(noDays.json().get("errors"))
                .extracting(e -> e.get("field").asString())
                .containsExactly("mqlKeyActionDays");
        TestApi.Response notAList =
                put(original.toString().replace("\"mqlKeyActionTypes\":[]", "\"mqlKeyActionTypes\":\"FORM_SUBMIT\""));
        assertThat(notAList.status()).isEqualTo(400);
        assertThat(put(withKeyAction(original, "[]", 4000)).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/lifecycle").json()).isEqualTo(original);
    }

    static String withKeyAction(JsonNode policy, String types, int days) {
        String doc = policy.toString();
        assertThat(doc).contains("\"mqlKeyActionTypes\":[]", "\"mqlKeyActionDays\":0");
        return doc.replace("\"mqlKeyActionTypes\":[]", "\"mqlKeyActionTypes\":" + types)
                .replace("\"mqlKeyActionDays\":0", "\"mqlKeyActionDays\":" + days);
    }

    long create(String email, String jobTitle) {
        return api.newProspect("""
                {"email":"%s","jobTitle":"%s","employees":500}""".formatted(email, jobTitle));
    }

    void activity(long id, String type, String formName) {
        String props = formName == null ? "" : ",\"properties\":{\"formName\":\"" + formName + "\"}";
        IntakeProgress.ingest(
                api, """
                {"activities":[{"externalId":"%s","prospectId":%d,"type":"%s","occurredAt":"%s"%s}]}""".formatted(UUID.randomUUID(), id, type, clock.instant().minusSeconds(10), props));
    }

    String activityJson(long id, String type, Instant at) {
        return """
                {"externalId":"%s","prospectId":%d,"type":"%s","occurredAt":"%s"}""".formatted(UUID.randomUUID(), id, type, at);
    }

    void post(String activities) {
        IntakeProgress.ingest(api, "{\"activities\":[" + activities + "]}");
    }

    static Instant at(JsonNode stages, int transition) {
        return Instant.parse(stages.get("transitions").get(transition).get("at").asString());
    }

    JsonNode stages(long id) {
        TestApi.Response r = api.get("/api/v1/prospects/" + id + "/stages");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<String> path(JsonNode stages) {
        List<String> out = new ArrayList<>();
        stages.get("transitions")
                .forEach(t ->
                        out.add(t.get("from").asString(null) + ">" + t.get("to").asString()));
        return out;
    }

    static String reachedAt(JsonNode stages, String stage) {
        for (JsonNode r : stages.get("reached")) {
            if (r.get("stage").asString().equals(stage)) {
                return r.get("firstEnteredAt").asString();
            }
        }
        return null;
    }

    String withScore(JsonNode doc, int score) {
        return doc.toString().replaceFirst("\"mqlScore\":\\d+", "\"mqlScore\":" + score);
    }

    String withRecycle(JsonNode doc, String recycle) {
        return doc.toString().replace("\"recycle\":{\"mode\":\"RESET\"}", "\"recycle\":" + recycle);
    }

    TestApi.Response put(String json) {
        return api.send(api.request("/api/v1/lifecycle")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }
}
