package dev.kindling.salesforce;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The page loop every change poll shares (leads and contacts, accounts, the {@link ObjectSync}s): each page is written
 * and the watermark moved in one transaction, so a crash resumes after the last page written; a poll that read every
 * page marks its window covered ({@link Watermarks}). An object's <b>initial sync</b> (no watermark yet) of more than
 * {@value #BULK_THRESHOLD} records — Salesforce recommends Bulk API 2.0 from about 2,000 — is read by a Bulk API 2.0
 * query job instead of REST pages: the job's results come in CSV pages of {@value #BULK_PAGE} records, in no
 * particular order (the job's query has no {@code ORDER BY}, which Salesforce advises against: it disables PK
 * chunking), so the watermark moves once, after the last page (a crash during the job reads it again; what was
 * written is skipped by its stamp).
 */
@Component
class PagedPoll {

    /** Records above which an initial sync reads a Bulk API 2.0 query job. */
    static final int BULK_THRESHOLD = 2_000;

    /** Records per result page of a query job ({@code maxRecords}), each written in one transaction. */
    static final int BULK_PAGE = 10_000;

    /**
     * Where a poll's pages come from: REST pages from {@code first} on ({@code nextRecordsUrl}), ordered by stamp and
     * id; or, with {@code bulkSoql}, a Bulk API 2.0 query job.
     */
    record Pages(SalesforceClient.QueryPage first, String bulkSoql) {
        boolean ordered() {
            return bulkSoql == null;
        }
    }

    private final Watermarks watermarks;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final int bulkThreshold;

    PagedPoll(
            Watermarks watermarks,
            PlatformTransactionManager transactions,
            Clock clock,
            @Value("${kindling.salesforce.bulk-query-threshold:" + BULK_THRESHOLD + "}") int bulkThreshold) {
        this.watermarks = watermarks;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.bulkThreshold = bulkThreshold;
    }

    /**
     * The pages of a poll whose first REST page ({@code soql}'s) was read: a Bulk API 2.0 query job when this is an
     * initial sync of more than the threshold (the first page then goes unused), otherwise the REST pages.
     */
    Pages pages(Watermarks.Window window, String soql, SalesforceClient.QueryPage first) {
        if (window.where().isEmpty() && !first.done() && first.totalSize() > bulkThreshold) {
            return new Pages(null, soql.replaceFirst(" ORDER BY [^)]*$", ""));
        }
        return new Pages(first, null);
    }

    /**
     * Reads every page, writing each with {@code write} (in the page's transaction, with the watermark), and returns
     * the pages' results added up. A poll once started is read to its end — the cycle's budget is checked between
     * objects — so records stamped together beyond one cycle's share cannot keep a poll from ever covering its window.
     */
    <T> T read(
            SalesforceClient sf,
            String object,
            Pages pages,
            Watermarks.Window window,
            T none,
            Function<List<Map<String, Object>>, T> write,
            BinaryOperator<T> plus) {
        Object[] total = {none};
        Instant[] highest = {null};
        String[] highestId = {null};
        Consumer<SalesforceClient.QueryPage> each = page -> {
            T written = tx.execute(status -> {
                T t = write.apply(page.records());
                if (!page.records().isEmpty()) {
                    Instant top = null;
                    for (Map<String, Object> r : page.records()) {
                        Instant stamp = SalesforceTimes.parse((String) r.get("SystemModstamp"));
                        top = top == null || stamp.isAfter(top) ? stamp : top;
                        if (highest[0] == null || !stamp.isBefore(highest[0])) {
                            highest[0] = stamp;
                            highestId[0] = (String) r.get("Id");
                        }
                    }
                    if (pages.ordered()) {
                        watermarks.advance(
                                object, top, (String) page.records().getLast().get("Id"), clock.instant());
                    }
                }
                return t;
            });
            @SuppressWarnings("unchecked")
            T sum = plus.apply((T) total[0], written);
            total[0] = sum;
        };
        if (pages.ordered()) {
            sf.eachPage(pages.first(), each);
        } else {
            sf.bulkQueryPages(pages.bulkSoql(), BULK_PAGE, each);
            if (highest[0] != null) {
                tx.executeWithoutResult(
                        status -> watermarks.advance(object, highest[0], highestId[0], clock.instant()));
            }
        }
        watermarks.covered(object, window);
        @SuppressWarnings("unchecked")
        T all = (T) total[0];
        return all;
    }
}
