package dev.kindling.salesforce;

import dev.kindling.conditions.ConditionFactsChanged;
import dev.kindling.engine.crm.Backoff;
import dev.kindling.engine.crm.CrmErrors;
import dev.kindling.engine.crm.Matching;
import dev.kindling.grading.GradesChanged;
import dev.kindling.prospects.ProspectChanges;
import dev.kindling.prospects.ProspectRows;
import dev.kindling.prospects.Prospects;
import dev.kindling.prospects.ProspectsChanged;
import dev.kindling.salesforce.SalesforceClient.SaveResult;
import dev.kindling.salesforce.SalesforceClient.SfError;
import dev.kindling.salesforce.SalesforceFieldMap.Field;
import dev.kindling.salesforce.SalesforceFieldMap.Mapping;
import dev.kindling.salesforce.SalesforceRecords.Decisions;
import dev.kindling.salesforce.SalesforceRecords.FieldState;
import dev.kindling.salesforce.SalesforceRecords.Link;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Kindling → Salesforce. A change of a synced prospect (any of its events: fields, score, grade, stage, activity) is
 * noted with its field change times and queued in {@code salesforce_outbox} in the changing transaction, so a crash
 * loses nothing; the cycle then pushes the queue: updates by composite collections (200 per call), Bulk API 2.0 above
 * {@value #BULK_THRESHOLD} records. A prospect without a Salesforce record is sent only when a person or automation
 * asked for it ({@code may_create}): matched by email first ({@link Matching}), created as a Lead only when nothing
 * matches. Record errors are parked in {@code salesforce_error} (lock errors retried with backoff instead).
 */
@Component
class SalesforceOutbox {

    static final int BULK_THRESHOLD = 2_000;
    static final int PUSH_BATCH = 10_000;
    static final int EMAILS_PER_QUERY = 100;
    static final String PLACEHOLDER = "[not provided]";
    private static final Set<String> SEEN_LATER =
            Set.of("CANNOT_UPDATE_CONVERTED_LEAD", "ENTITY_IS_DELETED", "NOT_FOUND");

    /** The prospects the poll is writing right now: their change is Salesforce's, not Kindling's. */
    private static final ThreadLocal<Set<Long>> CRM_WRITING = ThreadLocal.withInitial(Set::of);

    /** What a push did. */
    record Result(int created, int matched, int updated, int failed) {}

    private record Row(long prospectId, boolean mayCreate, boolean allowDuplicates, long version, int attempts) {}

    private record Send(Link link, Map<String, Object> payload, Map<Field, String> values, Row row) {}

    /** Above this many updates of one object a push is a Bulk API 2.0 job (a test lowers it). */
    volatile int bulkThreshold = BULK_THRESHOLD;

    private final JdbcClient jdbc;
    private final SalesforceRecords records;
    private final SalesforceFieldMap fieldMap;
    private final SalesforceSettings settings;
    private final Prospects prospects;
    private final ProspectRows prospectRows;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    SalesforceOutbox(
            JdbcClient jdbc,
            SalesforceRecords records,
            SalesforceFieldMap fieldMap,
            SalesforceSettings settings,
            Prospects prospects,
            ProspectRows prospectRows,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.prospectRows = prospectRows;
        this.events = events;
        this.jdbc = jdbc;
        this.records = records;
        this.fieldMap = fieldMap;
        this.settings = settings;
        this.prospects = prospects;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    // ---------------------------------------------------------------- noting Kindling's changes

    @EventListener
    void on(ProspectsChanged event) {
        changed(event.ids());
    }

    @EventListener
    void on(ConditionFactsChanged event) {
        changed(event.prospectIds());
    }

    @EventListener
    void on(GradesChanged event) {
        changed(event.ids());
    }

    /** Notes the changed fields of these prospects' Salesforce records and queues the ones that need a push. */
    void changed(Set<Long> ids) {
        if (ids.isEmpty() || settings.current().isEmpty()) {
            return;
        }
        Set<Long> own = CRM_WRITING.get();
        Set<Long> theirs = new HashSet<>(ids);
        theirs.removeAll(own);
        Map<Long, Link> links = records.activeByProspect(theirs);
        if (links.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Map<Long, Map<Field, String>> values = records.kindlingValues(links.keySet());
        List<Link> seen = new ArrayList<>();
        List<Long> push = new ArrayList<>();
        for (Link link : links.values()) {
            List<Mapping> mappings = fieldMap.on(link.object);
            Map<Field, String> v = values.get(link.prospectId);
            if (v != null && SalesforceRecords.seeKindling(link, v, mappings, now)) {
                seen.add(link);
                Decisions d = SalesforceRecords.decide(link, mappings);
                if (!d.toSalesforce().isEmpty() || !d.toKindling().isEmpty()) {
                    push.add(link.prospectId);
                }
            }
        }
        records.save(seen, now);
        enqueue(push, false, false, now);
    }

    /** Queue these prospects for the next push ({@code mayCreate}: create in Salesforce when nothing matches). */
    void enqueue(Collection<Long> prospectIds, boolean mayCreate, boolean allowDuplicates, Instant now) {
        if (prospectIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO salesforce_outbox (prospect_id, may_create, allow_duplicates, queued_at, next_attempt_at)
                SELECT id, :create, :duplicates, :now, :now FROM unnest(CAST(:ids AS bigint[])) AS t(id) ORDER BY id
                ON CONFLICT (prospect_id) DO UPDATE SET version = salesforce_outbox.version + 1,
                       queued_at = EXCLUDED.queued_at,
                       next_attempt_at = least(salesforce_outbox.next_attempt_at, EXCLUDED.next_attempt_at),
                       may_create = salesforce_outbox.may_create OR EXCLUDED.may_create,
                       allow_duplicates = salesforce_outbox.allow_duplicates OR EXCLUDED.allow_duplicates""")
                .param("ids", new java.util.TreeSet<>(prospectIds).toArray(Long[]::new))
                .param("create", mayCreate)
                .param("duplicates", allowDuplicates)
                .param("now", Timestamp.from(now))
                .update();
    }

    /**
     * What Salesforce's values change in one prospect: its fields, and its owner (the Kindling user, or {@code null}
     * for no change).
     */
    record KindlingWrite(ProspectChanges changes, Long ownerId) {}

    /**
     * Write Salesforce's values into prospects, through the prospects module: the fields of all of them in one
     * set-based write ({@code ProspectRows.writeChanges}), the owners in another; these writes are not Kindling's
     * changes, so they queue no push.
     */
    void writeToKindling(Map<Long, KindlingWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        CRM_WRITING.set(Set.copyOf(writes.keySet()));
        try {
            Map<Long, Long> owners = new java.util.TreeMap<>();
            Map<Long, ProspectChanges> changes = new java.util.TreeMap<>();
            writes.forEach((id, w) -> {
                changes.put(id, w.changes());
                if (w.ownerId() != null) {
                    owners.put(id, w.ownerId());
                }
            });
            // one statement for the page's (or push's) prospects, one change event for them all
            prospectRows.writeChanges(changes, clock.instant());
            if (!owners.isEmpty()) {
                List<Long> changed = prospectRows.changeOwners(owners, clock.instant());
                if (!changed.isEmpty()) {
                    events.publishEvent(new SalesforceOwnersSynced(Set.copyOf(changed)));
                }
            }
        } finally {
            CRM_WRITING.remove();
        }
    }

    /**
     * The changes Salesforce's values make to the linked prospect, the fields they settle marked synced; values a
     * prospect field cannot hold (an email another prospect has, a country that is not two letters, a picklist value
     * the custom field lacks, an owner no Kindling user is …) stay unsynced. {@code owners}: the Kindling user of each
     * matched Salesforce user ({@link SalesforceRecords#owners}).
     */
    KindlingWrite fromSalesforce(Link link, Map<Field, String> toKindling, Map<String, Long> owners) {
        List<String> refused = new ArrayList<>();
        ProspectChanges changes = SalesforceRecords.changesFor(toKindling, refused);
        if (changes.email() != null
                && prospects
                        .findByEmail(changes.email())
                        .filter(p -> p.id() != link.prospectId)
                        .isPresent()) {
            refused.add(Field.EMAIL.key());
            Map<dev.kindling.prospects.ProspectField, Object> fields = new java.util.EnumMap<>(changes.fields());
            fields.remove(dev.kindling.prospects.ProspectField.EMAIL);
            changes = new ProspectChanges(fields, changes.custom());
        }
        Long owner = null;
        if (toKindling.containsKey(Field.OWNER)) {
            owner = owners.get(toKindling.get(Field.OWNER));
            if (owner == null) {
                refused.add(Field.OWNER.key()); // no Kindling user has the Salesforce owner's email (yet)
            }
        }
        toKindling.forEach((f, v) -> {
            if (!refused.contains(f.key())) {
                SalesforceRecords.settle(link.field(f), v);
            }
        });
        return new KindlingWrite(changes, owner);
    }

    /** Re-queue the prospects of these parked errors (after the cause was fixed in Salesforce). */
    int retryParked(Collection<Long> errorIds) {
        return tx.execute(status -> {
            List<Long> ids = jdbc.sql("""
                            SELECT DISTINCT (record->>'prospectId')::bigint FROM salesforce_error
                             WHERE id = ANY(:ids) AND resolved_at IS NULL AND record->>'prospectId' IS NOT NULL
                               AND object IN ('Lead', 'Contact')""")
                    .param("ids", errorIds.toArray(Long[]::new))
                    .query(Long.class)
                    .list();
            List<Long> existing = jdbc.sql("SELECT id FROM prospect WHERE id = ANY(:ids)")
                    .param("ids", ids.toArray(Long[]::new))
                    .query(Long.class)
                    .list();
            enqueue(new HashSet<>(existing), true, false, clock.instant());
            return existing.size();
        });
    }

    // ---------------------------------------------------------------- pushing

    /** Push the due queue (or only these prospects' rows). */
    Result push(SalesforceClient sf, Collection<Long> only) {
        Instant now = clock.instant();
        List<Row> due = due(only, now);
        if (due.isEmpty()) {
            return new Result(0, 0, 0, 0);
        }
        List<Long> ids = due.stream().map(Row::prospectId).toList();
        Map<Long, Link> links = records.activeByProspect(ids);
        Map<Long, Map<Field, String>> values = records.kindlingValues(ids);
        Map<Long, KindlingWrite> toKindling = new HashMap<>();
        Map<String, Long> owners = records.owners();
        List<Send> updates = new ArrayList<>();
        List<Row> unlinked = new ArrayList<>();
        List<Link> touched = new ArrayList<>();
        for (Row row : due) {
            Map<Field, String> v = values.get(row.prospectId());
            Link link = links.get(row.prospectId());
            if (v == null) {
                continue;
            }
            if (link == null) {
                if (row.mayCreate()) {
                    unlinked.add(row);
                }
                continue;
            }
            plan(link, v, row, now, updates, toKindling, owners, touched);
        }
        int matched = 0;
        List<Row> creates = new ArrayList<>();
        if (!unlinked.isEmpty()) {
            Map<Long, Link> found = match(sf, unlinked, values, now);
            matched = found.size();
            for (Row row : unlinked) {
                Link link = found.get(row.prospectId());
                if (link == null) {
                    creates.add(row);
                } else {
                    plan(link, values.get(row.prospectId()), row, now, updates, toKindling, owners, touched);
                }
            }
        }
        // send
        Map<Send, SaveResult> results = new LinkedHashMap<>();
        for (String object : List.of("Lead", "Contact")) {
            List<Send> of =
                    updates.stream().filter(s -> s.link().object.equals(object)).toList();
            results.putAll(update(sf, object, of));
        }
        List<Send> created = new ArrayList<>();
        for (boolean duplicates : List.of(false, true)) {
            List<Send> sends = creates.stream()
                    .filter(r -> r.allowDuplicates() == duplicates)
                    .map(r -> newLead(r, values.get(r.prospectId())))
                    .toList();
            if (!sends.isEmpty()) {
                List<SaveResult> r =
                        sf.createAll("Lead", sends.stream().map(Send::payload).toList(), false, duplicates);
                for (int i = 0; i < sends.size(); i++) {
                    results.put(sends.get(i), r.get(i));
                    created.add(sends.get(i));
                }
            }
        }
        int[] counts = new int[3];
        tx.executeWithoutResult(status -> {
            Instant at = clock.instant();
            List<Row> done = new ArrayList<>(due);
            List<Long> succeeded = new ArrayList<>();
            results.forEach((send, result) -> {
                boolean isCreate = created.contains(send);
                if (result.success()) {
                    Link link = isCreate ? createdLink(send, result.id(), at) : send.link();
                    send.values().forEach((f, v) -> SalesforceRecords.settle(link.field(f), v));
                    link.lastSyncedAt = at;
                    if (!touched.contains(link)) {
                        touched.add(link);
                    }
                    succeeded.add(send.row().prospectId());
                    counts[isCreate ? 0 : 1]++;
                    return;
                }
                SfError error = result.error().orElse(new SfError("UNKNOWN", "no error given", List.of()));
                int attempts = send.row().attempts() + 1;
                boolean retry = CrmErrors.ofRecord(error.code()) == CrmErrors.Handling.RETRY
                        || (SEEN_LATER.contains(error.code()) && attempts < Backoff.MAX_ATTEMPTS);
                if (retry) {
                    done.remove(send.row());
                    jdbc.sql("""
                            UPDATE salesforce_outbox SET attempts = :attempts, next_attempt_at = :next
                             WHERE prospect_id = :id AND version = :version""")
                            .param("attempts", attempts)
                            .param(
                                    "next",
                                    Timestamp.from(
                                            SEEN_LATER.contains(error.code())
                                                    ? at
                                                    : at.plus(Backoff.delay(
                                                            Math.min(attempts, 10),
                                                            ThreadLocalRandom.current()
                                                                    .nextDouble()))))
                            .param("id", send.row().prospectId())
                            .param("version", send.row().version())
                            .update();
                } else {
                    park(send, isCreate, error, at);
                }
                counts[2]++;
            });
            // the prospects first, then their links: the order of a Kindling change, so the two never wait on each
            // other
            writeToKindling(toKindling);
            records.save(touched, at);
            resolve(succeeded, at);
            jdbc.sql("""
                    DELETE FROM salesforce_outbox o USING unnest(CAST(:ids AS bigint[]), CAST(:versions AS bigint[])) AS d(id, v)
                     WHERE o.prospect_id = d.id AND o.version = d.v""")
                    .param("ids", done.stream().map(Row::prospectId).toArray(Long[]::new))
                    .param("versions", done.stream().map(Row::version).toArray(Long[]::new))
                    .update();
        });
        return new Result(counts[0], matched, counts[1], counts[2]);
    }

    /** What to write where for a linked prospect. */
    private void plan(
            Link link,
            Map<Field, String> values,
            Row row,
            Instant now,
            List<Send> updates,
            Map<Long, KindlingWrite> toKindling,
            Map<String, Long> owners,
            List<Link> touched) {
        List<Mapping> mappings = fieldMap.on(link.object);
        SalesforceRecords.seeKindling(link, values, mappings, now);
        Decisions d = SalesforceRecords.decide(link, mappings);
        touched.add(link);
        if (!d.toKindling().isEmpty()) {
            toKindling.put(link.prospectId, fromSalesforce(link, d.toKindling(), owners));
        }
        if (!d.toSalesforce().isEmpty()) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("Id", link.sfId);
            for (Mapping m : mappings) {
                if (d.toSalesforce().containsKey(m.field())) {
                    payload.put(
                            m.on(link.object),
                            SalesforceRecords.salesforceValue(
                                    m.field(), d.toSalesforce().get(m.field())));
                }
            }
            updates.add(new Send(link, payload, d.toSalesforce(), row));
        }
    }

    /** Updates by collections, or by a Bulk API 2.0 job above the threshold. */
    private Map<Send, SaveResult> update(SalesforceClient sf, String object, List<Send> sends) {
        Map<Send, SaveResult> out = new LinkedHashMap<>();
        if (sends.isEmpty()) {
            return out;
        }
        if (sends.size() <= bulkThreshold) {
            List<SaveResult> r =
                    sf.updateAll(object, sends.stream().map(Send::payload).toList(), false, false);
            for (int i = 0; i < sends.size(); i++) {
                out.put(sends.get(i), r.get(i));
            }
            return out;
        }
        // one CSV for all: a field a row does not change is an empty cell (left unchanged), a blank is #N/A
        java.util.Set<String> columns = new java.util.LinkedHashSet<>();
        sends.forEach(s -> columns.addAll(s.payload().keySet()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Send s : sends) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String c : columns) {
                row.put(
                        c,
                        s.payload().containsKey(c)
                                ? (s.payload().get(c) == null
                                        ? "#N/A"
                                        : s.payload().get(c))
                                : null);
            }
            rows.add(row);
        }
        SalesforceClient.BulkResult result = sf.bulkIngest(object, "update", null, rows);
        Map<String, SaveResult> byId = new HashMap<>();
        result.succeeded().forEach(r -> byId.put(r.get("Id"), new SaveResult(r.get("Id"), true, false, List.of())));
        result.failed().forEach(r -> {
            String[] parts =
                    String.valueOf(r.get("sf__Error")).replaceFirst("--$", "").split(":", 3);
            byId.put(
                    r.get("Id"),
                    new SaveResult(
                            r.get("Id"),
                            false,
                            false,
                            List.of(new SfError(
                                    parts[0],
                                    parts.length > 1 ? parts[1] : "",
                                    parts.length > 2 && !parts[2].isBlank()
                                            ? List.of(parts[2].split(";"))
                                            : List.of()))));
        });
        for (Send s : sends) {
            out.put(
                    s,
                    byId.getOrDefault(
                            s.link().sfId,
                            new SaveResult(
                                    s.link().sfId,
                                    false,
                                    false,
                                    List.of(new SfError("UNKNOWN", "no result", List.of())))));
        }
        return out;
    }

    /** Finds Salesforce records for prospects without one, by email ({@link Matching}'s order); links them. */
    private Map<Long, Link> match(
            SalesforceClient sf, List<Row> rows, Map<Long, Map<Field, String>> values, Instant now) {
        Map<String, List<Long>> byEmail = new LinkedHashMap<>();
        for (Row r : rows) {
            byEmail.computeIfAbsent(values.get(r.prospectId()).get(Field.EMAIL), k -> new ArrayList<>())
                    .add(r.prospectId());
        }
        Map<String, List<Matching.Candidate>> candidates = new HashMap<>();
        Map<String, Map<String, Object>> found = new HashMap<>();
        List<String> emails = new ArrayList<>(byEmail.keySet());
        for (String object : List.of("Lead", "Contact")) {
            List<Mapping> mappings = fieldMap.on(object);
            String emailField = fieldMap.emailField(object);
            Set<String> select = new java.util.LinkedHashSet<>(List.of("Id", "LastModifiedDate", "SystemModstamp"));
            if (object.equals("Lead")) {
                select.add("IsConverted");
            }
            mappings.forEach(m -> select.add(m.on(object)));
            select.add(emailField);
            for (int from = 0; from < emails.size(); from += EMAILS_PER_QUERY) {
                List<String> chunk = emails.subList(from, Math.min(emails.size(), from + EMAILS_PER_QUERY));
                String soql = "SELECT " + String.join(", ", select) + " FROM " + object + " WHERE " + emailField
                        + " IN ("
                        + String.join(
                                ", ",
                                chunk.stream().map(SalesforceOutbox::literal).toList()) + ")";
                sf.queryEachPage(soql, false, page -> {
                    for (Map<String, Object> r : page.records()) {
                        String email = SalesforceRecords.normal(Field.EMAIL, r.get(emailField));
                        found.put((String) r.get("Id"), r);
                        candidates
                                .computeIfAbsent(email, k -> new ArrayList<>())
                                .add(new Matching.Candidate(
                                        object,
                                        (String) r.get("Id"),
                                        Boolean.TRUE.equals(r.get("IsConverted")),
                                        SalesforceTimes.parse((String) r.get("LastModifiedDate"))));
                    }
                });
            }
        }
        // a record already linked to another prospect is not a match
        Map<String, Link> taken = records.bySalesforceId(found.keySet());
        Map<Long, Link> out = new HashMap<>();
        byEmail.forEach((email, prospectIds) -> {
            List<Matching.Candidate> free = candidates.getOrDefault(email, List.of()).stream()
                    .filter(c -> taken.get(c.id()) == null || !taken.get(c.id()).active())
                    .toList();
            Matching.choose(null, List.of(), free).ifPresent(c -> {
                long prospectId = prospectIds.getFirst();
                Link link = new Link(c.id(), c.object(), prospectId, SalesforceRecords.ACTIVE, new HashMap<>());
                link.isNew = true;
                Map<String, Object> record = found.get(c.id());
                SalesforceRecords.seeSalesforce(link, record, fieldMap.on(c.object()), SalesforceTimes.parse((String)
                        record.get("LastModifiedDate")));
                out.put(prospectId, link);
            });
        });
        return out;
    }

    /** A new Lead with the prospect's mapped values (Salesforce requires LastName and Company). */
    private Send newLead(Row row, Map<Field, String> values) {
        Map<String, Object> payload = new LinkedHashMap<>();
        Map<Field, String> sent = new java.util.TreeMap<>();
        for (Mapping m : fieldMap.on("Lead")) {
            String v = values.get(m.field());
            if (m.field().equals(Field.OWNER)) {
                // a new lead is created with the prospect's owner when that user is a Salesforce user (as Pardot
                // does); otherwise Salesforce's assignment decides, and the owner follows Salesforce from then on
                if (v != null && !v.startsWith("kindling:")) {
                    payload.put(m.on("Lead"), v);
                    sent.put(m.field(), v);
                }
                continue;
            }
            if (v != null) {
                payload.put(m.on("Lead"), SalesforceRecords.salesforceValue(m.field(), v));
            }
            sent.put(m.field(), v);
        }
        payload.putIfAbsent("LastName", PLACEHOLDER);
        payload.putIfAbsent("Company", PLACEHOLDER);
        Link placeholder = new Link("", "Lead", row.prospectId(), SalesforceRecords.ACTIVE, new HashMap<>());
        return new Send(placeholder, payload, sent, row);
    }

    private Link createdLink(Send send, String id, Instant at) {
        Link link = new Link(id, "Lead", send.row().prospectId(), SalesforceRecords.ACTIVE, new HashMap<>());
        link.isNew = true;
        // a placeholder Salesforce required stays Salesforce's: Kindling's blank does not overwrite it
        for (Mapping m : fieldMap.on("Lead")) {
            Object v = send.payload().get(m.on("Lead"));
            if (PLACEHOLDER.equals(v) && send.values().get(m.field()) == null) {
                FieldState s = link.field(m.field());
                SalesforceRecords.settle(s, PLACEHOLDER);
                s.k = null;
                s.kAt = at;
            }
        }
        return link;
    }

    /** Parks a record's error in the queue (one open row per prospect and code, its attempts counted). */
    private void park(Send send, boolean create, SfError error, Instant at) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("prospectId", send.row().prospectId());
        record.put("operation", create ? "create" : "update");
        record.put("values", send.payload());
        String json = SalesforceClient.JSON.writeValueAsString(record);
        int updated = jdbc.sql("""
                        UPDATE salesforce_error SET attempts = attempts + 1, last_at = :at, message = :message,
                               fields = :fields, record = CAST(:record AS jsonb), sf_id = :sfId
                         WHERE resolved_at IS NULL AND code = :code AND record->>'prospectId' = :prospect""")
                .param("at", Timestamp.from(at))
                .param("message", error.message())
                .param("fields", error.fields().toArray(String[]::new))
                .param("record", json)
                .param("sfId", create ? null : send.link().sfId)
                .param("code", error.code())
                .param("prospect", String.valueOf(send.row().prospectId()))
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    INSERT INTO salesforce_error (object, sf_id, kind, code, message, fields, record, first_at, last_at)
                    VALUES (:object, :sfId, :kind, :code, :message, :fields, CAST(:record AS jsonb), :at, :at)""")
                    .param("object", send.link().object)
                    .param("sfId", create ? null : send.link().sfId)
                    .param("kind", CrmErrors.kind(error.code()).name())
                    .param("code", error.code())
                    .param("message", error.message())
                    .param("fields", error.fields().toArray(String[]::new))
                    .param("record", json)
                    .param("at", Timestamp.from(at))
                    .update();
        }
    }

    /** A prospect synced: its open errors are resolved (retried successfully). */
    private void resolve(List<Long> prospectIds, Instant at) {
        if (prospectIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE salesforce_error SET resolved_at = :at, resolution = 'RETRIED'
                 WHERE resolved_at IS NULL AND record->>'prospectId' = ANY(:ids)""")
                .param("at", Timestamp.from(at))
                .param("ids", prospectIds.stream().map(String::valueOf).toArray(String[]::new))
                .update();
    }

    /** The queue for the console: updates due to be pushed, those waiting for a retry, and the oldest queued. */
    record Backlog(long due, long waiting, Instant oldestQueuedAt) {}

    Backlog backlog(Instant now) {
        return jdbc.sql("""
                        SELECT count(*) FILTER (WHERE next_attempt_at <= :now), count(*) FILTER (WHERE next_attempt_at > :now),
                               min(queued_at)
                          FROM salesforce_outbox""")
                .param("now", Timestamp.from(now))
                .query((rs, n) -> new Backlog(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .single();
    }

    private List<Row> due(Collection<Long> only, Instant now) {
        return jdbc.sql("SELECT prospect_id, may_create, allow_duplicates, version, attempts FROM salesforce_outbox"
                        + " WHERE next_attempt_at <= :now"
                        + (only == null ? "" : " AND prospect_id = ANY(:only)")
                        + " ORDER BY queued_at, prospect_id LIMIT " + PUSH_BATCH)
                .param("now", Timestamp.from(now))
                .params(only == null ? Map.of() : Map.of("only", only.toArray(Long[]::new)))
                .query((rs, n) ->
                        new Row(rs.getLong(1), rs.getBoolean(2), rs.getBoolean(3), rs.getLong(4), rs.getInt(5)))
                .list();
    }

    /** A SOQL string literal. */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
