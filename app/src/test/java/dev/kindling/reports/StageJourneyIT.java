package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PropertyRuns;
import dev.kindling.support.TestApi;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code stage_journey} (the report's input) always equals the pivot of {@code stage_reached} and the earliest non-bot
 * visit it replaces, whatever writes the base tables: the app's own paths, and random multi-row inserts, lowering
 * upserts, links, bot flags and deletes.
 */
@IntegrationTest
class StageJourneyIT {

    private static final String[] STAGES = {
        "CAPTURED", "ENGAGED", "MQL", "SAL", "SQL", "CUSTOMER", "RECYCLED", "DISQUALIFIED"
    };

    /** Journeys that differ from the pivot of the base tables, or prospects without one (or one without prospect). */
    private static final String DIFFERENCES = """
            WITH pivot AS (
              SELECT p.id, p.captured_at,
                     coalesce(min(r.first_entered_at) FILTER (WHERE r.stage = 'CAPTURED'), p.captured_at) AS t_captured,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'ENGAGED') AS t_engaged,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'MQL') AS t_mql,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'SAL') AS t_sal,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'SQL') AS t_sql,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'CUSTOMER') AS t_customer,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'RECYCLED') AS t_recycled,
                     min(r.first_entered_at) FILTER (WHERE r.stage = 'DISQUALIFIED') AS t_disqualified,
                     (SELECT min(v.first_seen_at) FROM visitor v WHERE v.prospect_id = p.id AND NOT v.bot) AS t_visit
                FROM prospect p LEFT JOIN stage_reached r ON r.prospect_id = p.id
               GROUP BY p.id)
            SELECT coalesce(pivot.id, j.prospect_id) FROM pivot FULL JOIN stage_journey j ON j.prospect_id = pivot.id
             WHERE (pivot.id, pivot.captured_at, pivot.t_captured, pivot.t_engaged, pivot.t_mql, pivot.t_sal,
                    pivot.t_sql, pivot.t_customer, pivot.t_recycled, pivot.t_disqualified, pivot.t_visit)
                   IS DISTINCT FROM
                   (j.prospect_id, j.captured_at, j.t_captured, j.t_engaged, j.t_mql, j.t_sal, j.t_sql, j.t_customer,
                    j.t_recycled, j.t_disqualified, j.t_visit)""";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void journeysWrittenByTheAppMatchTheStagesReached() {
        TestApi api = new TestApi(port);
        long id = api.newProspect("""
                {"email": "journey-app-%d@journey.example"}""".formatted(System.nanoTime()));

        assertThat(jdbc.sql("SELECT t_captured = captured_at FROM stage_journey WHERE prospect_id = :id")
                        .param("id", id)
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(jdbc.sql(DIFFERENCES).query(Long.class).list()).isEmpty();
    }

    /**
     * Two transactions write one prospect's base tables at once (a stage reached, a visitor linked): the one whose
     * refresh waits for the other's journey row must compute the journey with the other's rows, not from the snapshot
     * it had before waiting.
     */
    @Test
    void concurrentWritersOfOneProspectLeaveItsJourneyWhole() throws Exception {
        long id = jdbc.sql("""
                        INSERT INTO prospect (email, captured_at, created_at, updated_at)
                        VALUES (:email, now() - interval '9 days', now(), now()) RETURNING id""")
                .param("email", "journey-race-" + System.nanoTime() + "@journey.example")
                .query(Long.class)
                .single();
        try (Connection first = dataSource.getConnection();
                Connection second = dataSource.getConnection();
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            try (PreparedStatement stage = first.prepareStatement(
                    "INSERT INTO stage_reached (prospect_id, stage, first_entered_at) VALUES (?, 'MQL', now())")) {
                stage.setLong(1, id);
                stage.executeUpdate();
            }
            int waitingPid;
            try (Statement s = second.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                waitingPid = rs.getInt(1);
            }
            Future<?> link = pool.submit(() -> {
                try (PreparedStatement visitor = second.prepareStatement("""
                        INSERT INTO visitor (id, prospect_id, first_seen_at, last_seen_at, bot)
                        VALUES (?, ?, now() - interval '20 days', now(), false)""")) {
                    visitor.setString(1, "journey-race-" + System.nanoTime());
                    visitor.setLong(2, id);
                    visitor.executeUpdate();
                    second.commit();
                }
                return null;
            });
            // the second writer's refresh waits for the first's journey row lock
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Boolean.TRUE.equals(jdbc.sql("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :p")
                    .param("p", waitingPid)
                    .query(Boolean.class)
                    .optional()
                    .orElse(false))) {
                assertThat(System.nanoTime())
                        .as("second writer waits for the first")
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            first.commit();
            link.get(30, TimeUnit.SECONDS);
        }
        assertThat(jdbc.sql(
                                "SELECT t_mql IS NOT NULL AND t_visit IS NOT NULL FROM stage_journey WHERE prospect_id = :id")
                        .param("id", id)
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(jdbc.sql(DIFFERENCES).query(Long.class).list()).doesNotContain(id);
    }

    @Test
    void journeysFollowAnyWriteOfTheBaseTablesRandomly() {
        long seed = 7_110;
        Random random = new Random(seed);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        for (int round = 0, rounds = PropertyRuns.cases(15, 200); round < rounds; round++) {
            String caseTag = "seed " + seed + " round " + round;
            int n = 1 + random.nextInt(5);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Timestamp captured = Timestamp.from(base.plus(random.nextInt(500), ChronoUnit.DAYS));
                ids.add(jdbc.sql("""
                                INSERT INTO prospect (email, captured_at, created_at, updated_at)
                                VALUES (:email, :at, :at, :at) RETURNING id""")
                        .param(
                                "email",
                                "journey-" + seed + "-" + round + "-" + i + "-" + System.nanoTime()
                                        + "@journey.example")
                        .param("at", captured)
                        .query(Long.class)
                        .single());
            }
            // several stages of several prospects in one statement, as StageHistory writes them, lowering on conflict
            for (int batch = 0; batch < 3; batch++) {
                int rows = 1 + random.nextInt(8);
                Long[] who = new Long[rows];
                String[] stage = new String[rows];
                Timestamp[] at = new Timestamp[rows];
                for (int r = 0; r < rows; r++) {
                    who[r] = ids.get(random.nextInt(n));
                    stage[r] = STAGES[random.nextInt(STAGES.length)];
                    at[r] = Timestamp.from(base.plus(random.nextInt(700), ChronoUnit.DAYS));
                }
                jdbc.sql("""
                                INSERT INTO stage_reached (prospect_id, stage, first_entered_at)
                                SELECT id, stage, min(at)
                                  FROM unnest(CAST(:ids AS bigint[]), CAST(:stage AS text[]), CAST(:at AS timestamptz[]))
                                       AS u(id, stage, at)
                                 GROUP BY id, stage
                                ON CONFLICT (prospect_id, stage) DO UPDATE
                                   SET first_entered_at = least(stage_reached.first_entered_at, EXCLUDED.first_entered_at)""")
                        .param("ids", who)
                        .param("stage", stage)
                        .param("at", at)
                        .update();
            }
            if (random.nextInt(4) == 0) {
                jdbc.sql("DELETE FROM stage_reached WHERE prospect_id = :id AND stage = :stage")
                        .param("id", ids.getFirst())
                        .param("stage", STAGES[random.nextInt(STAGES.length)])
                        .update();
            }
            // visitors: new ones (linked or not, bot or not), a link moved, a first visit lowered, a bot flag, a delete
            List<String> visitors = new ArrayList<>();
            int newVisitors = 1 + random.nextInt(4);
            for (int v = 0; v < newVisitors; v++) {
                String visitorId = "journey-" + seed + "-" + round + "-" + v + "-" + System.nanoTime();
                visitors.add(visitorId);
                Timestamp seen = Timestamp.from(base.plus(random.nextInt(600), ChronoUnit.DAYS));
                jdbc.sql("""
                                INSERT INTO visitor (id, prospect_id, first_seen_at, last_seen_at, bot)
                                VALUES (:id, :prospect, :at, :at, :bot)""")
                        .param("id", visitorId)
                        .param("prospect", random.nextBoolean() ? ids.get(random.nextInt(n)) : null)
                        .param("at", seen)
                        .param("bot", random.nextInt(5) == 0)
                        .update();
            }
            String visitorId = visitors.get(random.nextInt(visitors.size()));
            switch (random.nextInt(5)) {
                case 0 ->
                    jdbc.sql("UPDATE visitor SET prospect_id = :p WHERE id = :id")
                            .param("p", ids.get(random.nextInt(n)))
                            .param("id", visitorId)
                            .update();
                case 1 ->
                    jdbc.sql("UPDATE visitor SET first_seen_at = first_seen_at - interval '40 days' WHERE id = :id")
                            .param("id", visitorId)
                            .update();
                case 2 ->
                    jdbc.sql("UPDATE visitor SET bot = NOT bot WHERE id = :id")
                            .param("id", visitorId)
                            .update();
                case 3 ->
                    jdbc.sql("DELETE FROM visitor WHERE id = :id")
                            .param("id", visitorId)
                            .update();
                default ->
                    jdbc.sql("UPDATE visitor SET last_seen_at = last_seen_at + interval '1 day' WHERE id = :id")
                            .param("id", visitorId)
                            .update();
            }
            if (random.nextInt(4) == 0) {
                jdbc.sql("UPDATE prospect SET captured_at = captured_at - interval '3 days' WHERE id = :id")
                        .param("id", ids.getLast())
                        .update();
            }
            assertThat(jdbc.sql(DIFFERENCES).query(Long.class).list())
                    .as(caseTag)
                    .isEmpty();
        }
    }
}
