package dev.kindling.salesforce;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The incremental read of an {@link ObjectSync}, as {@link AccountSync} reads accounts: one {@code queryAll} of the
 * records whose {@code SystemModstamp} is in the poll's window ({@link Watermarks}), ordered by stamp and id, page by
 * page through {@link PagedPoll} (each page and the watermark in one transaction; a large initial sync by a Bulk API
 * 2.0 query job). Records already read at their stamp, with the same values, are skipped (the overlap writes nothing
 * twice, and a change within the second of the last read is still seen). Also reads
 * records again by id (a retry from the error queue).
 */
@Component
class IncrementalPoll {

    /** Ids per {@code WHERE Id IN (…)} query of a retry (keeps the query text well under Salesforce's limit). */
    static final int IDS_PER_QUERY = 200;

    private final JdbcClient jdbc;
    private final Watermarks watermarks;
    private final PagedPoll paged;
    private final TransactionTemplate tx;

    IncrementalPoll(JdbcClient jdbc, Watermarks watermarks, PagedPoll paged, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.watermarks = watermarks;
        this.paged = paged;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Reads what changed in the window. */
    SyncCounts poll(SalesforceClient client, ObjectSync sync) {
        Watermarks.Window window = watermarks.window(sync.object());
        String soql = soql(sync, window);
        return poll(client, sync, paged.pages(window, soql, client.query(soql, true)), window);
    }

    /** The change poll's {@code queryAll}: what changed in the window ({@link Watermarks}). */
    static String soql(ObjectSync sync, Watermarks.Window window) {
        return "SELECT " + sync.fields() + " FROM " + sync.object() + window.where() + " ORDER BY SystemModstamp, Id";
    }

    /** As {@link #poll(SalesforceClient, ObjectSync)}, from pages already started. */
    SyncCounts poll(SalesforceClient client, ObjectSync sync, PagedPoll.Pages pages, Watermarks.Window window) {
        return paged.read(
                client,
                sync.object(),
                pages,
                window,
                SyncCounts.NONE,
                records -> writeChanged(client, sync, records),
                SyncCounts::plus);
    }

    /** Reads these records again (deleted ones included) and writes them; returns the ids Salesforce has none of. */
    List<String> reread(SalesforceClient client, ObjectSync sync, List<String> ids) {
        List<String> missing = new ArrayList<>(ids);
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            String in = idList(ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY)));
            if (in.isEmpty()) {
                continue;
            }
            client.queryEachPage(
                    "SELECT " + sync.fields() + " FROM " + sync.object() + " WHERE Id IN (" + in + ")",
                    true,
                    page -> tx.executeWithoutResult(status -> {
                        page.records().forEach(r -> missing.remove((String) r.get("Id")));
                        sync.write(client, page.records());
                    }));
        }
        return missing;
    }

    private SyncCounts writeChanged(SalesforceClient client, ObjectSync sync, List<Map<String, Object>> records) {
        if (records.isEmpty()) {
            return SyncCounts.NONE;
        }
        record Read(Instant stamp, String digest) {}
        Map<String, Read> known = new HashMap<>();
        jdbc.sql("SELECT sf_id, modstamp, digest FROM " + sync.linkTable() + " WHERE sf_id = ANY(:ids)")
                .param("ids", records.stream().map(r -> (String) r.get("Id")).toArray(String[]::new))
                .query(rs -> {
                    known.put(rs.getString(1), new Read(rs.getTimestamp(2).toInstant(), rs.getString(3)));
                });
        List<Map<String, Object>> changed = new ArrayList<>();
        for (Map<String, Object> r : records) {
            Read read = known.get((String) r.get("Id"));
            Instant stamp = SalesforceTimes.parse((String) r.get("SystemModstamp"));
            // a stamp equal to the one read is a change only if the record differs (stamps have whole seconds)
            if (read == null
                    || stamp.isAfter(read.stamp())
                    || stamp.equals(read.stamp())
                            && read.digest() != null
                            && !read.digest().equals(digest(r))) {
                changed.add(r);
            }
        }
        SyncCounts written = changed.isEmpty() ? SyncCounts.NONE : sync.write(client, changed);
        if (!changed.isEmpty()) {
            jdbc.sql("UPDATE " + sync.linkTable() + " l SET digest = d.digest"
                            + " FROM unnest(CAST(:ids AS text[]), CAST(:digests AS text[])) AS d(sf_id, digest)"
                            + " WHERE l.sf_id = d.sf_id")
                    .param(
                            "ids",
                            changed.stream().map(r -> (String) r.get("Id")).toArray(String[]::new))
                    .param(
                            "digests",
                            changed.stream().map(IncrementalPoll::digest).toArray(String[]::new))
                    .update();
        }
        return written.plus(new SyncCounts(0, 0, 0, 0, records.size() - changed.size()));
    }

    /** A digest of the record's values as read. */
    static String digest(Map<String, Object> record) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(SalesforceClient.JSON.writeValueAsBytes(new TreeMap<>(record)));
            return Base64.getEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Salesforce ids as a SOQL {@code IN} list ({@code 'a', 'b'}); anything that is not an id is left out. */
    static String idList(List<String> ids) {
        return ids.stream()
                .filter(id -> id.matches("[A-Za-z0-9]{15,18}"))
                .map(id -> "'" + id + "'")
                .collect(Collectors.joining(", "));
    }

    static Timestamp stamp(Map<String, Object> record) {
        return Timestamp.from(SalesforceTimes.parse((String) record.get("SystemModstamp")));
    }
}
