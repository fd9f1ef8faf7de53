package dev.kindling.salesforce;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One Salesforce object the connector reads (Salesforce → Kindling), polled by {@link IncrementalPoll} in the order of
 * the beans ({@code @Order}): what it selects, where it keeps its links, how it writes a page and a delete.
 */
interface ObjectSync {

    /** The sObject name ({@code Opportunity}). */
    String object();

    /** The fields selected, {@code Id, IsDeleted, SystemModstamp} among them. */
    String fields();

    /** The connector's table linking this object's Salesforce ids ({@code sf_id}) with their {@code modstamp}. */
    String linkTable();

    /**
     * Writes records (deleted ones included, {@code IsDeleted}) that are new or changed since last read, in the page's
     * transaction, through the owners' APIs; a record Kindling refuses is parked in the {@link ErrorQueue} and counted
     * failed, never thrown.
     */
    SyncCounts write(SalesforceClient client, List<Map<String, Object>> records);

    /** Records deleted in Salesforce for good (seen by {@code /deleted/} or the full id comparison), in a transaction. */
    int deleted(Collection<String> ids);
}
