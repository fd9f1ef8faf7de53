package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.bench.harness.MigratedDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProcessedPollerTest {

    private MigratedDatabase database;
    private Connection polling;
    private Connection intake;

    @BeforeEach
    void database() throws Exception {
        database = MigratedDatabase.create();
        polling = database.connect();
        intake = database.connect();
    }

    @AfterEach
    void close() throws Exception {
        intake.close();
        polling.close();
        database.close();
    }

    @Test
    void anActivityIsProcessedOnceItsQueueRowIsGone() throws Exception {
        ProcessedPoller poller = new ProcessedPoller(polling, "w2-");
        store("w2-a", true);
        store("w2-b", true);
        store("other-c", true);
        long now = System.nanoTime();
        Map<String, Long> answered = Map.of("w2-a", now, "w2-b", now);

        assertThat(poller.processed(answered, now)).isEmpty();

        dequeue("w2-a");
        assertThat(poller.processed(answered, now)).containsExactly("w2-a");
        dequeue("w2-b");
        assertThat(poller.processed(Map.of("w2-b", now), now)).containsExactly("w2-b");
        assertThat(poller.stragglerReads()).isZero();
    }

    @Test
    void anActivityCommittedAfterOneWithAHigherIdIsStillFound() throws Exception {
        ProcessedPoller poller = new ProcessedPoller(polling, "w2-");
        intake.setAutoCommit(false);
        store("w2-late", false); // takes the lower id, commits last
        try (Connection other = database.connect()) {
            PreparedStatement insert = other.prepareStatement(INSERT);
            insert.setString(1, "w2-early");
            insert.executeUpdate();
        }
        long now = System.nanoTime();
        for (int poll = 0; poll < 5; poll++) { // the watermark may move past the higher id meanwhile
            assertThat(poller.processed(Map.of("w2-early", now), now)).containsExactly("w2-early");
        }
        intake.commit();
        intake.setAutoCommit(true);

        assertThat(poller.processed(Map.of("w2-late", now), now)).containsExactly("w2-late");
        assertThat(poller.stragglerReads()).isZero();
    }

    @Test
    void anActivityWithoutALearnedIdIsLookedUpByItsExternalIdAfterFiveSeconds() throws Exception {
        store("w2-before", false);
        ProcessedPoller poller = new ProcessedPoller(polling, "w2-"); // its watermark is past w2-before
        long now = System.nanoTime();

        assertThat(poller.processed(Map.of("w2-before", now), now)).isEmpty();
        assertThat(poller.processed(Map.of("w2-before", now - 6_000_000_000L), now))
                .containsExactly("w2-before");
        assertThat(poller.stragglerReads()).isEqualTo(1);
    }

    private static final String INSERT =
            "INSERT INTO activity (external_id, type, occurred_at, received_at, processed_at)"
                    + " VALUES (?, 'page_view', now(), now(), now())";

    private void store(String externalId, boolean queued) throws SQLException {
        try (PreparedStatement insert = intake.prepareStatement(INSERT + " RETURNING id, occurred_at")) {
            insert.setString(1, externalId);
            try (var row = insert.executeQuery()) {
                row.next();
                if (queued) {
                    try (PreparedStatement queue = intake.prepareStatement(
                            "INSERT INTO activity_queue (activity_id, occurred_at, received_at) VALUES (?, ?, now())")) {
                        queue.setLong(1, row.getLong(1));
                        queue.setTimestamp(2, row.getTimestamp(2));
                        queue.executeUpdate();
                    }
                }
            }
        }
    }

    private void dequeue(String externalId) throws SQLException {
        try (PreparedStatement delete = intake.prepareStatement(
                "DELETE FROM activity_queue q USING activity a WHERE a.id = q.activity_id AND a.external_id = ?")) {
            delete.setString(1, externalId);
            delete.executeUpdate();
        }
    }
}
