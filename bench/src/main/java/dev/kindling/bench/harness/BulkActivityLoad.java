package dev.kindling.bench.harness;

import dev.kindling.dataset.GeneratedActivity;
import dev.kindling.dataset.load.ActivityRows;
import dev.kindling.dataset.load.DatasetCopy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads a large activity history fast (setup of the benchmarks at size M, never timed): the generator encodes COPY
 * text on the calling thread while {@code writers} connections each run a COPY of their own, so generating and
 * ingesting overlap and PostgreSQL parses on several backends; and {@code activity}'s primary key, foreign keys and
 * indexes, the foreign keys of other tables to it and the primary key of its keys ({@code activity_key}), are dropped
 * for the COPY and rebuilt once at the end (a sorted index build instead of 50 million index insertions). The intake's
 * queue ({@code activity_queue} since the app's migration V640; before it, the partial indexes over unprocessed rows,
 * {@code processed_at IS NULL}, which stay) is not touched: the loaded rows are processed history, and the running
 * app's intake keeps polling it. The schema afterwards is exactly the migrations' (same names, same definitions,
 * constraints validated).
 */
public final class BulkActivityLoad {

    private static final int CHUNK_CHARS = 1 << 20;
    private static final byte[] DONE = new byte[0];

    /** Opens a connection of its own for a COPY writer. */
    public interface Connections {
        Connection open() throws SQLException;
    }

    private BulkActivityLoad() {}

    /**
     * Copies the activities, which occurred from {@code from} to {@code to}; returns the rows copied. {@code main}
     * makes the monthly partitions of that period first (so no row lands in the default partition), drops and
     * rebuilds the indexes, and writes the activities' keys ({@code activity_key}) after the COPY.
     */
    public static long copy(
            Stream<GeneratedActivity> activities,
            ActivityRows rows,
            Instant from,
            Instant to,
            Connection main,
            Connections connections,
            int writers)
            throws Exception {
        long after;
        try (Statement s = main.createStatement();
                ResultSet max = s.executeQuery("SELECT coalesce(max(id), 0) FROM activity")) {
            max.next();
            after = max.getLong(1);
        }
        new DatasetCopy(main).coverActivityMonths(from, to);
        List<String> restore = dropIndexes(main);
        long copied = parallelCopy(activities.iterator(), rows, connections, writers);
        try (Statement s = main.createStatement()) {
            s.execute("SET maintenance_work_mem = '1GB'");
            s.execute("SET max_parallel_maintenance_workers = 2");
            s.execute("INSERT INTO activity_key (external_id, occurred_at)"
                    + " SELECT external_id, occurred_at FROM activity WHERE id > " + after);
            s.execute("SELECT activity_split_default()");
            for (String statement : restore) {
                s.execute(statement);
            }
            s.execute("RESET maintenance_work_mem");
            s.execute("RESET max_parallel_maintenance_workers");
        }
        return copied;
    }

    /**
     * Drops what makes a bulk COPY slow and returns the statements that restore it, in order: primary key and unique
     * constraints, then the other full indexes, then foreign keys (activity's own, and those of other tables to it).
     */
    static List<String> dropIndexes(Connection connection) throws SQLException {
        List<String> drop = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> indexes = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            try (ResultSet r = s.executeQuery("""
                    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype
                      FROM pg_constraint
                     WHERE (conrelid = 'activity'::regclass AND contype IN ('p', 'u', 'f'))
                        OR (conrelid = 'activity_key'::regclass AND contype = 'p')
                        OR (confrelid = 'activity'::regclass AND contype = 'f')
                     ORDER BY contype = 'f' DESC, conname""")) {
                while (r.next()) {
                    String table = r.getString(1);
                    String name = r.getString(2);
                    drop.add("ALTER TABLE " + table + " DROP CONSTRAINT " + quote(name));
                    String add = "ALTER TABLE " + table + " ADD CONSTRAINT " + quote(name) + " " + r.getString(3);
                    (r.getString(4).equals("f") ? foreign : keys).add(add);
                }
            }
            try (ResultSet r = s.executeQuery("""
                    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                      FROM pg_index i
                     WHERE i.indrelid = 'activity'::regclass
                       AND (i.indpred IS NULL OR pg_get_expr(i.indpred, i.indrelid) NOT LIKE '%processed_at IS NULL%')
                       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                     ORDER BY 1""")) {
                while (r.next()) {
                    drop.add("DROP INDEX " + r.getString(1));
                    // an index of the partitioned table, made again on it and each of its partitions
                    indexes.add(r.getString(2).replace(" ON ONLY ", " ON "));
                }
            }
            for (String statement : drop) {
                s.execute(statement);
            }
        }
        List<String> restore = new ArrayList<>(keys);
        restore.addAll(indexes);
        restore.addAll(foreign);
        return restore;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static long parallelCopy(
            Iterator<GeneratedActivity> activities, ActivityRows rows, Connections connections, int writers)
            throws Exception {
        BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4 * writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Long>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            Connection connection = connections.open();
            results.add(pool.submit(() -> {
                try (connection) {
                    CopyIn copyIn = connection
                            .unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn("COPY activity (" + ActivityRows.COLUMNS + ") FROM STDIN");
                    try {
                        for (byte[] chunk = chunks.take(); chunk != DONE; chunk = chunks.take()) {
                            copyIn.writeToCopy(chunk, 0, chunk.length);
                        }
                        return copyIn.endCopy();
                    } finally {
                        if (copyIn.isActive()) {
                            copyIn.cancelCopy();
                        }
                    }
                }
            }));
        }
        try {
            StringBuilder out = new StringBuilder(CHUNK_CHARS + 4096);
            while (activities.hasNext()) {
                rows.append(out, activities.next());
                if (out.length() >= CHUNK_CHARS || !activities.hasNext()) {
                    put(chunks, out.toString().getBytes(StandardCharsets.UTF_8), results);
                    out.setLength(0);
                }
            }
            for (int i = 0; i < writers; i++) {
                put(chunks, DONE, results);
            }
            long copied = 0;
            for (Future<Long> result : results) {
                copied += result.get();
            }
            return copied;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for room in the queue, failing fast when a writer failed (its COPY error is the cause). */
    private static void put(BlockingQueue<byte[]> chunks, byte[] chunk, List<Future<Long>> writers) throws Exception {
        while (!chunks.offer(chunk, 1, java.util.concurrent.TimeUnit.SECONDS)) {
            for (Future<Long> writer : writers) {
                if (writer.isDone()) {
                    writer.get();
                    throw new IllegalStateException("a COPY writer stopped early");
                }
            }
        }
    }
}
