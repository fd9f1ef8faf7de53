package dev.kindling.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.TestApi;
import dev.kindling.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The demo as a new user sees it: the whole app with {@code kindling.demo=true} on a database of its own (the other
 * integration tests share one that already has prospects, where the demo would not load), the year of history
 * loaded and processed by intake, then the lifecycle report over that year. Transitions are dated when they
 * happened, so the funnel has every stage and velocities in days, not a year of moves all dated today.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kindling.admin.api-key=" + TestApi.ADMIN_KEY,
        "kindling.admin.password=" + TestApi.ADMIN_PASSWORD,
        "kindling.demo=true",
        "kindling.data-dir=${java.io.tmpdir}/kindling-test-demo-data"})
@DirtiesContext
class DemoFunnelIT {

    @LocalServerPort
    int port;

    static volatile String databaseUrl;

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("kindling.db.url", () -> {
            if (databaseUrl == null) {
                databaseUrl = TestDatabase.createOwn("demo");
            }
            return databaseUrl;
        });
        registry.add("kindling.db.user", () -> "postgres");
        registry.add("kindling.db.password", () -> "postgres");
    }

    @Test
    void theDemoShowsAYearOfFunnelWithEveryStageAndVelocitiesInDays() throws InterruptedException {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String period = "from=" + today.minusYears(1) + "&to=" + today + "&model=stages";
        awaitLoadedAndProcessed(api, period);

        for (String view : new String[] {"flow", "cohort"}) {
            JsonNode total = api.get("/api/v1/reports/lifecycle?" + period + "&view=" + view).json().get("total");
            Map<String, Long> steps = new HashMap<>();
            total.get("steps").forEach(s -> steps.put(s.get("stage").asString(), s.get("count").asLong()));
            assertThat(steps.get("CAPTURED")).as(view).isEqualTo(3_000);
            assertThat(steps.get("ENGAGED")).as(view).isBetween(300L, 2_900L);
            assertThat(steps.get("MQL")).as(view).isPositive().isLessThan(steps.get("ENGAGED"));
            assertThat(steps.get("SQL")).as(view).isPositive().isLessThan(steps.get("ENGAGED"));
            assertThat(total.get("offPath").get("RECYCLED").asLong()).as(view).isPositive();
            assertThat(total.get("offPath").get("DISQUALIFIED").asLong()).as(view + ": ~12 % free mail")
                    .isBetween(150L, 600L);

            Map<String, JsonNode> velocity = new HashMap<>();
            total.get("velocity").forEach(v -> velocity.put(v.get("from").asString() + ">" + v.get("to").asString(), v));
            for (String pair : new String[] {"CAPTURED>ENGAGED", "ENGAGED>MQL"}) {
                JsonNode v = velocity.get(pair);
                assertThat(v.get("prospects").asLong()).as(view + " " + pair).isPositive();
                assertThat(v.get("medianDays").asDouble()).as(view + " " + pair + ": dated when it happened, not today")
                        .isGreaterThan(1.0).isLessThan(365.0);
            }
        }
    }

    @Test
    void theDemoQualifiesPeopleInTheMonthsTheirActivityHappenedNotOnlyInTheLastNinetyDays() throws SQLException {
        TestApi api = new TestApi(port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        awaitLoadedAndProcessed(api, "from=" + today.minusYears(1) + "&to=" + today + "&model=stages");

        // the flow of a period that ended half a year ago: MQLs happened then, not all in the last 90 days
        JsonNode old = api.get("/api/v1/reports/lifecycle?from=" + today.minusYears(1) + "&to=" + today.minusDays(180)
                + "&model=stages&view=flow").json().get("total");
        Map<String, Long> steps = new HashMap<>();
        old.get("steps").forEach(st -> steps.put(st.get("stage").asString(), st.get("count").asLong()));
        assertThat(steps.get("MQL")).as("MQL transitions more than 180 days ago").isPositive();

        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
             Statement statement = connection.createStatement();
             var months = statement.executeQuery("""
                     SELECT count(DISTINCT date_trunc('month', at)),
                            count(*) FILTER (WHERE at < now() - interval '90 days'), count(*)
                       FROM stage_transition WHERE to_stage = 'MQL'""")) {
            months.next();
            assertThat(months.getLong(1)).as("months with MQL transitions").isGreaterThanOrEqualTo(9);
            assertThat(months.getLong(2)).as("MQL transitions older than 90 days, of " + months.getLong(3))
                    .isGreaterThan(months.getLong(3) / 3);
        }
    }

    /** The demo loads in the background after start: wait for its prospects, then for intake to drain the queue. */
    private static void awaitLoadedAndProcessed(TestApi api, String period) {
        await("the demo loaded and processed").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/api/v1/system/intake").json().get("pending").asLong() == 0
                        && api.get("/api/v1/reports/lifecycle?" + period).json().get("total").get("steps").get(1)
                                .get("count").asLong() > 0);
    }
}
