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
 * The monthly partitions of {@code activity} (docs/scaling.md, "Partitioned history"): makes them ahead of time, moves
 * rows out of the default partition when it grows, and applies the retention — the partitions of the months older
 * than {@code retentionMonths} are detached and dropped, or detached and kept as tables of their own to be archived.
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

    /** One run: partitions ahead, the default partition split when it grew, then the retention. */
    void run() {
        ahead();
        if (defaultRows(DEFAULT_PARTITION_LIMIT + 1) > DEFAULT_PARTITION_LIMIT) {
            splitDefault();
        }
        retain();
    }

    /** Makes the partitions of this month and the next {@link #MONTHS_AHEAD}; returns how many were made. */
    int ahead() {
        Instant month = monthOf(clock.instant());
        Integer made = locked(() -> jdbc.sql("SELECT activity_partitions_cover(:from, :to)")
                .param("from", Timestamp.from(month))
                .param("to", Timestamp.from(plusMonths(month, MONTHS_AHEAD)))
                .query(Integer.class)
                .single());
        return made == null ? 0 : made;
    }

    /** Moves every row of the default partition into a monthly partition; returns how many partitions were made. */
    int splitDefault() {
        Integer made = locked(() ->
                jdbc.sql("SELECT activity_split_default()").query(Integer.class).single());
        return made == null ? 0 : made;
    }

    /**
     * Detaches the partitions whose months all lie before the retention (the first of this month less {@code
     * retentionMonths}), dropping them unless {@code archive}, and deletes their activities' keys; nothing when the
     * retention is off. Rows of those months still in the default partition get their partition first, so they go
     * too. Returns the partitions detached.
     */
    List<String> retain() {
        List<String> detached = new ArrayList<>();
        if (retentionMonths == 0) {
            return detached;
        }
        Timestamp cut = Timestamp.from(plusMonths(monthOf(clock.instant()), -retentionMonths));
        locked(() -> jdbc.sql("""
                        SELECT activity_partition_for(m)
                          FROM (SELECT DISTINCT date_trunc('month', occurred_at, 'UTC') AS m
                                  FROM activity_default WHERE occurred_at < :cut) d
                         ORDER BY m""").param("cut", cut).query(String.class).list());
        List<String> old = jdbc.sql("SELECT name FROM activity_partitions WHERE upper <= :cut ORDER BY lower")
                .param("cut", cut)
                .query(String.class)
                .list();
        for (String partition : old) {
            locked(() -> {
                jdbc.sql("ALTER TABLE activity DETACH PARTITION " + quote(partition))
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
                    "History retention: partition {} {} (activities before {})",
                    partition,
                    archive ? "detached as " + ARCHIVED_PREFIX + partition : "dropped",
                    cut.toInstant());
        }
        // the keys of activities no partition holds any more: below the lowest partition left, at most the cut (rows
        // older than the cut are all in partitions that were just detached, unless a partition from MINVALUE is left)
        locked(() -> jdbc.sql("""
                        DELETE FROM activity_key
                         WHERE occurred_at < least(:cut, (SELECT min(lower) FROM activity_partitions))""").param("cut", cut).update());
        return detached;
    }

    /** How many rows the default partition holds, counting up to {@code limit}. */
    long defaultRows(int limit) {
        return jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM activity_default LIMIT :limit) d")
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
