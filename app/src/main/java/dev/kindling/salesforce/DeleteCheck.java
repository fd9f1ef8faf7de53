package dev.kindling.salesforce;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes the incremental poll cannot see: {@code queryAll} returns deleted records only while they are in the
 * recycle bin, so once an hour per object {@code /deleted/} lists what was deleted since the last check (Salesforce
 * keeps that list 15 days). When the last check is older than what Salesforce still lists (the connector was off
 * longer), the ids Salesforce has are compared with every linked id instead (a Bulk API 2.0 query of the ids): a
 * linked record Salesforce no longer has was deleted.
 */
@Component
class DeleteCheck {

    static final Duration EVERY = Duration.ofHours(1);
    /** Salesforce lists deletes of the last 15 days; a check further back compares all ids. */
    static final Duration WINDOW = Duration.ofDays(15);
    /** Deletes are committed a little after their {@code deletedDate}: each check starts this much earlier. */
    static final Duration OVERLAP = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    DeleteCheck(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Whether the object's deletes are due to be checked (an hour since the last check, or never checked). */
    boolean due(String object) {
        return checkedUntil(object)
                .map(at -> !clock.instant().isBefore(at.plus(EVERY)))
                .orElse(true);
    }

    /** Checks the object's deletes now; returns how many linked records were found deleted. */
    int check(SalesforceClient client, ObjectSync sync) {
        Instant now = clock.instant();
        Optional<Instant> since = checkedUntil(sync.object());
        List<String> gone;
        Instant covered = now;
        if (since.isEmpty()) {
            gone = List.of(); // the first check: the poll's queryAll has seen what is in the recycle bin
        } else if (since.get().isBefore(now.minus(WINDOW).plus(OVERLAP))) {
            gone = fullComparison(client, sync);
        } else {
            SalesforceClient.Deleted answer =
                    client.deleted(sync.object(), since.get().minus(OVERLAP), now);
            gone = answer.ids();
            // Salesforce says how far its answer reaches (a little behind now): the next check starts there
            if (answer.latestDateCovered() != null && answer.latestDateCovered().isBefore(now)) {
                covered = answer.latestDateCovered();
            }
        }
        Instant until = covered;
        Integer deleted = tx.execute(status -> {
            int n = gone.isEmpty() ? 0 : sync.deleted(gone);
            jdbc.sql("""
                    INSERT INTO salesforce_delete_check (object, checked_until) VALUES (:object, :now)
                    ON CONFLICT (object) DO UPDATE SET checked_until = EXCLUDED.checked_until""")
                    .param("object", sync.object())
                    .param("now", Timestamp.from(until))
                    .update();
            return n;
        });
        return deleted == null ? 0 : deleted;
    }

    /** The linked ids Salesforce has no live record of (ids read by a Bulk API 2.0 query). */
    private List<String> fullComparison(SalesforceClient client, ObjectSync sync) {
        Set<String> live = new HashSet<>();
        client.bulkQuery(
                "SELECT Id FROM " + sync.object() + " WHERE IsDeleted = false",
                50_000,
                rows -> rows.forEach(r -> live.add(r.get("Id"))));
        List<String> gone = new ArrayList<>();
        jdbc.sql("SELECT sf_id FROM " + sync.linkTable() + " ORDER BY sf_id").query(rs -> {
            if (!live.contains(rs.getString(1))) {
                gone.add(rs.getString(1));
            }
        });
        return gone;
    }

    private Optional<Instant> checkedUntil(String object) {
        return jdbc.sql("SELECT checked_until FROM salesforce_delete_check WHERE object = :object")
                .param("object", object)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }
}
