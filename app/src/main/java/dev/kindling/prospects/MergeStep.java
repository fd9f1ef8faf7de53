package dev.kindling.prospects;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How a capability that keeps rows about prospects takes part in a merge ({@link ProspectMerges}): each owner
 * re-points its own tables from the loser to the survivor, deduplicating where a prospect may appear only once, in
 * the merge's transaction and in a fixed number of statements. Steps run in {@code @Order}, while both prospect rows
 * still exist and are locked; the loser row is deleted after the last step. {@link #columns()} names every column
 * that refers to a prospect the step handles, so a test can prove no such column is forgotten.
 */
public interface MergeStep {

    /** The survivor keeps its id; the loser's rows become the survivor's. */
    record Pair(long survivorId, long loserId, Instant at) {}

    /** The columns (as {@code table.column}) holding a prospect id that this step re-points. */
    Set<String> columns();

    /**
     * Locks, in id order, the rows the step will re-point that another writer takes before the prospect row (intake
     * claims activities, then locks prospects), before the merge locks the two prospect rows. Most steps need nothing.
     */
    default void lock(Pair pair) {}

    /** Re-points (and deduplicates) this capability's rows from the loser to the survivor. */
    void merge(Pair pair);

    /**
     * Why these two prospects must not be merged without a person deciding (an automatic merge is then skipped), or
     * empty. The analogue of two records a sales system keeps apart (different CRM ids).
     */
    default Optional<String> refusesAutomaticMerge(long first, long second) {
        return Optional.empty();
    }

    /**
     * Re-points these columns ({@code table.column}, constants of the calling step) from the loser to the survivor,
     * one statement each: for tables where a prospect may appear any number of times.
     */
    static void repoint(JdbcClient jdbc, Pair pair, Set<String> columns) {
        for (String column : new java.util.TreeSet<>(columns)) {
            String table = column.substring(0, column.indexOf('.'));
            String name = column.substring(column.indexOf('.') + 1);
            jdbc.sql("UPDATE " + table + " SET " + name + " = :s WHERE " + name + " = :l")
                    .param("s", pair.survivorId())
                    .param("l", pair.loserId())
                    .update();
        }
    }
}
