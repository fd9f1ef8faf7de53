package dev.kindling.lists;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.conditions.ConditionWatchers;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Saving a time-relative list reschedules only the prospects whose answer the clock can still change, and that
 * leaves every prospect's next condition check exactly where evaluating every prospect would put it.
 */
@IntegrationTest
class TimeRelativeReschedulingIT {

    @LocalServerPort
    int port;

    @Autowired
    Clock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConditionWatchers watchers;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aTimeRelativeListSchedulesTheSameChecksAsEvaluatingEveryProspect() {
        TestApi api = new TestApi(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, Long> ids = new HashMap<>();
        for (String name : List.of("old", "recent", "silent", "won", "lost", "fifty")) {
            ids.put(
                    name,
                    api.post("/api/v1/prospects", "{\"email\":\"" + name + "-" + run + "@example.com\"}")
                            .json()
                            .get("id")
                            .asLong());
        }
        activity(api, run + "-old", ids.get("old"), now.minus(Duration.ofDays(200)));
        activity(api, run + "-recent", ids.get("recent"), now.minus(Duration.ofDays(10)));
        activity(api, run + "-fifty", ids.get("fifty"), now.minus(Duration.ofDays(50)));
        IntakeProgress.awaitDrained(api);
        Instant wonAt = now.minus(Duration.ofDays(20));
        opportunity(ids.get("won"), "WON", wonAt);
        opportunity(ids.get("lost"), "LOST", now.minus(Duration.ofDays(200)));

        TestApi.Response made = api.post("/api/v1/lists", """
                {"name": "Rescheduled %s", "kind": "DYNAMIC", "condition": {"any": [
                  {"activity": {"type": "PAGE_VIEW", "withinDays": 30}},
                  {"daysSinceLastActivity": {"eq": 55}},
                  {"opportunity": {"status": ["WON"], "closedWithinDays": 90}},
                  {"field": "lastActivityAt", "op": "withinDays", "value": 45}]}}""".formatted(run));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long list = made.json().get("id").asLong();
        try {
            List<Long> mine = new ArrayList<>(ids.values());
            Map<Long, Instant> saved = checks(mine);
            assertThat(saved.get(ids.get("won")))
                    .as("the won opportunity leaves the window")
                    .isEqualTo(wonAt.plus(Duration.ofDays(90)).truncatedTo(ChronoUnit.MICROS));
            assertThat(saved.get(ids.get("fifty")))
                    .as("55 whole days since the last activity")
                    .isEqualTo(now.minus(Duration.ofDays(50))
                            .plus(Duration.ofDays(55))
                            .truncatedTo(ChronoUnit.MICROS));
            long prospects =
                    jdbc.sql("SELECT count(*) FROM prospect").query(Long.class).single();
            assertThat(made.json().get("rebuild").get("scheduled").asLong())
                    .as("the settled prospects (old activity, lost long ago, never active) are left alone")
                    .isLessThan(prospects);

            new TransactionTemplate(transactions).executeWithoutResult(s -> watchers.evaluate(mine));
            assertThat(checks(mine)).as("every prospect evaluated again").isEqualTo(saved);
        } finally {
            api.send(api.request("/api/v1/lists/" + list).DELETE().build());
        }
    }

    private static void activity(TestApi api, String externalId, long prospect, Instant at) {
        TestApi.Response accepted = api.post("/api/v1/activities", """
                {"activities": [{"externalId": "%s", "type": "PAGE_VIEW", "prospectId": %d, "occurredAt": "%s"}]}""".formatted(externalId, prospect, at));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    }

    private void opportunity(long prospect, String status, Instant closedAt) {
        Timestamp at = Timestamp.from(closedAt);
        long id = jdbc.sql("""
                        INSERT INTO opportunity (name, currency, stage, status, lost_reason, created_at, updated_at,
                                                 closed_at)
                        VALUES ('Deal', 'USD', 'Closed', :status, :reason, :at, :at, :at) RETURNING id""")
                .param("status", status)
                .param("reason", "LOST".equals(status) ? "PRICE" : null)
                .param("at", at)
                .query(Long.class)
                .single();
        jdbc.sql("""
                        INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, created_at)
                        VALUES (:o, :p, 'DECISION_MAKER', :at)""").param("o", id).param("p", prospect).param("at", at).update();
    }

    private Map<Long, Instant> checks(List<Long> prospects) {
        Map<Long, Instant> checks = new HashMap<>();
        jdbc.sql(
                        "SELECT p.id, d.condition_check_at FROM prospect p LEFT JOIN prospect_due d ON d.prospect_id = p.id WHERE p.id = ANY(:ids)")
                .param("ids", prospects.toArray(Long[]::new))
                .query((rs, n) -> {
                    Timestamp at = rs.getTimestamp(2);
                    checks.put(rs.getLong(1), at == null ? null : at.toInstant());
                    return null;
                })
                .list();
        return checks;
    }
}
