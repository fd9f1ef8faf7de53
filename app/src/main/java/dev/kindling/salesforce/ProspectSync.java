package dev.kindling.salesforce;

import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.prospects.ProspectMerges;
import dev.kindling.prospects.Prospects;
import dev.kindling.salesforce.SalesforceFieldMap.Field;
import dev.kindling.salesforce.SalesforceFieldMap.Mapping;
import dev.kindling.salesforce.SalesforceRecords.Decisions;
import dev.kindling.salesforce.SalesforceRecords.Link;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Salesforce leads and contacts ↔ prospects, the poll side: a {@code queryAll} per object of the records whose
 * {@code SystemModstamp} is at or after the watermark minus an overlap, one transaction per page (records written,
 * watermark moved). Per record: a converted lead moves its prospect's link to the Contact it became and is never
 * written again; a record merged into another ({@code MasterRecordId}) moves the link to the master, merging the two
 * prospects when both exist (through {@link ProspectMerges}); a deleted one flags its prospect "deleted in CRM"; a
 * live one is decided field by field ({@code FieldSync}) — Salesforce's values written into the prospect through
 * {@link Prospects}, Kindling's queued for the push. A record without a link is matched by email to a prospect (or
 * one is created for it, with an email Kindling accepts); a prospect already linked keeps its record.
 */
@Component
class ProspectSync {

    static final List<String> OBJECTS = List.of("Lead", "Contact");

