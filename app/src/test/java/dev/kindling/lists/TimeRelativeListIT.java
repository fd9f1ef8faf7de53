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

    private static List<Long> members(TestApi api, long list) {
        List<Long> ids = new ArrayList<>();
        api.get("/api/v1/lists/" + list + "/members")
                .json()
                .get("items")
                .forEach(n -> ids.add(n.get("prospectId").asLong()));
        return ids;
    }
}
