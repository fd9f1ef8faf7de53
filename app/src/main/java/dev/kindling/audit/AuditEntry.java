package dev.kindling.audit;

/**
 * One change to record: the object's type (e.g. {@code "scoring_rule"}, {@code "prospect"}), its id, the action
 * ({@code "create"}, {@code "update"}, {@code "delete"}, or a verb such as {@code "score_adjust"}), and the object
 * before and after (any value Jackson writes; null where there is none, e.g. before a create).
 */
public record AuditEntry(String objectType, String objectId, String action, Object before, Object after) {

    public static AuditEntry of(String objectType, Object objectId, String action, Object before, Object after) {
        return new AuditEntry(objectType, objectId == null ? null : objectId.toString(), action, before, after);
    }

    public static AuditEntry created(String objectType, Object objectId, Object after) {
        return of(objectType, objectId, "create", null, after);
    }

    public static AuditEntry updated(String objectType, Object objectId, Object before, Object after) {
        return of(objectType, objectId, "update", before, after);
    }

    public static AuditEntry deleted(String objectType, Object objectId, Object before) {
        return of(objectType, objectId, "delete", before, null);
    }
}
