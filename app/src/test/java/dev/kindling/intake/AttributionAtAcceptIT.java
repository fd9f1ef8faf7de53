package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.platform.time.DueSweep;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * Attribution at accept (docs/architecture.md, "Intake"): an activity carrying the email of an existing prospect is
 * stored about that prospect by the accepting statement, with {@code processed_at} set, and is processed once its
 * queue row is gone — until then every reader of processed activities leaves it out.
 */
@IntegrationTest
// holds the intake thread (a prospect row it must lock) while the activity waits in the queue
@ResourceLock(IntegrationTest.SHARED_DATA)
class AttributionAtAcceptIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    ActionSummary summary;

    @Autowired
    PlatformTransactionManager transactions;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anActivityByAnExistingProspectsEmailIsAttributedAtAcceptAndShownProcessedOnlyOnceProcessed() throws Exception {
        String email = "accept-" + run + "@acme-attribution.example";
        long id = prospect(email);

        // intake locks the prospect's row (FOR NO KEY UPDATE) to process the activity: it waits for us. The
        // accept's own lock (FOR KEY SHARE) does not conflict with this one, so the accept answers meanwhile.
        try (Connection held = holding(id)) {
            var accepted = api.post(
                    "/api/v1/activities",
                    ActivityIngestIT.batch(
                            ActivityIngestIT.byEmail(run + "-1", email, "FORM_SUBMIT", "2025-07-01T10:00:00Z")));
            assertThat(accepted.status()).isEqualTo(202);

            // stored about the prospect, with processed_at set; queued by the prospect, not by the email
            assertThat(jdbc.sql("""
                            SELECT prospect_id || ' ' || (processed_at = received_at) FROM activity
                             WHERE external_id = :x""").param("x", run + "-1").query(String.class).single())
                    .isEqualTo(id + " true");
            assertThat(jdbc.sql("""
                            SELECT q.prospect_id || ' ' || (q.email IS NULL) FROM activity_queue q
                              JOIN activity a ON a.id = q.activity_id WHERE a.external_id = :x""").param("x", run + "-1").query(String.class).list())
                    .containsExactly(id + " true");

            // not processed yet for its readers: the timeline shows no processed time, the processed history and
            // the closed loop's summary leave it out
            JsonNode waiting = newest(id);
            assertThat(waiting.get("externalId").asString()).isEqualTo(run + "-1");
            assertThat(waiting.get("processedAt").isNull()).isTrue();
            assertThat(processedOf(id)).isEmpty();
            assertThat(jdbc.sql("SELECT count(*) FROM prospect_action WHERE prospect_id = :id")
                            .param("id", id)
                            .query(Long.class)
                            .single())
                    .isZero();
            assertThat(api.get("/api/v1/system/intake").json().get("pending").asLong())
                    .isPositive();
            held.rollback();
        }

        IntakeProgress.awaitDrained(api);
        JsonNode processed = newest(id);
        assertThat(processed.get("externalId").asString()).isEqualTo(run + "-1");
        assertThat(processed.get("prospectId").asLong()).isEqualTo(id);
        // processed at accept's time: the row was not written again
        assertThat(processed.get("processedAt").isNull()).isFalse();
        assertThat(Instant.parse(processed.get("processedAt").asString()))
                .isEqualTo(Instant.parse(processed.get("receivedAt").asString()));
        assertThat(processedOf(id)).containsExactly(run + "-1");
        JsonNode prospect = api.get("/api/v1/prospects/" + id).json();
        assertThat(Instant.parse(prospect.get("lastActivityAt").asString()))
                .isEqualTo(Instant.parse("2025-07-01T10:00:00Z"));
        // the closed loop's summary took it in once processed
        assertThat(jdbc.sql("SELECT count(*) FROM prospect_action WHERE prospect_id = :id AND type = 'FORM_SUBMIT'")
                        .param("id", id)
                        .query(Long.class)
                        .single())
                .isPositive();
        // one prospect for the email: nothing was created for it at processing
        assertThat(jdbc.sql("SELECT count(*) FROM prospect WHERE email = :e")
                        .param("e", email)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    /**
     * A due sweep (decay, inactivity, condition checks) holds the prospects it claimed while it handles them — the
     * condition checks for as long as every watcher evaluates them. Its claim locks them {@code FOR NO KEY UPDATE}: an
     * accept naming such a prospect (its {@code FOR KEY SHARE}) answers meanwhile, while a merge or an erasure, which
     * lock {@code FOR UPDATE}, still wait for the sweep.
     */
    @Test
    void theAcceptDoesNotWaitForADueSweepHoldingTheProspectWhileAMergeStillWould() throws Exception {
        String email = "swept-" + run + "@acme-attribution.example";
        long id = prospect(email);

        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a sweep of its own over this prospect alone (created_at: a column no sweep of the app claims by), so the
        // app's sweeps cannot take the row first; two a batch, so that one claimed row ends the run
        DueSweep<Long, Integer> sweep = new DueSweep<>(
                "test-held",
                Duration.ZERO,
                2,
                Clock.fixed(Instant.parse("2999-01-01T00:00:00Z"), ZoneOffset.UTC),
                transactions,
                new DueSweep.Job<>() {
                    public List<Long> claim(Instant now, int limit) {
                        return jdbc.sql(DueSweep.claim("SELECT p.id FROM prospect p", "p.created_at", "p.id = :id"))
                                .param("now", Timestamp.from(now))
                                .param("limit", limit)
                                .param("id", id)
                                .query(Long.class)
                                .list();
                    }

                    public Integer handle(List<Long> due, Instant now) {
                        claimed.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return due.size();
                    }
                });
        // threads of its own: the common pool may have a single thread on two cores, which the held sweep would take
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<Integer> held =
                CompletableFuture.supplyAsync(() -> sweep.runDue().due(), threads);
        try {
            assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();

            // the accept answers while the sweep holds the prospect, and stores the activity about it
            var accepted = CompletableFuture.supplyAsync(
                            () -> api.post(
                                    "/api/v1/activities",
                                    ActivityIngestIT.batch(ActivityIngestIT.byEmail(
                                            run + "-swept", email, "PAGE_VIEW", "2025-07-03T10:00:00Z"))),
                            threads)
                    .get(10, TimeUnit.SECONDS);
            assertThat(accepted.status()).isEqualTo(202);
            assertThat(jdbc.sql("SELECT prospect_id FROM activity WHERE external_id = :x")
                            .param("x", run + "-swept")
                            .query(Long.class)
                            .single())
                    .isEqualTo(id);

            // what a merge or an erasure takes still conflicts with the sweep's lock
            try (Connection other = dataSource.getConnection()) {
                other.setAutoCommit(false);
                try (PreparedStatement lock =
                        other.prepareStatement("SELECT id FROM prospect WHERE id = ? FOR UPDATE NOWAIT")) {
                    lock.setLong(1, id);
                    assertThat(catchThrowableOfType(
                                            SQLException.class,
                                            () -> lock.executeQuery().close())
                                    .getSQLState())
                            .isEqualTo("55P03"); // lock_not_available
                } finally {
                    other.rollback();
                }
            }
            assertThat(held).isNotDone();
        } finally {
            release.countDown();
            threads.shutdown();
        }
        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        IntakeProgress.awaitDrained(api);
        assertThat(processedOf(id)).containsExactly(run + "-swept");
    }

    @Test
    void aBatchsFrequencyBandsLeaveOutTheProspectsActivitiesStillQueued() throws Exception {
        String email = "band-" + run + "@acme-attribution.example";
        long id = prospect(email);

        try (Connection held = holding(id)) {
            // five page views in one 30-day window, attributed at accept (processed_at set) and still queued
            String[] views = new String[5];
            for (int i = 0; i < views.length; i++) {
                views[i] = ActivityIngestIT.byEmail(
                        run + "-v" + i, email, "PAGE_VIEW", "2025-07-0" + (i + 1) + "T10:00:00Z");
            }
            assertThat(api.post("/api/v1/activities", ActivityIngestIT.batch(views))
                            .status())
                    .isEqualTo(202);

            // another batch taking in one more page view of the prospect in that window counts only what is
            // processed: the queued five do not make the band of five
            summary.add(Map.of(
                    id,
                    List.of(new Activity(
                            0,
                            ActivityType.PAGE_VIEW,
                            null,
                            Instant.parse("2025-07-09T10:00:00Z"),
                            null,
                            Map.of(),
                            false))));
            assertThat(bands(id)).isEmpty();
            held.rollback();
        }

        // once intake has processed them, they count
        IntakeProgress.awaitDrained(api);
        assertThat(bands(id)).containsExactly(5);
    }

    /** A new prospect with this email, once intake has nothing pending. */
    /**
     * The activities' reference to their prospect is not a foreign key (V745): the accept's lock of the prospects it
     * names guarantees it. A prospect named by id that is deleted while the accept waits for its lock (after the
     * accept found it) refuses the batch, as the foreign key's check did, and nothing is stored naming it.
     */
    @Test
    void aProspectDeletedWhileTheAcceptWaitsForItsLockRefusesTheBatchAndNothingNamesIt() throws Exception {
        long id = jdbc.sql("""
                        INSERT INTO prospect (email, captured_at, created_at, updated_at)
                        VALUES (:email, now(), now(), now()) RETURNING id""")
                .param("email", "deleted-" + run + "@acme-attribution.example")
                .query(Long.class)
                .single();
        ExecutorService threads = Executors.newFixedThreadPool(1);
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT id FROM prospect WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, id);
                lock.executeQuery().close();
            }
            var accepted = CompletableFuture.supplyAsync(
                    () -> api.post(
                            "/api/v1/activities",
                            ActivityIngestIT.batch(
                                    "{\"externalId\":\"%s-gone\",\"prospectId\":%d,\"type\":\"PAGE_VIEW\",\"occurredAt\":\"%s\"}"
                                            .formatted(run, id, "2025-07-03T10:00:00Z"))),
                    threads);
            // the accept found the prospect and now waits for its lock
            await("the accept waits for the prospect's lock")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        assertThat(accepted).isNotDone();
                        return jdbc.sql("""
                                        SELECT count(*) FROM pg_stat_activity
                                         WHERE wait_event_type = 'Lock' AND query LIKE '%FOR KEY SHARE%'""").query(Long.class).single() > 0;
                    });
            try (PreparedStatement delete = other.prepareStatement("DELETE FROM prospect WHERE id = ?")) {
                delete.setLong(1, id);
                assertThat(delete.executeUpdate()).isEqualTo(1);
            }
            other.commit();
            var refused = accepted.get(20, TimeUnit.SECONDS);
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("activities[0].prospectId").contains("names no prospect");
        } finally {
            threads.shutdown();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE external_id = :x OR prospect_id = :id")
                        .param("x", run + "-gone")
                        .param("id", id)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM activity_key WHERE external_id = :x")
                        .param("x", run + "-gone")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private long prospect(String email) {
        long id = api.post("/api/v1/prospects", "{\"email\":\"" + email + "\"}")
                .json()
                .get("id")
                .asLong();
        IntakeProgress.awaitDrained(api);
        return id;
    }

    /** A transaction holding the prospect's row as intake would (FOR NO KEY UPDATE), so intake cannot process it. */
    private Connection holding(long prospectId) throws Exception {
        Connection held = dataSource.getConnection();
        held.setAutoCommit(false);
        try (PreparedStatement lock = held.prepareStatement("SELECT id FROM prospect WHERE id = ? FOR NO KEY UPDATE")) {
            lock.setLong(1, prospectId);
            lock.executeQuery().close();
        }
        return held;
    }

    private List<Integer> bands(long prospectId) {
        return jdbc.sql("""
                        SELECT at_least FROM prospect_action
                         WHERE prospect_id = :id AND type = 'PAGE_VIEW' AND at_least IS NOT NULL ORDER BY at_least""").param("id", prospectId).query(Integer.class).list();
    }

    @Test
    void anActivityByAnUnknownEmailIsStillAttributedWhenProcessed() {
        String email = "later-" + run + "@acme-attribution.example";
        IntakeProgress.ingest(
                api,
                ActivityIngestIT.batch(
                        ActivityIngestIT.byEmail(run + "-new", email, "PAGE_VIEW", "2025-07-02T10:00:00Z")));

        long id = api.prospectId(email);
        JsonNode processed = newest(id);
        assertThat(processed.get("externalId").asString()).isEqualTo(run + "-new");
        assertThat(processed.get("processedAt").isNull()).isFalse();
        assertThat(processedOf(id)).containsExactly(run + "-new");
    }

    private JsonNode newest(long prospectId) {
        return api.get("/api/v1/prospects/" + prospectId + "/activities")
                .json()
                .get("items")
                .get(0);
    }

    /**
     * The prospect's processed activities by the predicate the readers of processed history share (rescoring's replay,
     * the closed loop's summary, key actions): {@code processed_at} set and out of the queue.
     */
    private List<String> processedOf(long prospectId) {
        return jdbc.sql("""
                        SELECT a.external_id FROM activity a
                         WHERE a.prospect_id = :id AND a.processed_at IS NOT NULL AND a.failed_reason IS NULL
                           AND NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.activity_id = a.id)""").param("id", prospectId).query(String.class).list();
    }
}
