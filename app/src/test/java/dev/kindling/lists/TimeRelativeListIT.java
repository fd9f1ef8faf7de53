package dev.kindling.lists;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.conditions.ConditionCheckJob;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
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
 * A dynamic list whose condition changes with the clock alone ("no activity in 90 days"): the prospect joins at the
 * instant the 90 days are over, by the due-only condition check, with no new activity. The clock is moved by the
 * test ({@link MovingClockTest}: a context and a database of its own).
 */
@MovingClockTest(start = "2034-03-01T09:00:00Z")
class TimeRelativeListIT {

    static final Instant START = Instant.parse("2034-03-01T09:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    Clock clock;

    @Autowired
    ConditionCheckJob checks;

    @Test
    void aSilentProspectJoinsANoActivityIn90DaysListWhenTheClockPassesTheBoundary() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        long id = api.post("/api/v1/prospects", "{\"email\":\"quiet-" + run + "@example.com\"}")
                .json()
                .get("id")
                .asLong();
        Instant clicked = clock.instant().minusSeconds(60);
        IntakeProgress.ingest(api, """
                {"activities": [{"externalId": "%s", "type": "EMAIL_CLICK", "prospectId": %d, "occurredAt": "%s"}]}""".formatted(run, id, clicked));

        TestApi.Response made = api.post("/api/v1/lists", """
                {"name": "Silent %s", "kind": "DYNAMIC", "condition": {"all": [
                  {"field": "email", "op": "contains", "value": "%s"},
                  {"noActivity": {"withinDays": 90}}]}}""".formatted(run, run));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long list = made.json().get("id").asLong();
        try {
            assertThat(made.json().get("rebuild").get("scheduled").asLong()).isPositive();
            assertThat(members(api, list)).as("active a minute ago").isEmpty();

            ((MutableClock) clock).advance(Duration.ofDays(90).minusSeconds(120));
            checks.runDue();
            assertThat(members(api, list))
                    .as("one minute before the 90 days are over")
                    .isEmpty();

            ((MutableClock) clock).advance(Duration.ofSeconds(61));
            checks.runDue();
            assertThat(members(api, list))
                    .as("just after the 90 days, with no new activity")
                    .containsExactly(id);
            JsonNode history =
                    api.get("/api/v1/lists/" + list + "/history").json().get("items");
            assertThat(history.get(0).get("change").asString()).isEqualTo("JOINED");
            assertThat(history.get(0).get("reason").asString()).isEqualTo("condition");

            TestApi.Response again = api.post(
                    "/api/v1/activities", """
                    {"activities": [{"externalId": "%s-2", "type": "PAGE_VIEW", "prospectId": %d, "occurredAt": "%s"}]}""".formatted(run, id, clock.instant().minusSeconds(1)));
            assertThat(again.status()).isEqualTo(202);
            IntakeProgress.awaitDrained(api);
            assertThat(members(api, list)).as("active again").isEmpty();
        } finally {
            api.send(api.request("/api/v1/lists/" + list).DELETE().build());
        }
    }

    /**
     * An edit that makes a list time-relative schedules the checks of the new condition — its own flips only, the
     * earlier of them and the check a prospect had: a prospect whose page view ages out of the edited list's window
     * leaves it on time, one that falls silent joins it on time, and an earlier check another list needs stays.
     * Without the rescheduling after the edit nobody would leave or join (the edited list's first condition does not
     * depend on the clock, so nothing was scheduled for it); had it overwritten the stored checks, the other list's
     * member would join 60 days late.
     */
    @Test
    void anEditedConditionSchedulesItsOwnFlipsAndKeepsEarlierChecks() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        long silent = prospect(api, "silent-" + run);
        long viewer = prospect(api, "viewer-" + run);
        Instant start = clock.instant();
        IntakeProgress.ingest(
                api, """
                {"activities": [
                  {"externalId": "%s-c", "type": "EMAIL_CLICK", "prospectId": %d, "occurredAt": "%s"},
                  {"externalId": "%s-v", "type": "PAGE_VIEW", "prospectId": %d, "occurredAt": "%s"}]}""".formatted(run, silent, start.minusSeconds(60), run, viewer, start.minus(Duration.ofDays(10))));

