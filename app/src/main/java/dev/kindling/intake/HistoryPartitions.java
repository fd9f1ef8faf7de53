package dev.kindling.intake;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The monthly partitions of the history tables (docs/scaling.md, "Partitioned history"): {@code activity} and the
 * append-only tables that grow with it, {@code score_ledger}, {@code stage_transition} and
 * {@code list_membership_event} ({@link #TABLES}). Makes them ahead of time, moves rows out of a default partition
 * when it grows, and applies the retention to every table alike — the partitions of the months older than
 * {@code retentionMonths} are detached and dropped, or detached and kept as tables of their own to be archived.
 * Each step is one transaction that waits at most {@link #LOCK_TIMEOUT} for its locks (attaching and detaching lock
 * the table briefly); a step that cannot have them is tried again on the next run. Months are UTC months.
 */
class HistoryPartitions {

    private static final Logger log = LoggerFactory.getLogger(HistoryPartitions.class);

    /** Months with a partition made ahead, after the current one. */
    static final int MONTHS_AHEAD = 3;

    /** The default partition's rows are moved into monthly partitions once it holds more than this. */
    static final int DEFAULT_PARTITION_LIMIT = 10_000;

    static final String LOCK_TIMEOUT = "5s";

    /** The prefix a partition kept for archiving gets when it is detached. */
    static final String ARCHIVED_PREFIX = "archived_";

    /** A table partitioned by month of {@code key} (migrations V600, V630), its default partition {@code <name>_default}. */
    record History(String name, String key) {
        String defaultPartition() {
            return name + "_default";
        }
    }

    /** The history tables, activity first (the retention deletes its keys after its partitions). */
    static final List<History> TABLES = List.of(
            new History("activity", "occurred_at"),
            new History("score_ledger", "at"),
            new History("stage_transition", "at"),
            new History("list_membership_event", "at"));

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final int retentionMonths;
    private final boolean archive;

    HistoryPartitions(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            int retentionMonths,
            boolean archive) {
        if (retentionMonths < 0) {
            throw new IllegalArgumentException("kindling.history.retention-months must be 0 (off) or more");
        }
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.retentionMonths = retentionMonths;
        this.archive = archive;
    }

    /** One run: partitions ahead, the default partitions split when they grew, then the retention. */
    void run() {
        ahead();
        for (History table : TABLES) {
            if (defaultRows(table, DEFAULT_PARTITION_LIMIT + 1) > DEFAULT_PARTITION_LIMIT) {
                splitDefault(table);
            }
        }
        retain();
    }

    /**
     * Makes the partitions of this month and the next {@link #MONTHS_AHEAD} of every history table; returns how many
     * were made.
     */
    int ahead() {
        Instant month = monthOf(clock.instant());
        int made = 0;
        for (History table : TABLES) {
            Integer n = locked(() -> jdbc.sql("SELECT history_partitions_cover(:table, :from, :to)")
                    .param("table", table.name())
                    .param("from", Timestamp.from(month))
                    .param("to", Timestamp.from(plusMonths(month, MONTHS_AHEAD)))
                    .query(Integer.class)
                    .single());
            made += n == null ? 0 : n;
        }
        return made;
    }

    /**
     * Moves every row of each table's default partition into a monthly partition; returns how many partitions were
     * made.
     */
    int splitDefault() {
        int made = 0;
        for (History table : TABLES) {
            made += splitDefault(table);
        }
        return made;
    }

    private int splitDefault(History table) {
        Integer made = locked(() -> jdbc.sql("SELECT history_split_default(:table)")
                .param("table", table.name())
                .query(Integer.class)
                .single());
        return made == null ? 0 : made;
    }

    /**
     * Detaches the partitions of every history table whose months all lie before the retention (the first of this
     * month less {@code retentionMonths}), dropping them unless {@code archive}, and deletes the keys of the activities
     * dropped; nothing when the retention is off. Rows of those months still in a default partition get their
     * partition first, so they go too. Returns the partitions detached, table by table ({@link #TABLES}).
     */
    List<String> retain() {
        List<String> detached = new ArrayList<>();
        if (retentionMonths == 0) {
            return detached;
        }
        Timestamp cut = Timestamp.from(plusMonths(monthOf(clock.instant()), -retentionMonths));
        for (History table : TABLES) {
            detached.addAll(retain(table, cut));
        }
        // the keys of activities no partition holds any more: below the lowest partition left, at most the cut (rows
        // older than the cut are all in partitions that were just detached, unless a partition from MINVALUE is left);
        // and so their queue rows, should any of them still have been queued
        locked(() -> jdbc.sql("""
                        DELETE FROM activity_key
                         WHERE occurred_at < least(:cut, (SELECT min(lower) FROM activity_partitions))""").param("cut", cut).update());
        locked(() -> jdbc.sql("""
                        DELETE FROM activity_queue
                         WHERE occurred_at < least(:cut, (SELECT min(lower) FROM activity_partitions))""").param("cut", cut).update());
        return detached;
    }

    private List<String> retain(History table, Timestamp cut) {
        List<String> detached = new ArrayList<>();
        locked(() -> jdbc.sql("SELECT history_partition_for(:table, m) FROM (SELECT DISTINCT date_trunc('month', "
                        + quote(table.key()) + ", 'UTC') AS m FROM " + quote(table.defaultPartition()) + " WHERE "
                        + quote(table.key()) + " < :cut) d ORDER BY m")
                .param("table", table.name())
                .param("cut", cut)
                .query(String.class)
                .list());
        List<String> old = jdbc.sql(
                        "SELECT name FROM history_partitions WHERE parent = :table AND upper <= :cut ORDER BY lower")
                .param("table", table.name())
                .param("cut", cut)
                .query(String.class)
                .list();
        for (String partition : old) {
            locked(() -> {
                jdbc.sql("ALTER TABLE " + quote(table.name()) + " DETACH PARTITION " + quote(partition))
                        .update();
                if (archive) {
                    jdbc.sql("ALTER TABLE " + quote(partition) + " RENAME TO " + quote(ARCHIVED_PREFIX + partition))
                            .update();
                } else {
                    jdbc.sql("DROP TABLE " + quote(partition)).update();
                }
                return null;
            });
            detached.add(partition);
            log.info(
                    "History retention: partition {} {} ({} before {})",
                    partition,
                    archive ? "detached as " + ARCHIVED_PREFIX + partition : "dropped",
                    table.name(),
                    cut.toInstant());
        }
        return detached;
    }

    /** How many rows the table's default partition holds, counting up to {@code limit}. */
    long defaultRows(History table, int limit) {
        return jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM " + quote(table.defaultPartition()) + " LIMIT :limit) d")
                .param("limit", limit)
                .query(Long.class)
                .single();
    }

    private <T> T locked(java.util.function.Supplier<T> work) {
        return tx.execute(status -> {
            jdbc.sql("SELECT set_config('lock_timeout', :timeout, true)")
                    .param("timeout", LOCK_TIMEOUT)
                    .query(String.class)
                    .single();
            return work.get();
        });
    }

    static Instant monthOf(Instant at) {
        return at.atZone(ZoneOffset.UTC)
                .toLocalDate()
                .withDayOfMonth(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    private static Instant plusMonths(Instant month, int months) {
        LocalDate day = month.atZone(ZoneOffset.UTC).toLocalDate().plusMonths(months);
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
