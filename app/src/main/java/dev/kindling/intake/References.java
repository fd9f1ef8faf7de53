package dev.kindling.intake;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rows an activity names without a foreign key ({@code activity.prospect_id}, {@code activity.campaign_id}: V745,
 * docs/scaling.md). A writer of activities holds each row it names locked {@code FOR KEY SHARE} until it commits, taken
 * in id order (every writer's order, so two never wait on each other crosswise): a merge or a delete of the row waits
 * for the writer and then sees the activities (the delete is refused by the row's restrict trigger), or happened
 * before, and the row is then missing here. One statement for every writer, whatever the number of ids.
 */
final class References {

    /** The tables activities name. */
    enum Table {
        PROSPECT("prospect"),
        CAMPAIGN("campaign");

        private final String name;

        Table(String name) {
            this.name = name;
        }
    }

    private References() {}

    /** Those of {@code ids} whose rows exist, read ({@code lock} false) or locked {@code FOR KEY SHARE} in id order. */
    static Set<Long> existing(JdbcClient jdbc, Table table, Collection<Long> ids, boolean lock) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT id FROM " + table.name + " WHERE id = ANY(:ids)"
                        + (lock ? " ORDER BY id FOR KEY SHARE" : ""))
                .param("ids", ids.stream().distinct().sorted().toArray(Long[]::new))
                .query(Long.class)
                .list());
    }

    /**
     * Locks the rows of {@code ids}, all of which must exist: a missing one is a caller's mistake or a row deleted
     * or merged away since the caller read it, and fails the caller's transaction.
     */
    static void lockAll(JdbcClient jdbc, Table table, Collection<Long> ids) {
        Set<Long> present = existing(jdbc, table, ids, true);
        if (present.size() != new HashSet<>(ids).size()) {
            Set<Long> missing = new TreeSet<>(ids);
            missing.removeAll(present);
            throw new IllegalStateException("activities name " + table.name + " rows that do not exist: " + missing);
        }
    }
}
