package dev.kindling.salesforce;

import dev.kindling.prospects.Accounts;
import dev.kindling.prospects.Accounts.AccountData;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Salesforce accounts → Kindling accounts, incrementally: one {@code queryAll} of the accounts whose
 * {@code SystemModstamp} is in the poll's window ({@link Watermarks}: so a record committed in Salesforce with a stamp
 * just below the last one read is still seen), ordered by stamp; each page is written (through {@link Accounts}, the
 * owner of accounts), linked and the watermark moved in one transaction ({@link PagedPoll}), so a crash resumes from
 * the last page written. Records already read at their current stamp, with the same values (a SHA-256 digest, as
 * {@link IncrementalPoll} keeps), are skipped, so the overlap costs nothing and a change within the second of the last
 * read is still written.
 * A deleted Salesforce account is marked deleted on its link; the Kindling account stays (its prospects keep it).
 */
@Component
class AccountSync {

    static final String OBJECT = "Account";
    static final String FIELDS =
            "Id, Name, Website, Industry, NumberOfEmployees, BillingCountry, IsDeleted," + " SystemModstamp";

    /** What a poll did. */
    record Result(int created, int updated, int deleted, int skipped) {
        static final Result NONE = new Result(0, 0, 0, 0);

        Result plus(Result o) {
            return new Result(created + o.created, updated + o.updated, deleted + o.deleted, skipped + o.skipped);
        }
    }

    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final Watermarks watermarks;
    private final PagedPoll paged;
    private final Clock clock;

    AccountSync(JdbcClient jdbc, Accounts accounts, Watermarks watermarks, PagedPoll paged, Clock clock) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.watermarks = watermarks;
        this.paged = paged;
        this.clock = clock;
    }

    Result poll(SalesforceClient client) {
        Watermarks.Window window = watermarks.window(OBJECT);
        String soql = soql(window);
        return poll(client, paged.pages(window, soql, client.query(soql, true)), window);
    }

    /** The change poll's {@code queryAll}: what changed in the window ({@link Watermarks}). */
    static String soql(Watermarks.Window window) {
        return "SELECT " + FIELDS + " FROM Account" + window.where() + " ORDER BY SystemModstamp, Id";
    }

    /** Writes the poll's pages ({@link PagedPoll}). */
    Result poll(SalesforceClient client, PagedPoll.Pages pages, Watermarks.Window window) {
        return paged.read(client, OBJECT, pages, window, Result.NONE, this::write, Result::plus);
    }

    private Result write(List<Map<String, Object>> records) {
        if (records.isEmpty()) {
            return new Result(0, 0, 0, 0);
        }
        Instant now = clock.instant();
        List<String> ids = records.stream().map(r -> (String) r.get("Id")).toList();
        record Read(Instant stamp, String digest) {}
        Map<String, Read> known = new HashMap<>();
        Map<String, Long> linked = new HashMap<>();
        jdbc.sql(
                        "SELECT sf_id, account_id, modstamp, digest FROM salesforce_account WHERE sf_id = ANY(:ids) FOR UPDATE")
                .param("ids", ids.toArray(String[]::new))
                .query(rs -> {
                    known.put(rs.getString(1), new Read(rs.getTimestamp(3).toInstant(), rs.getString(4)));
                    linked.put(rs.getString(1), rs.getLong(2));
                });
        List<Map<String, Object>> live = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        int skipped = 0;
        for (Map<String, Object> r : records) {
            String id = (String) r.get("Id");
            Instant stamp = SalesforceTimes.parse((String) r.get("SystemModstamp"));
            Read read = known.get(id);
            // a stamp equal to the one read is a change only if the record differs (stamps have whole seconds)
            if (read != null
                    && (stamp.isBefore(read.stamp())
                            || stamp.equals(read.stamp())
                                    && (read.digest() == null || read.digest().equals(IncrementalPoll.digest(r))))) {
                skipped++;
            } else if (Boolean.TRUE.equals(r.get("IsDeleted"))) {
                if (linked.containsKey(id)) {
                    deleted.add(id);
                }
            } else {
                live.add(r);
            }
        }
        List<AccountData> data = live.stream()
                .map(r -> new AccountData(
                        linked.get((String) r.get("Id")),
                        text(r.get("Name")),
                        domain(text(r.get("Website"))),
                        text(r.get("Industry")),
                        r.get("NumberOfEmployees") instanceof Number n ? n.intValue() : null,
                        text(r.get("BillingCountry"))))
                .toList();
        List<Long> accountIds = accounts.write(data);
        int created = 0;
        List<String> linkIds = new ArrayList<>();
        List<Long> linkAccounts = new ArrayList<>();
        List<Timestamp> linkStamps = new ArrayList<>();
        List<String> linkDigests = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            String id = (String) live.get(i).get("Id");
            if (!linked.containsKey(id)) {
                created++;
            }
            linkIds.add(id);
            linkAccounts.add(accountIds.get(i));
            linkStamps.add(
                    Timestamp.from(SalesforceTimes.parse((String) live.get(i).get("SystemModstamp"))));
            linkDigests.add(IncrementalPoll.digest(live.get(i)));
        }
        jdbc.sql("""
                INSERT INTO salesforce_account (sf_id, account_id, modstamp, digest)
                SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:accounts AS bigint[]), CAST(:stamps AS timestamptz[]),
                                     CAST(:digests AS text[]))
                ON CONFLICT (sf_id) DO UPDATE SET account_id = EXCLUDED.account_id, modstamp = EXCLUDED.modstamp,
                       digest = EXCLUDED.digest, deleted_at = NULL""")
                .param("ids", linkIds.toArray(String[]::new))
                .param("accounts", linkAccounts.toArray(Long[]::new))
                .param("stamps", linkStamps.toArray(Timestamp[]::new))
                .param("digests", linkDigests.toArray(String[]::new))
                .update();
        if (!deleted.isEmpty()) {
            jdbc.sql("UPDATE salesforce_account SET deleted_at = :now WHERE sf_id = ANY(:ids) AND deleted_at IS NULL")
                    .param("now", Timestamp.from(now))
                    .param("ids", deleted.toArray(String[]::new))
                    .update();
        }
        return new Result(created, live.size() - created, deleted.size(), skipped);
    }

    private static String text(Object value) {
        return value == null || String.valueOf(value).isBlank()
                ? null
                : String.valueOf(value).trim();
    }

    /** The domain of a website ({@code https://www.Acme.com/about} → {@code acme.com}), or {@code null}. */
    static String domain(String website) {
        if (website == null) {
            return null;
        }
        String host = website.trim()
                .toLowerCase(Locale.ROOT)
                .replaceFirst("^[a-z][a-z0-9+.-]*://", "")
                .replaceFirst("[/?#:].*$", "")
                .replaceFirst("^www\\.", "");
        return host.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+") ? host : null;
    }
}
