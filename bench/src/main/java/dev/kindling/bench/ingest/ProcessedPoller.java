package dev.kindling.bench.ingest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * W2's question, asked every poll: which of these answered activities are processed? Without reading the partitioned
 * {@code activity} table by external id, which it has no index for ({@code activity_key}'s is the unique key), so such
 * a read scans every partition and, at S, takes seconds and competes with the intake it measures.
 *
 * <p>Each poll reads the activities with the prefix stored since a watermark by id (each partition's primary key leads
 * with it), so that it learns each activity's id, then asks the queue which of the answered activities it still holds:
 * one out of the queue is processed, since the intake inserts its queue row in the statement that stores it and
 * deletes that row in the transaction that writes its score, list and rule effects (the run's end counts them
 * processed with {@code processed_at} set, so one taken out of the queue as failed does not pass unseen).
 *
 * <p>Ids are taken in order but transactions commit out of order, so an id below the largest a poll saw may belong to
 * a transaction still running. The watermark moves to the largest id a poll saw only once every transaction running
 * at the poll after it has ended (the oldest running transaction of the current snapshot, {@code xmin}, is past that
 * poll's {@code xmax}); a transaction still without a transaction id at one poll has one by the next. An answered
 * activity still without an id after {@link #STRAGGLER_NANOS} is looked up by its external id (the slow read), so
 * none is missed; {@link #stragglerReads()} counts those reads.
 */
final class ProcessedPoller {

    private static final long STRAGGLER_NANOS = 5_000_000_000L;

    private final Connection connection;
    private final String prefix;
    private final PreparedStatement stored;
    private final PreparedStatement queued;
    private final PreparedStatement byExternalId;
    private final Map<String, Long> ids = new HashMap<>();
    private final ArrayDeque<long[]> polls = new ArrayDeque<>(); // {xmax of the poll's snapshot, largest id it saw}
    private long watermark;
    private long largest;
    private int stragglerReads;

    ProcessedPoller(Connection connection, String prefix) throws SQLException {
        this.connection = connection;
        this.prefix = prefix;
        try (Statement statement = connection.createStatement()) {
            // a generic plan of "id > ?" would guess a third of each partition and read it all
            statement.execute("SET plan_cache_mode = force_custom_plan");
            try (ResultSet max = statement.executeQuery("SELECT coalesce(max(id), 0) FROM activity")) {
                max.next();
                watermark = max.getLong(1);
                largest = watermark;
            }
        }
        stored = connection.prepareStatement("""
                SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint, a.id, a.external_id
                  FROM pg_current_snapshot() s
                  LEFT JOIN LATERAL (SELECT id, external_id FROM activity WHERE id > ? AND external_id LIKE ?) a ON true
                """);
        queued = connection.prepareStatement("SELECT activity_id FROM activity_queue WHERE activity_id = ANY(?)");
        byExternalId = connection.prepareStatement("SELECT id, external_id FROM activity WHERE external_id = ANY(?)");
    }

    /**
     * Of the answered activities (external id to the nano time of its answer), those processed now; each was answered
     * before this call.
     */
    Set<String> processed(Map<String, Long> answered, long now) throws SQLException {
        learnStored();
        List<String> unknown = new ArrayList<>();
        List<Long> candidates = new ArrayList<>();
        Map<Long, String> externalIds = new HashMap<>();
        for (Map.Entry<String, Long> entry : answered.entrySet()) {
            Long id = ids.get(entry.getKey());
            if (id != null) {
                candidates.add(id);
                externalIds.put(id, entry.getKey());
            } else if (now - entry.getValue() > STRAGGLER_NANOS) {
                unknown.add(entry.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            stragglerReads++;
            for (Map.Entry<String, Long> found : lookUp(unknown).entrySet()) {
                ids.put(found.getKey(), found.getValue());
                candidates.add(found.getValue());
                externalIds.put(found.getValue(), found.getKey());
            }
        }
        Set<String> processed = new HashSet<>();
        if (candidates.isEmpty()) {
            return processed;
        }
        Set<Long> stillQueued = new HashSet<>();
        Array array = connection.createArrayOf("bigint", candidates.toArray());
        queued.setArray(1, array);
        try (ResultSet rows = queued.executeQuery()) {
            while (rows.next()) {
                stillQueued.add(rows.getLong(1));
            }
        }
        array.free();
        for (Long id : candidates) {
            if (!stillQueued.contains(id)) {
                String externalId = externalIds.get(id);
                processed.add(externalId);
                ids.remove(externalId);
            }
        }
        return processed;
    }

    /** How many polls had to look an answered activity up by its external id. */
    int stragglerReads() {
        return stragglerReads;
    }

    private void learnStored() throws SQLException {
        stored.setLong(1, watermark);
        stored.setString(2, prefix + "%");
        long xmin = 0;
        long xmax = 0;
        try (ResultSet rows = stored.executeQuery()) {
            while (rows.next()) {
                xmin = rows.getLong(1);
                xmax = rows.getLong(2);
                String externalId = rows.getString(4);
                if (externalId != null) {
                    long id = rows.getLong(3);
                    largest = Math.max(largest, id);
                    ids.putIfAbsent(externalId, id);
                }
            }
        }
        polls.addLast(new long[] {xmax, largest});
        while (polls.size() >= 3 && xmin >= secondOf(polls)[0]) {
            watermark = Math.max(watermark, polls.removeFirst()[1]);
        }
    }

    private static long[] secondOf(ArrayDeque<long[]> polls) {
        var iterator = polls.iterator();
        iterator.next();
        return iterator.next();
    }

    private Map<String, Long> lookUp(Collection<String> externalIds) throws SQLException {
        Map<String, Long> found = new HashMap<>();
        Array array = connection.createArrayOf("text", externalIds.toArray());
        byExternalId.setArray(1, array);
        try (ResultSet rows = byExternalId.executeQuery()) {
            while (rows.next()) {
                found.put(rows.getString(2), rows.getLong(1));
            }
        }
        array.free();
        return found;
    }
}
