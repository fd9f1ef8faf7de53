package dev.kindling.opportunities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.conditions.ConditionCheckJob;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * "Has an opportunity LOST within 90 days" changes with the clock alone: the prospect records the instant the loss
 * leaves the window as its next condition check, and the due-only check takes it out of the list then; in a
 * context and on a database of its own ({@link MovingClockTest}).
 */
@MovingClockTest(start = "2035-05-01T09:00:00Z")
class OpportunityTimeIT {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    ConditionCheckJob checks;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aProspectLeavesARecentlyLostListWhenTheLossIsNinetyDaysOldWithoutAnyOtherChange() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        long p = api.post("/api/v1/prospects", "{\"email\":\"lost-" + run + "@example.com\"}")
                .json()
                .get("id")
                .asLong();
        long list = TestApi.created(api.post("/api/v1/lists", """
                {"name":"Recently lost %s","kind":"DYNAMIC","condition":{"all":[
                  {"field":"email","op":"contains","value":"%s"},
                  {"opportunity":{"status":["LOST"],"closedWithinDays":90}}]}}""".formatted(run, run)));
        try {
            long deal = api.post("/api/v1/opportunities", """
                    {"name":"Deal","amount":5000,"contactRoles":[{"prospectId":%d,"role":"DECISION_MAKER"}]}""".formatted(p))
                    .json()
                    .get("id")
                    .asLong();
            assertThat(members(api, list)).isEmpty();

            Instant lostAt = clock.instant();
            assertThat(api.post("/api/v1/opportunities/" + deal + "/lost", "{\"reason\":\"PRICE\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(members(api, list)).as("lost just now").containsExactly(p);
            Instant next = jdbc.sql(
                            "SELECT d.condition_check_at FROM prospect p LEFT JOIN prospect_due d ON d.prospect_id = p.id WHERE p.id = :id")
                    .param("id", p)
                    .query(java.sql.Timestamp.class)
                    .single()
                    .toInstant();
            assertThat(next)
                    .as("the next flip is when the loss leaves the window")
                    .isEqualTo(lostAt.plus(Duration.ofDays(90)));

            clock.advance(Duration.ofDays(90).minusSeconds(60));
            checks.runDue();
            assertThat(members(api, list))
                    .as("a minute before the 90 days are over")
                    .containsExactly(p);

            clock.advance(Duration.ofSeconds(61));
            checks.runDue();
            assertThat(members(api, list)).as("the loss is 90 days old").isEmpty();
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
