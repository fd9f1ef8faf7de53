package dev.kindling.salesforce;

import static dev.kindling.salesforce.SalesforceValues.flag;
import static dev.kindling.salesforce.SalesforceValues.text;

import dev.kindling.platform.security.Accounts;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Salesforce users → Kindling owners, matched by email through {@link Accounts} (the owner of users): each User is
 * kept with the Kindling user of the same email (none while Kindling has no such user; matched again whenever the
 * User changes). {@link #ownerOf} answers which Kindling user a Salesforce {@code OwnerId} is; the prospect sync reads them all at once
 * ({@code SalesforceRecords.owners}), and a user matched later gives the records it owns their owner (queued for the push).
 * Kindling creates no users: who may sign in stays an admin's decision.
 */
@Component
@Order(10)
class UserSync extends ObjectSync {

    static final String OBJECT = "User";
    static final String FIELDS =
            "Id, Email, Name, IsActive, SystemModstamp"; // User has no IsDeleted: users are deactivated

    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final SalesforceRecords records;
    private final SalesforceOutbox outbox;
    private final Clock clock;

    UserSync(JdbcClient jdbc, Accounts accounts, SalesforceRecords records, SalesforceOutbox outbox, Clock clock) {
        super(OBJECT, FIELDS, "salesforce_user");
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.records = records;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    SyncCounts write(SalesforceClient client, List<Map<String, Object>> records) {
        List<String> emails = records.stream()
                .map(r -> text(r.get("Email")))
                .filter(Objects::nonNull)
                .toList();
        Map<String, Long> users = accounts.idsByEmail(emails);
        int known = jdbc.sql("SELECT count(*) FROM salesforce_user WHERE sf_id = ANY(:ids)")
                .param("ids", records.stream().map(r -> (String) r.get("Id")).toArray(String[]::new))
                .query(Integer.class)
                .single();
        jdbc.sql("""
                INSERT INTO salesforce_user (sf_id, email, name, active, user_id, modstamp)
                SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:emails AS text[]), CAST(:names AS text[]),
                                     CAST(:active AS boolean[]), CAST(:users AS bigint[]), CAST(:stamps AS timestamptz[]))
                ON CONFLICT (sf_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name,
                       active = EXCLUDED.active, user_id = EXCLUDED.user_id, modstamp = EXCLUDED.modstamp""")
                .param("ids", records.stream().map(r -> (String) r.get("Id")).toArray(String[]::new))
                .param("emails", records.stream().map(r -> text(r.get("Email"))).toArray(String[]::new))
                .param("names", records.stream().map(r -> text(r.get("Name"))).toArray(String[]::new))
                .param(
                        "active",
                        records.stream().map(r -> flag(r.get("IsActive"))).toArray(Boolean[]::new))
                .param(
                        "users",
                        records.stream()
                                .map(r -> text(r.get("Email")) == null ? null : users.get(text(r.get("Email"))))
                                .toArray(Long[]::new))
                .param("stamps", records.stream().map(IncrementalPoll::stamp).toArray(Timestamp[]::new))
                .update();
        // records owned by a user that had no Kindling match when they were read get their owner now (by the push)
        List<String> matched = records.stream()
                .filter(r -> text(r.get("Email")) != null && users.get(text(r.get("Email"))) != null)
                .map(r -> (String) r.get("Id"))
                .toList();
        outbox.enqueue(this.records.unsyncedOwnersOf(matched), false, false, clock.instant());
        return new SyncCounts(records.size() - known, known, 0, 0, 0);
    }

    @Override
    int deleted(Collection<String> ids) {
        return jdbc.sql("UPDATE salesforce_user SET active = false WHERE sf_id = ANY(:ids) AND active")
                .param("ids", ids.toArray(String[]::new))
                .update();
    }

    /** The Kindling user a Salesforce user ({@code OwnerId}) is, when one has its email. */
    java.util.Optional<Long> ownerOf(String sfUserId) {
        return jdbc.sql("SELECT user_id FROM salesforce_user WHERE sf_id = :id AND user_id IS NOT NULL")
                .param("id", sfUserId)
                .query(Long.class)
                .optional();
    }
}
