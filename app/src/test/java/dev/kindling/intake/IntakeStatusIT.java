package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
// alone among the shared context's classes: waits for the intake queue to be empty and reads its lag
@ResourceLock(IntegrationTest.SHARED_DATA)
class IntakeStatusIT {

    /** An activity stored and queued, as the intake's accept does (one activity row, one queue row). */
    private static final String QUEUED = """
            WITH a AS (
                INSERT INTO activity (external_id, type, occurred_at, received_at, visitor_id)
                %s
                RETURNING id, occurred_at, received_at)
            INSERT INTO activity_queue (activity_id, occurred_at, received_at)
            SELECT id, occurred_at, received_at FROM a""";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry registry;

    @Autowired
    Clock clock;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void reportsPendingActivitiesAndTheirLagUntilTheyAreProcessed() throws Exception {
        String visitor = "held-" + run;
        double processedBefore =
                registry.get("kindling.intake.processed").counter().count();
        jdbc.sql("INSERT INTO visitor (id, first_seen_at, last_seen_at) VALUES (:v, :now, :now)")
                .param("v", visitor)
                .param("now", Timestamp.from(clock.instant()))
                .update();
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            // intake must lock this visitor to process the activity below: it waits for us, pending
            try (PreparedStatement lock = held.prepareStatement("SELECT id FROM visitor WHERE id = ? FOR UPDATE")) {
                lock.setString(1, visitor);
                lock.executeQuery().close();
            }
            jdbc.sql(QUEUED.formatted("VALUES (:x, 'PAGE_VIEW', :received, :received, :v)"))
                    .param("x", run + "-held")
                    .param("v", visitor)
                    .param("received", Timestamp.from(clock.instant().minus(Duration.ofHours(1))))
                    .update();

            JsonNode status = api.get("/api/v1/system/intake").json();
            assertThat(status.get("pending").asLong()).isPositive();
            assertThat(status.get("lagMillis").asLong())
                    .isGreaterThanOrEqualTo(Duration.ofHours(1).toMillis());
            assertThat(registry.get("kindling.intake.pending").gauge().value()).isPositive();
            assertThat(registry.get("kindling.intake.lag").gauge().value())
                    .isGreaterThanOrEqualTo(Duration.ofHours(1).toMillis());
            held.commit();
        }

        JsonNode drained = IntakeProgress.awaitDrained(api);

        assertThat(drained.get("lagMillis").asLong()).isZero();
        assertThat(registry.get("kindling.intake.pending").gauge().value()).isZero();
        // the counter moves just after the batch commits, so it may trail "pending 0" by a moment
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(registry.get("kindling.intake.processed")
                                .counter()
                                .count())
                        .isGreaterThan(processedBefore));
        assertThat(jdbc.sql("SELECT processed_at IS NOT NULL FROM activity WHERE external_id = :x")
                        .param("x", run + "-held")
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void anyAuthenticatedCallerMayReadTheStatusButNotAnonymousOnes() {
        assertThat(api.get("/api/v1/system/intake").status()).isEqualTo(200);
        assertThat(new TestApi(port, null).get("/api/v1/system/intake").status())
                .isEqualTo(401);
    }

    @Test
    void anActivityThatCannotBeProcessedIsSetAsideAndTheOthersProceed() {
        String email = "after-poison-" + run + "@acme-status.example";
        jdbc.sql(QUEUED.formatted("VALUES (:x, 'RETIRED_TYPE', :now, :now, :v)"))
                .param("x", run + "-poison")
                .param("v", "poison-" + run)
                .param("now", Timestamp.from(clock.instant()))
                .update();
        assertThat(api.post(
                                "/api/v1/activities",
                                ActivityIngestIT.batch(ActivityIngestIT.byEmail(
                                        run + "-good", email, "PAGE_VIEW", "2025-11-01T10:00:00Z")))
                        .status())
                .isEqualTo(202);

        IntakeProgress.awaitDrained(api);

        assertThat(jdbc.sql("SELECT failed_reason FROM activity WHERE external_id = :x AND processed_at IS NOT NULL")
                        .param("x", run + "-poison")
                        .query(String.class)
                        .single())
                .contains("unknown type");
        assertThat(jdbc.sql(
                                "SELECT failed_reason IS NULL AND processed_at IS NOT NULL FROM activity WHERE external_id = :x")
                        .param("x", run + "-good")
                        .query(Boolean.class)
                        .single())
                .isTrue();
        JsonNode prospect = api.prospectByEmail(email);
        assertThat(prospect.get("lastActivityAt").asString()).isEqualTo("2025-11-01T10:00:00Z");
    }
}
