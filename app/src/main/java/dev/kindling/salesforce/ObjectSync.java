package dev.kindling.salesforce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One Salesforce object the connector reads (Salesforce → Kindling), polled by {@link IncrementalPoll} in the order of
 * the beans ({@code @Order}): what it selects, where it keeps its links, how it writes a page and a delete.
 */
abstract class ObjectSync {

    private final String object;
    private final String fields;
    private final String linkTable;

    /**
     * @param object    the sObject name ({@code Opportunity})
     * @param fields    the fields selected, {@code Id, SystemModstamp} (and {@code IsDeleted} where it has it) among
     *                  them
     * @param linkTable the connector's table linking this object's Salesforce ids ({@code sf_id}) with their
     *                  {@code modstamp}
     */
    ObjectSync(String object, String fields, String linkTable) {
        this.object = object;
        this.fields = fields;
        this.linkTable = linkTable;
    }

    final String object() {
        return object;
    }

    final String fields() {
        return fields;
    }

    final String linkTable() {
        return linkTable;
    }

    /**
     * Writes records (deleted ones included, {@code IsDeleted}) that are new or changed since last read, in the page's
     * transaction, through the owners' APIs; a record Kindling refuses is parked in the {@link ErrorQueue} and counted
     * failed, never thrown.
     */
    abstract SyncCounts write(SalesforceClient client, List<Map<String, Object>> records);

    /** Records deleted in Salesforce for good (seen by {@code /deleted/} or the full id comparison), in a transaction. */
    abstract int deleted(Collection<String> ids);

    /** A page's outcomes, and the records that went through (their open errors clear). */
    static final class Tally {
        private int created;
        private int updated;
        private int deleted;
        private int failed;
        private final List<String> through = new ArrayList<>();

        void written(String id, boolean isNew) {
            if (isNew) {
                created++;
            } else {
                updated++;
            }
            through.add(id);
        }

        void deleted(String id, int linked) {
            deleted += linked;
            through.add(id);
        }

        void failed() {
            failed++;
        }

        SyncCounts done(ErrorQueue errors, String object) {
            errors.cleared(object, through);
            return new SyncCounts(created, updated, deleted, failed, 0);
        }
    }
}
