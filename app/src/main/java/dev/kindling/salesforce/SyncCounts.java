package dev.kindling.salesforce;

/** What a poll of one object did: records new, updated, deleted, failed (parked) and skipped (already read). */
public record SyncCounts(int created, int updated, int deleted, int failed, int skipped) {

    static final SyncCounts NONE = new SyncCounts(0, 0, 0, 0, 0);

    SyncCounts plus(SyncCounts o) {
        return new SyncCounts(
                created + o.created, updated + o.updated, deleted + o.deleted, failed + o.failed, skipped + o.skipped);
    }
}
