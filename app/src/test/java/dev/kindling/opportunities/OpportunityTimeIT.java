package dev.kindling.opportunities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.conditions.ConditionCheckJob;
import dev.kindling.support.IntegrationTest;
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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * "Has an opportunity LOST within 90 days" changes with the clock alone: the prospect records the instant the loss
 * leaves the window as its next condition check, and the due-only check takes it out of the list then. The clock
 * starts years ahead of the real one so the shared context's job never finds these prospects due.
 */
@IntegrationTest
@Import(OpportunityTimeIT.MovableClock.class)
@DirtiesContext
class OpportunityTimeIT {

    static final Instant START = Instant.parse("2035-05-01T09:00:00Z");

    @TestConfiguration(proxyBeanMethods = false)
    static class MovableClock {
        @Bean
        @Primary
        MutableClock movableClock() {
            return new MutableClock(START);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Clock clock;

    @Autowired
    ConditionCheckJob checks;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aProspectLeavesARecentlyLostListWhenTheLossIsNinetyDaysOldWithoutAnyOtherChange() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        long p = api.post("/api/v1/prospects", "{\"email\":\"lost-" + run + "@example.com\"}").json().get("id").asLong();
        TestApi.Response made = api.post("/api/v1/lists", """
                {"name":"Recently lost %s","kind":"DYNAMIC","condition":{"all":[
                  {"field":"email","op":"contains","value":"%s"},
                  {"opportunity":{"status":["LOST"],"closedWithinDays":90}}]}}""".formatted(run, run));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long list = made.json().get("id").asLong();
        try {
            long deal = api.post("/api/v1/opportunities", """
                    {"name":"Deal","amount":5000,"contactRoles":[{"prospectId":%d,"role":"DECISION_MAKER"}]}"""
                    .formatted(p)).json().get("id").asLong();
            assertThat(members(api, list)).isEmpty();

            Instant lostAt = clock.instant();
            assertThat(api.post("/api/v1/opportunities/" + deal + "/lost", "{\"reason\":\"PRICE\"}").status())
                    .isEqualTo(200);
            assertThat(members(api, list)).as("lost just now").containsExactly(p);
            Instant next = jdbc.sql("SELECT condition_check_at FROM prospect WHERE id = :id").param("id", p)
                    .query(java.sql.Timestamp.class).single().toInstant();
            assertThat(next).as("the next flip is when the loss leaves the window").isEqualTo(lostAt.plus(Duration.ofDays(90)));

            ((MutableClock) clock).advance(Duration.ofDays(90).minusSeconds(60));
            checks.runDue();
            assertThat(members(api, list)).as("a minute before the 90 days are over").containsExactly(p);

            ((MutableClock) clock).advance(Duration.ofSeconds(61));
            checks.runDue();
            assertThat(members(api, list)).as("the loss is 90 days old").isEmpty();
        } finally {
            api.send(api.request("/api/v1/lists/" + list).DELETE().build());
        }
    }

    private static List<Long> members(TestApi api, long list) {
        List<Long> ids = new ArrayList<>();
        api.get("/api/v1/lists/" + list + "/members").json().get("items")
                .forEach(n -> ids.add(n.get("prospectId").asLong()));
        return ids;
    }
}
