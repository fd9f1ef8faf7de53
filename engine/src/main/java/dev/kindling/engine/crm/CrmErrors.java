package dev.kindling.engine.crm;

import java.util.Map;
import java.util.Set;

/**
 * How the connector treats each Salesforce failure. Request-level answers: retry with backoff (record locks, 5xx,
 * 429, answers that are not JSON), refresh the token once ({@code 401 INVALID_SESSION_ID}), stop and alert
 * ({@code REQUEST_LIMIT_EXCEEDED}: the org's daily allocation is used up), or fail the request (anything else: a
 * fault of the connector or its configuration). Record-level errors (in a collection's results, or a single record's
 * 400) are retried when they are lock errors and parked otherwise, grouped by {@link Parked} kind.
 */
public final class CrmErrors {

    private CrmErrors() {}

    /** What to do with a failed request. */
    public enum Handling {
        RETRY,
        REFRESH_TOKEN,
        STOP,
        PARK,
        FAIL
    }

    /** The kinds of parked record errors, as the console groups them. */
    public enum Parked {
        VALIDATION,
        REQUIRED_FIELD,
        PICKLIST,
        DUPLICATE,
        DELETED,
        PERMISSION,
        /** A record read from Salesforce that names one Kindling does not have (a contact that is no prospect). */
        UNMATCHED,
        OTHER
    }

    private static final Map<String, Parked> RECORD_CODES = Map.ofEntries(
            Map.entry("FIELD_CUSTOM_VALIDATION_EXCEPTION", Parked.VALIDATION),
            Map.entry("FIELD_INTEGRITY_EXCEPTION", Parked.VALIDATION),
            Map.entry("STRING_TOO_LONG", Parked.VALIDATION),
            Map.entry("INVALID_EMAIL_ADDRESS", Parked.VALIDATION),
            Map.entry("REQUIRED_FIELD_MISSING", Parked.REQUIRED_FIELD),
            Map.entry("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", Parked.PICKLIST),
            Map.entry("DUPLICATES_DETECTED", Parked.DUPLICATE),
            Map.entry("DUPLICATE_VALUE", Parked.DUPLICATE),
            Map.entry("ENTITY_IS_DELETED", Parked.DELETED),
            Map.entry("CANNOT_UPDATE_CONVERTED_LEAD", Parked.DELETED),
            Map.entry("INSUFFICIENT_ACCESS_OR_READONLY", Parked.PERMISSION),
            Map.entry("INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", Parked.PERMISSION),
            Map.entry("INVALID_FIELD_FOR_INSERT_UPDATE", Parked.PERMISSION));

    private static final Set<String> RETRIED = Set.of("UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE");

    /**
     * A request's failure: its HTTP status, the first error's {@code errorCode} (null when the body had none) and
     * whether the body was JSON at all.
     */
    public static Handling ofRequest(int status, String errorCode, boolean json) {
        if (status == 429 || status >= 500 || !json || RETRIED.contains(errorCode)) {
            return Handling.RETRY;
        }
        if (status == 401 && "INVALID_SESSION_ID".equals(errorCode)) {
            return Handling.REFRESH_TOKEN;
        }
        if ("REQUEST_LIMIT_EXCEEDED".equals(errorCode)) {
            return Handling.STOP;
        }
        if (errorCode != null && RECORD_CODES.containsKey(errorCode)) {
            return Handling.PARK;
        }
        return Handling.FAIL;
    }

    /** A record's error in a result: lock errors are retried, everything else parked. */
    public static Handling ofRecord(String statusCode) {
        return RETRIED.contains(statusCode) ? Handling.RETRY : Handling.PARK;
    }

    /** The console's group for a parked error code. */
    public static Parked kind(String code) {
        return RECORD_CODES.getOrDefault(code, Parked.OTHER);
    }
}
