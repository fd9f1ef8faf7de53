package dev.kindling.support.salesforce;

import dev.kindling.engine.crm.SalesforceIds;
import java.security.PublicKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One Salesforce org of the fake: its records, its rules (validation, required fields, restricted picklists,
 * duplicate rules, read-only objects), its API allocation and the faults a test injects. Tests act on it as a
 * Salesforce user would ({@link #edit}, {@link #convertLead}, {@link #merge}, {@link #delete}); the connector reaches
 * it only over HTTP through {@link FakeSalesforce}.
 */
public final class FakeOrg {

    static final DateTimeFormatter SF_DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .appendOffset("+HHMM", "+0000")
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:?\\d{2})");
    private static final Pattern BARE_OFFSET = Pattern.compile("([+-]\\d{2})(\\d{2})$");

    /** Key prefixes of the standard objects the connector uses. */
    private static final Map<String, String> PREFIXES = Map.of(
            "Lead",
            "00Q",
            "Contact",
            "003",
            "Account",
            "001",
            "Opportunity",
            "006",
            "OpportunityContactRole",
            "00K",
            "User",
            "005",
            "Campaign",
            "701",
            "CampaignMember",
            "00v");

    /** A fault answered instead of the next request(s). */
    public enum Fault {
        /** 400 {@code UNABLE_TO_LOCK_ROW}. */
        LOCK,
        /** 503 with an HTML body (a maintenance page), which is not JSON. */
        UNAVAILABLE,
        /** 429 {@code REQUEST_LIMIT_EXCEEDED}: concurrent request limit. */
        TOO_MANY_REQUESTS,
        /** 502 with a non-JSON body. */
        NON_JSON,
        /** No fault: the request is answered normally (lets a fault hit a later request). */
        PASS
    }

    /** A record-level error Salesforce reports: its code, message and fields. */
    public record SfError(String errorCode, String message, List<String> fields) {}

    /** A rule checked on every create and update of an object; a violated rule yields its error. */
    private record Rule(String object, Predicate<Map<String, Object>> violated, SfError error) {}

    final String clientId;
    volatile String clientSecret;
    final String username;
    volatile PublicKey jwtKey;
    private final Supplier<Instant> clock;
    private final Map<String, Map<String, Map<String, Object>>> records = new ConcurrentHashMap<>();
    private final List<DeletedRecord> deletions = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, Set<String>> duplicateKeys = new ConcurrentHashMap<>();
    private final Set<String> readOnlyObjects = ConcurrentHashMap.newKeySet();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Fault> subrequestFaults = new ArrayDeque<>();
    final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong tokenRequests = new AtomicLong();
    /** Authorised API requests still answered before every session expires ({@code -1}: none planned). */
    private final AtomicLong sessionLeft = new AtomicLong(-1);
    /** One sequence for every org of the fake, so ids never repeat across orgs (as Salesforce's do not). */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final AtomicLong apiCalls = new AtomicLong();
    /** An Enterprise Edition org with 50 licences: 100,000 + 1,000 per licence (tests of the budget set their own). */
    private volatile long dailyLimit = 150_000;

    volatile int pageSize = 2_000;
    private final List<String> requestLog = new ArrayList<>();
    final Map<String, BulkJob> jobs = new ConcurrentHashMap<>();
    final Map<String, Deque<Map<String, Object>>> cursors = new ConcurrentHashMap<>();

    record DeletedRecord(String object, String id, Instant deletedAt) {}

    /** A Bulk API 2.0 job: ingest (CSV uploaded, then processed on {@code UploadComplete}) or query. */
    static final class BulkJob {
        final String id;
        final String kind;
        final Map<String, Object> info = new LinkedHashMap<>();
        final StringBuilder upload = new StringBuilder();
        final List<Map<String, String>> succeeded = new ArrayList<>();
        final List<Map<String, String>> failed = new ArrayList<>();
        List<Map<String, Object>> queryResult = List.of();
        List<String> queryFields = List.of();

        BulkJob(String id, String kind) {
            this.id = id;
            this.kind = kind;
        }
    }

    FakeOrg(String clientId, String clientSecret, String username, Supplier<Instant> clock) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.username = username;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- what a test sets up

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public String username() {
        return username;
    }

    /** Accept JWT bearer assertions signed by the private key of {@code key}, issued for this org's client. */
    public FakeOrg trustJwtKey(PublicKey key) {
        this.jwtKey = key;
        return this;
    }

    /** The org's daily API allocation ({@code DailyApiRequests.Max}). */
    public FakeOrg dailyLimit(long max) {
        this.dailyLimit = max;
        return this;
    }

    /** Set the calls already used today. */
    public FakeOrg apiCallsUsed(long used) {
        apiCalls.set(used);
        return this;
    }

    public long apiCallsUsed() {
        return apiCalls.get();
    }

    /** Records per query page (Salesforce's default is 2,000; {@code Sforce-Query-Options: batchSize} lowers it). */
    public FakeOrg pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    /** A validation rule: writes of {@code object} where {@code violated} holds fail with
     * {@code FIELD_CUSTOM_VALIDATION_EXCEPTION}. Returns a handle that relaxes the rule. */
    public Runnable validationRule(
            String object, Predicate<Map<String, Object>> violated, String message, String... fields) {
        return addRule(
                new Rule(object, violated, new SfError("FIELD_CUSTOM_VALIDATION_EXCEPTION", message, List.of(fields))));
    }

    /** A field required on every write ({@code REQUIRED_FIELD_MISSING}). */
    public Runnable requiredField(String object, String field) {
        return addRule(new Rule(
                object,
                r -> blank(r.get(field)),
                new SfError("REQUIRED_FIELD_MISSING", "Required fields are missing: [" + field + "]", List.of(field))));
    }

    /** A restricted picklist ({@code INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST}). */
    public Runnable restrictedPicklist(String object, String field, Set<String> values) {
        return addRule(new Rule(
                object,
                r -> r.get(field) != null && !values.contains(String.valueOf(r.get(field))),
                new SfError(
                        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        field + ": bad value for restricted picklist field",
                        List.of(field))));
    }

    /** A duplicate rule on {@code field} (blocking unless the request says {@code allowSave=true}). */
    public FakeOrg duplicateRule(String object, String field) {
        duplicateKeys
                .computeIfAbsent(object, k -> ConcurrentHashMap.newKeySet())
                .add(field);
        return this;
    }

    /** The integration user may read but not write {@code object} ({@code INSUFFICIENT_ACCESS_OR_READONLY}). */
    public FakeOrg readOnly(String object) {
        readOnlyObjects.add(object);
        return this;
    }

    /** Answer the next {@code times} API requests with {@code fault}. */
    public synchronized FakeOrg fail(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(fault);
        }
        return this;
    }

    /** Answer the next {@code ok} API requests normally, then the {@code times} after them with {@code fault}. */
    public synchronized FakeOrg failAfter(int ok, Fault fault, int times) {
        fail(Fault.PASS, ok);
        return fail(fault, times);
    }

    /** Answer the next {@code times} subrequests of composite requests with {@code fault} (only {@code LOCK}). */
    public synchronized FakeOrg failSubrequests(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            subrequestFaults.add(fault);
        }
        return this;
    }

    /** Invalidate every access token issued so far (the session timed out or was revoked). */
    public FakeOrg expireTokens() {
        tokens.clear();
        return this;
    }

    /**
     * Let the sessions issued so far answer the next {@code calls} API requests, then expire them all (Salesforce's
     * session timeout): every later request with one of them is {@code 401 INVALID_SESSION_ID}.
     */
    public FakeOrg expireTokensAfter(int calls) {
        sessionLeft.set(calls);
        return this;
    }

    /** The connected app's consumer secret is replaced (the old one revoked): signing in with it is
     * {@code invalid_client}; sessions already issued stay valid until they expire. */
    public FakeOrg newClientSecret(String secret) {
        this.clientSecret = secret;
        return this;
    }

    /** Requests at the token endpoint naming this org's client (answered or refused). */
    public long tokenRequests() {
        return tokenRequests.get();
    }

    void tokenRequested() {
        tokenRequests.incrementAndGet();
    }

    /** An authorised API request: counts down a planned session expiry (the request itself is still answered). */
    void sessionUsed() {
        if (sessionLeft.get() > 0 && sessionLeft.decrementAndGet() == 0) {
            sessionLeft.set(-1);
            tokens.clear();
        }
    }

    /** The method and path (with query) of every API request received, in order. */
    public synchronized List<String> requests() {
        return List.copyOf(requestLog);
    }

    private synchronized Runnable addRule(Rule rule) {
        rules.add(rule);
        return () -> {
            synchronized (this) {
                rules.remove(rule);
            }
        };
    }

    // ---------------------------------------------------------------- what a Salesforce user does

    /** Create a record as a user would; returns its 18-character id. */
    public synchronized String create(String object, Map<String, ?> fields) {
        String id = newId(object);
        Map<String, Object> r = new LinkedHashMap<>(fields);
        Instant now = now();
        r.put("Id", id);
        r.put("IsDeleted", false);
        r.put("CreatedDate", format(now));
        r.put("LastModifiedDate", format(now));
        r.put("SystemModstamp", format(now));
        if (object.equals("Lead")) {
            r.putIfAbsent("IsConverted", false);
        }
        if (object.equals("CampaignMember")) {
            r.putIfAbsent("Status", "Sent"); // the campaign's default member status
            r.putIfAbsent("HasResponded", false);
        }
        table(object).put(id, r);
        return id;
    }

    /** Change fields as a user would (bypassing the API's rules): LastModifiedDate and SystemModstamp move. */
    public synchronized void edit(String object, String id, Map<String, ?> fields) {
        Map<String, Object> r = live(object, id);
        r.putAll(fields);
        touch(r);
    }

    /** The record as stored (deleted ones included), or {@code null}. */
    public synchronized Map<String, Object> record(String object, String id) {
        Map<String, Object> r = table(object).get(id);
        return r == null ? null : Map.copyOf(withoutNulls(r));
    }

    public synchronized List<Map<String, Object>> records(String object) {
        return table(object).values().stream()
                .filter(r -> !Boolean.TRUE.equals(r.get("IsDeleted")))
                .map(r -> Map.copyOf(withoutNulls(r)))
                .toList();
    }

    /** Convert a lead: a Contact (and Account) are created, the Lead is marked converted. Returns the contact id. */
    public synchronized String convertLead(String leadId) {
        Map<String, Object> lead = live("Lead", leadId);
        String accountId = create("Account", Map.of("Name", String.valueOf(lead.getOrDefault("Company", "Unknown"))));
        Map<String, Object> contact = new LinkedHashMap<>();
        for (String f : List.of("FirstName", "LastName", "Email", "Title", "Phone")) {
            if (lead.get(f) != null) {
                contact.put(f, lead.get(f));
            }
        }
        contact.put("AccountId", accountId);
        String contactId = create("Contact", contact);
        lead.put("IsConverted", true);
        lead.put("ConvertedContactId", contactId);
        lead.put("ConvertedAccountId", accountId);
        lead.put("ConvertedDate", format(now()).substring(0, 10));
        lead.put("Status", "Closed - Converted");
        touch(lead);
        return contactId;
    }

    /** Merge {@code loserId} into {@code masterId}: the loser is deleted with {@code MasterRecordId} set. */
    public synchronized void merge(String object, String masterId, String loserId) {
        live(object, masterId);
        Map<String, Object> loser = live(object, loserId);
        loser.put("MasterRecordId", masterId);
        remove(object, loser);
        touch(live(object, masterId));
    }

    /**
     * Delete a record and empty it from the recycle bin: {@code queryAll} no longer returns it; {@code /deleted/} lists
     * it (for 15 days, as Salesforce does).
     */
    public synchronized void hardDelete(String object, String id) {
        live(object, id);
        table(object).remove(id);
        deletions.add(new DeletedRecord(object, id, now()));
    }

    /** Take back a record created in a rolled-back request: gone, as if never created. */
    synchronized void purge(String object, String id) {
        table(object).remove(id);
    }

    /** Delete a record (to the recycle bin: {@code IsDeleted}, listed by {@code /deleted/} and {@code queryAll}). */
    public synchronized void delete(String object, String id) {
        remove(object, live(object, id));
    }

    // ---------------------------------------------------------------- what the API does (called by FakeSalesforce)

    synchronized Fault nextFault() {
        return faults.poll();
    }

    synchronized Fault nextSubrequestFault() {
        return subrequestFaults.poll();
    }

    /** Count one API call; {@code false} when the daily allocation is used up. */
    boolean countCall() {
        return apiCalls.incrementAndGet() <= dailyLimit;
    }

    String limitInfo() {
        return "api-usage=" + Math.min(apiCalls.get(), dailyLimit) + "/" + dailyLimit;
    }

    Map<String, Object> limits() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("DailyApiRequests", Map.of("Max", dailyLimit, "Remaining", Math.max(0, dailyLimit - apiCalls.get())));
        long queryJobs =
                jobs.values().stream().filter(j -> j.kind.equals("query")).count();
        out.put("DailyBulkV2QueryJobs", Map.of("Max", 10_000, "Remaining", Math.max(0, 10_000 - queryJobs)));
        out.put("DailyBulkV2QueryFileStorageMB", Map.of("Max", 976_562, "Remaining", 976_562));
        return out;
    }

    synchronized void log(String request) {
        requestLog.add(request);
    }

    synchronized List<Map<String, Object>> query(Soql soql, boolean all) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> r : table(soql.object()).values()) {
            if (!all && Boolean.TRUE.equals(r.get("IsDeleted"))) {
                continue;
            }
            if (soql.matches(r)) {
                rows.add(r);
            }
        }
        if (soql.order() != null) {
            rows.sort(soql.order());
        }
        if (soql.limit() != null && rows.size() > soql.limit()) {
            rows = rows.subList(0, soql.limit());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> selected = new LinkedHashMap<>();
            for (String f : soql.fields()) {
                selected.put(f, r.get(f));
            }
            out.add(selected);
        }
        return out;
    }

    synchronized boolean exists(String object) {
        return PREFIXES.containsKey(object);
    }

    /** Create through the API: rules apply; returns the id or throws the record's error. */
    synchronized String apiCreate(String object, Map<String, Object> fields, boolean allowDuplicates) {
        check(object, null, fields, allowDuplicates);
        return create(object, fields);
    }

    synchronized void apiUpdate(String object, String id, Map<String, Object> fields, boolean allowDuplicates) {
        Map<String, Object> r = table(object).get(id);
        if (r == null || Boolean.TRUE.equals(r.get("IsDeleted"))) {
            throw new RecordError(
                    r == null ? 404 : 404,
                    new SfError(
                            r == null ? "NOT_FOUND" : "ENTITY_IS_DELETED",
                            r == null ? "The requested resource does not exist" : "entity is deleted",
                            List.of()));
        }
        if (object.equals("Lead") && Boolean.TRUE.equals(r.get("IsConverted"))) {
            throw new RecordError(
                    400, new SfError("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead", List.of()));
        }
        check(object, id, fields, allowDuplicates);
        r.putAll(fields);
        touch(r);
    }

    synchronized void apiDelete(String object, String id) {
        Map<String, Object> r = table(object).get(id);
        if (r == null || Boolean.TRUE.equals(r.get("IsDeleted"))) {
            throw new RecordError(
                    404,
                    new SfError(
                            r == null ? "NOT_FOUND" : "ENTITY_IS_DELETED",
                            r == null ? "The requested resource does not exist" : "entity is deleted",
                            List.of()));
        }
        if (readOnlyObjects.contains(object)) {
            throw new RecordError(
                    400,
                    new SfError(
                            "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id", List.of()));
        }
        remove(object, r);
    }

    /** Upsert by external id: update the one record with {@code field = value}, create one otherwise. */
    synchronized Map.Entry<String, Boolean> apiUpsert(
            String object, String field, String value, Map<String, Object> fields, boolean allowDuplicates) {
        List<Map<String, Object>> found = table(object).values().stream()
                .filter(r -> !Boolean.TRUE.equals(r.get("IsDeleted")) && value.equals(String.valueOf(r.get(field))))
                .toList();
        if (found.size() > 1) {
            throw new RecordError(
                    300, new SfError("MULTIPLE_CHOICES", "more than one record found for " + field, List.of(field)));
        }
        if (found.isEmpty()) {
            Map<String, Object> withKey = new LinkedHashMap<>(fields);
            withKey.put(field, value);
            return Map.entry(apiCreate(object, withKey, allowDuplicates), true);
        }
        String id = (String) found.getFirst().get("Id");
        apiUpdate(object, id, fields, allowDuplicates);
        return Map.entry(id, false);
    }

    synchronized List<DeletedRecord> deletedBetween(String object, Instant start, Instant end) {
        return deletions.stream()
                .filter(d -> d.object().equals(object)
                        && !d.deletedAt().isBefore(start)
                        && d.deletedAt().isBefore(end))
                .toList();
    }

    synchronized List<String> updatedBetween(String object, Instant start, Instant end) {
        return table(object).values().stream()
                .filter(r -> {
                    Instant at = Soql.instant(r.get("SystemModstamp"));
                    return !Boolean.TRUE.equals(r.get("IsDeleted")) && !at.isBefore(start) && at.isBefore(end);
                })
                .map(r -> (String) r.get("Id"))
                .toList();
    }

    Instant now() {
        return clock.get().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A per-record failure: its HTTP status on the single-record resources, and the error. */
    static final class RecordError extends RuntimeException {
        final int status;
        final SfError error;

        RecordError(int status, SfError error) {
            super(error.errorCode() + ": " + error.message());
            this.status = status;
            this.error = error;
        }
    }

    // ---------------------------------------------------------------- internals

    private void check(String object, String id, Map<String, Object> fields, boolean allowDuplicates) {
        if (readOnlyObjects.contains(object)) {
            throw new RecordError(
                    400,
                    new SfError(
                            "INSUFFICIENT_ACCESS_OR_READONLY",
                            "insufficient access rights on cross-reference id",
                            List.of()));
        }
        for (String f : List.of(
                "Id",
                "SystemModstamp",
                "CreatedDate",
                "LastModifiedDate",
                "IsDeleted",
                "IsConverted",
                "ConvertedContactId",
                "MasterRecordId")) {
            if (fields.containsKey(f)) {
                throw new RecordError(
                        400,
                        new SfError(
                                "INVALID_FIELD_FOR_INSERT_UPDATE",
                                "Unable to create/update fields: " + f
                                        + ". Please check the security settings of this field.",
                                List.of(f)));
            }
        }
        Map<String, Object> after =
                new LinkedHashMap<>(id == null ? Map.of() : table(object).get(id));
        after.putAll(fields);
        if (object.equals("CampaignMember") && id == null) {
            checkNewMember(after);
        }
        if (object.equals("Campaign")) {
            checkCampaign(after);
        }
        for (Rule rule : rules) {
            if (rule.object().equals(object) && rule.violated().test(after)) {
                throw new RecordError(400, rule.error());
            }
        }
        for (String key : duplicateKeys.getOrDefault(object, Set.of())) {
            Object value = after.get(key);
            if (value == null || allowDuplicates) {
                continue;
            }
            boolean duplicate = table(object).values().stream()
                    .anyMatch(r -> !r.get("Id").equals(id)
                            && !Boolean.TRUE.equals(r.get("IsDeleted"))
                            && String.valueOf(value).equalsIgnoreCase(String.valueOf(r.get(key))));
            if (duplicate) {
                throw new RecordError(400, new SfError("DUPLICATES_DETECTED", "Use one of these records?", List.of()));
            }
        }
    }

    /**
     * A new CampaignMember, as Salesforce documents it: {@code CampaignId} and a {@code LeadId} or {@code ContactId}
     * are required and must name live records; a person is a campaign's member once ({@code DUPLICATE_VALUE}
     * "Already a campaign member.").
     */
    private void checkNewMember(Map<String, Object> member) {
        String person = member.get("ContactId") != null ? "ContactId" : "LeadId";
        for (String field : List.of("CampaignId", person)) {
            if (blank(member.get(field))) {
                throw new RecordError(
                        400,
                        new SfError(
                                "REQUIRED_FIELD_MISSING",
                                "Required fields are missing: [" + field + "]",
                                List.of(field)));
            }
        }
        for (String field : List.of("CampaignId", person)) {
            String object = field.equals("CampaignId") ? "Campaign" : field.equals("LeadId") ? "Lead" : "Contact";
            Map<String, Object> target = table(object).get(String.valueOf(member.get(field)));
            if (target == null || Boolean.TRUE.equals(target.get("IsDeleted"))) {
                throw new RecordError(
                        400, new SfError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of(field)));
            }
        }
        boolean already = table("CampaignMember").values().stream()
                .anyMatch(m -> !Boolean.TRUE.equals(m.get("IsDeleted"))
                        && String.valueOf(member.get("CampaignId")).equals(m.get("CampaignId"))
                        && String.valueOf(member.get(person)).equals(m.get(person)));
        if (already) {
            throw new RecordError(400, new SfError("DUPLICATE_VALUE", "Already a campaign member.", List.of()));
        }
    }

    /**
     * A Campaign as Salesforce documents it: {@code Name} is required ({@code REQUIRED_FIELD_MISSING}) and a text
     * field of 80 characters ({@code STRING_TOO_LONG}, the message naming the field's label).
     */
    private static void checkCampaign(Map<String, Object> campaign) {
        Object name = campaign.get("Name");
        if (blank(name)) {
            throw new RecordError(
                    400, new SfError("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name")));
        }
        if (String.valueOf(name).length() > 80) {
            throw new RecordError(
                    400,
                    new SfError(
                            "STRING_TOO_LONG",
                            "Campaign Name: data value too large: " + name + " (max length=80)",
                            List.of("Name")));
        }
    }

    private Map<String, Object> live(String object, String id) {
        Map<String, Object> r = table(object).get(id);
        if (r == null || Boolean.TRUE.equals(r.get("IsDeleted"))) {
            throw new IllegalArgumentException("no live " + object + " " + id);
        }
        return r;
    }

    private void remove(String object, Map<String, Object> r) {
        r.put("IsDeleted", true);
        touch(r);
        deletions.add(new DeletedRecord(object, (String) r.get("Id"), now()));
    }

    private void touch(Map<String, Object> r) {
        String now = format(now());
        r.put("LastModifiedDate", now);
        r.put("SystemModstamp", now);
    }

    private Map<String, Map<String, Object>> table(String object) {
        return records.computeIfAbsent(object, k -> new TreeMap<>());
    }

    private String newId(String object) {
        String prefix = PREFIXES.get(object);
        if (prefix == null) {
            throw new IllegalArgumentException("the fake does not know " + object);
        }
        return SalesforceIds.to18(prefix + "5g" + base62(SEQUENCE.incrementAndGet(), 10));
    }

    private static String base62(long n, int width) {
        String digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        char[] out = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            out[i] = digits.charAt((int) (n % 62));
            n /= 62;
        }
        return new String(out);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> r) {
        Map<String, Object> out = new LinkedHashMap<>();
        r.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    static boolean blank(Object value) {
        return value == null || String.valueOf(value).isBlank();
    }

    static String format(Instant at) {
        return SF_DATE_TIME.format(at);
    }

    static boolean isDateTime(String s) {
        return DATE_TIME.matcher(s).matches();
    }

    static Instant parseDateTime(String s) {
        String iso = BARE_OFFSET.matcher(s).replaceAll("$1:$2");
        return java.time.OffsetDateTime.parse(iso).toInstant();
    }

    static Collection<String> standardObjects() {
        return PREFIXES.keySet();
    }
}