    /** What the poll of one object did. */
    record Counts(int linked, int updated, int deleted, int moved, int skipped) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0);

        Counts plus(Counts o) {
            return new Counts(
                    linked + o.linked, updated + o.updated, deleted + o.deleted, moved + o.moved, skipped + o.skipped);
        }
    }

    private final JdbcClient jdbc;
    private final SalesforceRecords records;
    private final SalesforceFieldMap fieldMap;
    private final SalesforceOutbox outbox;
    private final Prospects prospects;
    private final ProspectMerges merges;
    private final Watermarks watermarks;
    private final PagedPoll paged;
    private final CampaignMemberPush members;
    private final Clock clock;

    ProspectSync(
            JdbcClient jdbc,
            SalesforceRecords records,
            SalesforceFieldMap fieldMap,
            SalesforceOutbox outbox,
            Prospects prospects,
            ProspectMerges merges,
            Watermarks watermarks,
            PagedPoll paged,
            CampaignMemberPush members,
            Clock clock) {
        this.members = members;
        this.jdbc = jdbc;
        this.records = records;
        this.fieldMap = fieldMap;
        this.outbox = outbox;
        this.prospects = prospects;
        this.merges = merges;
        this.watermarks = watermarks;
        this.paged = paged;
        this.clock = clock;
    }

    /** Create the campaign members Kindling adds for its own touches ({@link CampaignMemberPush}). */
    CampaignMemberPush.Result pushMembers(SalesforceClient sf) {
        return members.push(sf);
    }

    /** Queue again the pushes of these parked errors (prospects and campaign members); returns how many. */
    int retryParked(List<Long> errorIds) {
        return errorIds.isEmpty() ? 0 : outbox.retryParked(errorIds) + members.retryParked(errorIds);
    }

    /** Read the field mapping and the custom fields' definitions again (at the start of each cycle). */
    void refreshMapping() {
        fieldMap.refresh();
    }

    /** Whether Kindling changes are due to be pushed (the cycle then keeps half of its calls for the push). */
    boolean pushDue() {
        return outbox.backlog(clock.instant()).due() > 0;
    }

    /** Push the due queue: what Kindling changed of linked or to-be-created prospects. */
    SalesforceOutbox.Result push(SalesforceClient sf) {
        return outbox.push(sf, null);
    }

    /** Where the next poll of leads or contacts starts. */
    Watermarks.Window window(String object) {
        return watermarks.window(object);
    }

    /** The change poll's {@code queryAll} of leads or contacts: what changed in the window ({@link Watermarks}). */
    String soql(String object, Watermarks.Window window) {
        List<Mapping> mappings = fieldMap.on(object);
        Set<String> select =
                new LinkedHashSet<>(List.of("Id", "IsDeleted", "SystemModstamp", "LastModifiedDate", "MasterRecordId"));
        if (object.equals("Lead")) {
            select.addAll(List.of("IsConverted", "ConvertedContactId"));
        }
        mappings.forEach(m -> select.add(m.on(object)));
        return "SELECT " + String.join(", ", select) + " FROM " + object + window.where()
                + " ORDER BY SystemModstamp, Id";
    }

    /** Writes the poll's pages ({@link PagedPoll}). */
    Counts poll(SalesforceClient sf, String object, PagedPoll.Pages pages, Watermarks.Window window) {
        List<Mapping> mappings = fieldMap.on(object);
        return paged.read(sf, object, pages, window, Counts.NONE, r -> write(object, mappings, r), Counts::plus);
    }

    private Counts write(String object, List<Mapping> mappings, List<Map<String, Object>> page) {
        if (page.isEmpty()) {
            return new Counts(0, 0, 0, 0, 0);
        }
        Instant now = clock.instant();
        Map<String, Link> known = records.bySalesforceId(
                page.stream().map(r -> (String) r.get("Id")).toList());
        List<Map<String, Object>> fresh = new ArrayList<>();
        int skipped = 0;
        for (Map<String, Object> r : page) {
            Instant stamp = SalesforceTimes.parse((String) r.get("SystemModstamp"));
            Link link = known.get((String) r.get("Id"));
            if (link != null && link.modstamp != null && !stamp.isAfter(link.modstamp)) {
                skipped++;
            } else {
                fresh.add(r);
            }
        }
        // first the records that end: deleted, merged, converted (they may merge prospects)
        int deleted = 0;
        int moved = 0;
        for (Map<String, Object> r : fresh) {
            Link link = known.get((String) r.get("Id"));
            boolean isDeleted = Boolean.TRUE.equals(r.get("IsDeleted"));
            boolean converted = Boolean.TRUE.equals(r.get("IsConverted")) && r.get("ConvertedContactId") != null;
            if (!isDeleted && !converted) {
                continue;
            }
            if (link == null || !link.active()) {
                continue;
            }
            if (converted) {
                moveTo(link, "CONVERTED", "Contact", (String) r.get("ConvertedContactId"), now);
                moved++;
            } else if (r.get("MasterRecordId") != null) {
                moveTo(link, "MERGED", object, (String) r.get("MasterRecordId"), now);
                moved++;
            } else {
                link.state = "DELETED";
                records.save(List.of(link), now);
                deleted++;
            }
        }
        // then the live ones, with the links as they are now
        Map<String, Map<String, Object>> live = new LinkedHashMap<>();
        for (Map<String, Object> r : fresh) {
            if (!Boolean.TRUE.equals(r.get("IsDeleted")) && !Boolean.TRUE.equals(r.get("IsConverted"))) {
                live.put((String) r.get("Id"), r);
            }
        }
        Map<String, Link> links = records.bySalesforceId(live.keySet());
        int linked = link(object, mappings, live, links, now);
        Map<Long, Link> active = new HashMap<>();
        for (Link l : links.values()) {
            if (l.active()) {
                active.put(l.prospectId, l);
            }
        }
        Map<Long, Map<Field, String>> values = records.kindlingValues(active.keySet());
        Map<Long, SalesforceOutbox.KindlingWrite> toKindling = new HashMap<>();
        Map<String, Long> owners = records.owners();
        for (Link l : active.values()) {
            Map<String, Object> r = live.get(l.sfId);
            SalesforceRecords.seeSalesforce(l, r, mappings, SalesforceTimes.parse((String) r.get("LastModifiedDate")));
            SalesforceRecords.seeKindling(l, values.getOrDefault(l.prospectId, Map.of()), mappings, now);
            Decisions d = SalesforceRecords.decide(l, mappings);
            if (!d.toKindling().isEmpty()) {
                toKindling.put(l.prospectId, outbox.fromSalesforce(l, d.toKindling(), owners));
            }
        }
        outbox.writeToKindling(toKindling);
        // what Kindling did on top (grades from the new values …) is Kindling's change, pushed like any other
        Map<Long, Map<Field, String>> after = records.kindlingValues(toKindling.keySet());
        List<Long> push = new ArrayList<>();
        for (Link l : active.values()) {
            if (after.containsKey(l.prospectId)) {
                SalesforceRecords.seeKindling(l, after.get(l.prospectId), mappings, now);
            }
            Decisions d = SalesforceRecords.decide(l, mappings);
            if (!d.toSalesforce().isEmpty()) {
                push.add(l.prospectId);
            }
            if (d.toKindling().isEmpty() && d.toSalesforce().isEmpty()) {
                l.lastSyncedAt = now;
            }
        }
        for (Link l : links.values()) {
            l.modstamp = SalesforceTimes.parse((String) live.get(l.sfId).get("SystemModstamp"));
        }
        records.save(links.values(), now);
        for (Map<String, Object> r : fresh) {
            Link ended = known.get((String) r.get("Id"));
            if (ended != null && !live.containsKey(ended.sfId)) {
                jdbc.sql("UPDATE salesforce_record SET modstamp = :stamp WHERE sf_id = :id")
                        .param("stamp", Timestamp.from(SalesforceTimes.parse((String) r.get("SystemModstamp"))))
                        .param("id", ended.sfId)
                        .update();
            }
        }
        outbox.enqueue(push, false, false, now);
        return new Counts(linked, active.size() - linked, deleted, moved, skipped);
    }

    /**
     * Links live records that have none to the prospects of their emails (creating the prospects that do not exist);
     * a prospect already linked keeps its record, and of several records with one email the {@code Matching} order
     * (a Contact before a Lead, then the most recently modified) takes it. Adds the new links to {@code links}.
     */
    private int link(
            String object,
            List<Mapping> mappings,
            Map<String, Map<String, Object>> live,
            Map<String, Link> links,
            Instant now) {
        String emailField = fieldMap.emailField(object);
        Map<String, String> emailOf = new LinkedHashMap<>();
        for (Map<String, Object> r : live.values()) {
            String id = (String) r.get("Id");
            EmailAddress email = EmailAddress.parse((String) r.get(emailField));
            if (!links.containsKey(id) && email != null) {
                emailOf.put(id, email.value());
            }
        }
        if (emailOf.isEmpty()) {
            return 0;
        }
        Map<String, Long> prospectOf = prospects.ensureExist(new LinkedHashSet<>(emailOf.values()), "salesforce", now);
        Map<Long, Link> taken = records.activeByProspect(prospectOf.values());
        // newest first, so the most recently modified record of an email takes its prospect
        List<String> ids = new ArrayList<>(emailOf.keySet());
        ids.sort(java.util.Comparator.comparing((String id) ->
                        SalesforceTimes.parse((String) live.get(id).get("LastModifiedDate")))
                .reversed()
                .thenComparing(id -> id));
        int linked = 0;
        for (String id : ids) {
            Long prospectId = prospectOf.get(emailOf.get(id));
            if (prospectId == null || taken.containsKey(prospectId)) {
                continue;
            }
            Link link = new Link(id, object, prospectId, SalesforceRecords.ACTIVE, new HashMap<>());
            link.isNew = true;
            taken.put(prospectId, link);
            links.put(id, link);
            linked++;
        }
        // inserted now, so that the prospect writes below find them
        records.save(links.values().stream().filter(l -> l.isNew).toList(), now);
        return linked;
    }

    /**
     * A link ends (the lead converted, the record merged): the prospect's link moves to the successor record; when
     * the successor is another prospect's record, the two prospects are one person and are merged, the successor's
     * prospect surviving.
     */
    private void moveTo(Link link, String endState, String object, String successorId, Instant now) {
        link.state = endState;
        link.successorId = successorId;
        records.save(List.of(link), now);
        Link successor = records.bySalesforceId(List.of(successorId)).get(successorId);
        if (successor != null && successor.active()) {
            if (successor.prospectId != link.prospectId) {
                merges.merge(successor.prospectId, link.prospectId, Map.of(), "salesforce");
            }
            return;
        }
        if (!records.activeByProspect(List.of(link.prospectId)).isEmpty()) {
            return;
        }
        // the successor takes over the link and its field state (its own values are read when it is polled)
        Link moved = new Link(successorId, object, link.prospectId, SalesforceRecords.ACTIVE, link.fields);
        moved.isNew = true;
        moved.lastSyncedAt = link.lastSyncedAt;
        records.save(List.of(moved), now);
    }
}