        TestApi.Response quiet = api.post("/api/v1/lists", """
                {"name": "Quiet 30 %s", "kind": "DYNAMIC", "condition": {"all": [
                  {"field": "email", "op": "contains", "value": "silent-%s"},
                  {"noActivity": {"withinDays": 30}}]}}""".formatted(run, run));
        assertThat(quiet.status()).as(quiet.body()).isEqualTo(201);
        long quietList = quiet.json().get("id").asLong();
        TestApi.Response made = api.post("/api/v1/lists", """
                {"name": "Edited %s", "kind": "DYNAMIC", "condition":
                  {"field": "email", "op": "contains", "value": "%s"}}""".formatted(run, run));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long list = made.json().get("id").asLong();
        try {
            assertThat(made.json().get("rebuild").get("scheduled").asLong())
                    .as("nothing the clock changes")
                    .isZero();
            assertThat(members(api, list)).containsExactlyInAnyOrder(silent, viewer);

            TestApi.Response edited = api.put("/api/v1/lists/" + list, """
                    {"name": "Edited %s", "kind": "DYNAMIC", "condition": {"all": [
                      {"field": "email", "op": "contains", "value": "%s"},
                      {"any": [{"noActivity": {"withinDays": 90}},
                               {"activity": {"type": "PAGE_VIEW", "withinDays": 30}}]}]}}""".formatted(run, run));
            assertThat(edited.status()).as(edited.body()).isEqualTo(200);
            assertThat(edited.json().get("rebuild").get("scheduled").asLong()).isPositive();
            assertThat(members(api, list)).as("viewed a page 10 days ago").containsExactly(viewer);

            // the page view leaves the 30 days 20 days from now
            ((MutableClock) clock).set(start.plus(Duration.ofDays(20)).minusSeconds(60));
            checks.runDue();
            assertThat(members(api, list))
                    .as("a minute before the view is 30 days old")
                    .containsExactly(viewer);
            ((MutableClock) clock).set(start.plus(Duration.ofDays(20)).plusSeconds(60));
            checks.runDue();
            assertThat(members(api, list)).as("a minute after").isEmpty();
            JsonNode history =
                    api.get("/api/v1/lists/" + list + "/history").json().get("items");
            assertThat(history.get(0).get("change").asString()).isEqualTo("LEFT");
            assertThat(history.get(0).get("reason").asString()).isEqualTo("condition");
            assertThat(history.get(0).get("prospectId").asLong()).isEqualTo(viewer);

            // the click is 30 days old 60 s before start + 30 days: the other list's check, kept through the edit
            ((MutableClock) clock).set(start.plus(Duration.ofDays(30)).minusSeconds(120));
            checks.runDue();
            assertThat(members(api, quietList))
                    .as("a minute before 30 silent days")
                    .isEmpty();
            ((MutableClock) clock).set(start.plus(Duration.ofDays(30)));
            checks.runDue();
            assertThat(members(api, quietList)).as("30 silent days").containsExactly(silent);
            assertThat(members(api, list)).as("not yet 90").isEmpty();

            // 90 days without activity: the viewer at start + 80 days, the clicker 60 s before start + 90 days
            ((MutableClock) clock).set(start.plus(Duration.ofDays(90)).minusSeconds(120));
            checks.runDue();
            assertThat(members(api, list)).as("the viewer silent for 90 days").containsExactly(viewer);
            ((MutableClock) clock).set(start.plus(Duration.ofDays(90)));
            checks.runDue();
            assertThat(members(api, list))
                    .as("the clicker silent for 90 days too")
                    .containsExactlyInAnyOrder(silent, viewer);
        } finally {
            api.send(api.request("/api/v1/lists/" + list).DELETE().build());
            api.send(api.request("/api/v1/lists/" + quietList).DELETE().build());
        }
    }

    private static long prospect(TestApi api, String name) {
        return api.post("/api/v1/prospects", "{\"email\":\"" + name + "@example.com\"}")
                .json()
                .get("id")
                .asLong();
    }

    private static List<Long> members(TestApi api, long list) {
        List<Long> ids = new ArrayList<>();
        api.get("/api/v1/lists/" + list + "/members")
                .json()
                .get("items")
                .forEach(n -> ids.add(n.get("prospectId").asLong()));
        return ids;
    }
}
