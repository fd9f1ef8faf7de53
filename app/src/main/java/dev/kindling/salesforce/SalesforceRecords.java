package dev.kindling.salesforce;

import dev.kindling.engine.crm.FieldDirection;
import dev.kindling.engine.crm.FieldRule;
import dev.kindling.engine.crm.FieldSync;
import dev.kindling.engine.crm.SalesforceIds;
import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.prospects.CustomFieldType;
import dev.kindling.prospects.ProspectChanges;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.ProspectValidator;
import dev.kindling.salesforce.SalesforceFieldMap.Field;
import dev.kindling.salesforce.SalesforceFieldMap.Mapping;
import dev.kindling.scoring.ProspectScores;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

/**
 * The {@code salesforce_record} table: which Salesforce Lead or Contact each prospect is, and per mapped field the
 * state the per-field rules ({@link FieldSync}) decide on — the value last synced, each side's last seen value and
 * when it changed there. Also reads the Kindling side of the mapped fields, in one query for many prospects.
 */
@Component
class SalesforceRecords {

    static final String ACTIVE = "ACTIVE";

    /** One field's sync state; {@code synced} is meaningful only when {@code everSynced}. */
    static final class FieldState {
        boolean everSynced;
        String synced;
        String k;
        Instant kAt;
        String sf;
        Instant sfAt;

        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            if (everSynced) {
                out.put("synced", synced);
            }
            out.put("k", k);
            out.put("kAt", kAt == null ? null : kAt.toString());
            out.put("sf", sf);
            out.put("sfAt", sfAt == null ? null : sfAt.toString());
            return out;
        }

        static FieldState of(Map<?, ?> json) {
            FieldState s = new FieldState();
            s.everSynced = json.containsKey("synced");
            s.synced = (String) json.get("synced");
            s.k = (String) json.get("k");
            s.kAt = json.get("kAt") == null ? null : Instant.parse((String) json.get("kAt"));
            s.sf = (String) json.get("sf");
            s.sfAt = json.get("sfAt") == null ? null : Instant.parse((String) json.get("sfAt"));
            return s;
        }
    }

    /** A row of {@code salesforce_record}, changed in memory and written back with {@link #save}. */
    static final class Link {
        final String sfId;
        String object;
        long prospectId;
        String state;
        String successorId;
        final Map<String, FieldState> fields;
        Instant modstamp;
        Instant lastSyncedAt;
        boolean isNew;

        Link(String sfId, String object, long prospectId, String state, Map<String, FieldState> fields) {
            this.sfId = sfId;
            this.object = object;
            this.prospectId = prospectId;
            this.state = state;
            this.fields = fields;
        }

        boolean active() {
            return ACTIVE.equals(state);
        }

        FieldState field(Field f) {
            return fields.computeIfAbsent(f.key(), k -> new FieldState());
        }
    }

    /** What the rules decide for one record: values to write into Kindling and into Salesforce, by field. */
    record Decisions(Map<Field, String> toKindling, Map<Field, String> toSalesforce) {}

    private static final TypeReference<LinkedHashMap<String, Map<String, Object>>> FIELDS = new TypeReference<>() {};

    private static final TypeReference<LinkedHashMap<String, Object>> CUSTOM = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final SalesforceFieldMap fieldMap;
    private final CampaignMemberPush members;

    private final ProspectScores scores;
    private final org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate batches;

    SalesforceRecords(
            JdbcClient jdbc,
            org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate batches,
            SalesforceFieldMap fieldMap,
            CampaignMemberPush members,
            ProspectScores scores) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.scores = scores;
        this.fieldMap = fieldMap;
        this.members = members;
    }

    /** The rows of these Salesforce ids, whatever their state. */
    Map<String, Link> bySalesforceId(Collection<String> ids) {
        return load("sf_id = ANY(:ids)", ids.toArray(String[]::new));
    }

    /** The prospect of each of these Salesforce ids that has a row (whatever its state), without its field states. */
    Map<String, Long> prospectsOf(Collection<String> ids) {
        Map<String, Long> out = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("SELECT sf_id, prospect_id FROM salesforce_record WHERE sf_id = ANY(:ids)")
                    .param("ids", ids.toArray(String[]::new))
                    .query(rs -> {
                        out.put(rs.getString(1), rs.getLong(2));
                    });
        }
        return out;
    }

    /** The active rows of these prospects, by prospect id. */
    Map<Long, Link> activeByProspect(Collection<Long> prospectIds) {
        Map<Long, Link> out = new HashMap<>();
        load("prospect_id = ANY(:ids) AND state = 'ACTIVE'", prospectIds.toArray(Long[]::new))
                .values()
                .forEach(l -> out.put(l.prospectId, l));
        return out;
    }

    /** The newest row of this prospect (active or ended), if any. */
    java.util.Optional<Link> latestOf(long prospectId) {
        return load(
                        "sf_id = (SELECT sf_id FROM salesforce_record WHERE prospect_id = :p ORDER BY state = 'ACTIVE' DESC,"
                                + " coalesce(ended_at, linked_at) DESC LIMIT 1)",
                        null,
                        prospectId)
                .values()
                .stream()
                .findFirst();
    }

    private Map<String, Link> load(String where, Object[] ids) {
        return load(where, ids, null);
    }

    private Map<String, Link> load(String where, Object[] ids, Long prospectId) {
        Map<String, Link> out = new LinkedHashMap<>();
        if (ids != null && ids.length == 0) {
            return out;
        }
        var sql = jdbc.sql(
                "SELECT sf_id, object, prospect_id, state, successor_id, fields::text, modstamp, last_synced_at"
                        + " FROM salesforce_record WHERE " + where);
        if (ids != null) {
            sql = sql.param("ids", ids);
        }
        if (prospectId != null) {
            sql = sql.param("p", prospectId);
        }
        sql.query(rs -> {
            Map<String, FieldState> fields = new LinkedHashMap<>();
            SalesforceClient.JSON.readValue(rs.getString(6), FIELDS).forEach((k, v) -> fields.put(k, FieldState.of(v)));
            Link link = new Link(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), fields);
            link.successorId = rs.getString(5);
            link.modstamp = instant(rs.getTimestamp(7));
            link.lastSyncedAt = instant(rs.getTimestamp(8));
            out.put(link.sfId, link);
        });
        return out;
    }

    /**
     * Writes these rows: new ones inserted, the others updated (in the caller's transaction). A prospect newly linked
     * gets the campaign members of the linked campaigns it touched queued ({@link CampaignMemberPush}).
     */
    void save(Collection<Link> links, Instant now) {
        List<Long> linked = links.stream()
                .filter(l -> l.isNew && l.active())
                .map(l -> l.prospectId)
                .toList();
        // in order, as JDBC batches of consecutive inserts or updates: one round trip per run instead of one per row
        // (a page of 10,000 records saved twice was 20,000 round trips), and a row that leaves ACTIVE is still
        // written before the one of the same prospect that becomes ACTIVE (the unique index is checked per row)
        List<org.springframework.jdbc.core.namedparam.MapSqlParameterSource> run = new ArrayList<>();
        Boolean runIsInsert = null;
        for (Link l : links) {
            if (runIsInsert != null && runIsInsert != l.isNew) {
                flush(runIsInsert, run);
            }
            runIsInsert = l.isNew;
            Map<String, Object> fields = new LinkedHashMap<>();
            l.fields.forEach((k, v) -> fields.put(k, v.json()));
            run.add(new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
                    .addValue("id", l.sfId)
                    .addValue("object", l.object)
                    .addValue("prospect", l.prospectId)
                    .addValue("state", l.state)
                    .addValue("successor", l.successorId)
                    .addValue("fields", SalesforceClient.JSON.writeValueAsString(fields))
                    .addValue("modstamp", l.modstamp == null ? null : Timestamp.from(l.modstamp))
                    .addValue("now", Timestamp.from(now))
                    .addValue("synced", l.lastSyncedAt == null ? null : Timestamp.from(l.lastSyncedAt)));
            l.isNew = false;
        }
        if (runIsInsert != null) {
            flush(runIsInsert, run);
        }
        members.enqueue(linked, now);
    }

    // ---------------------------------------------------------------- the Kindling side

    /**
     * The mapped fields' Kindling values of these prospects, as text ({@code null} for blank). The owner is given as
     * the Salesforce user the Kindling owner is (the record's own owner when several Salesforce users have the owner's
     * email), or {@code kindling:<user id>} when the owner is no Salesforce user.
     */
    Map<Long, Map<Field, String>> kindlingValues(Collection<Long> prospectIds) {
        Map<Long, Map<Field, String>> out = new HashMap<>();
        if (prospectIds.isEmpty()) {
            return out;
        }
        List<Field> custom = fieldMap.current().stream()
                .map(Mapping::field)
                .filter(f -> f.customField() != null)
                .toList();
        jdbc.sql("""
                        SELECT p.id, p.email, p.first_name, p.last_name, p.company, p.job_title, p.department, p.industry,
                               p.employees, p.country, p.phone, p.website, p.source, p.score, p.grade, p.stage,
                               p.last_activity_at, p.custom::text,
                               CASE WHEN p.owner_id IS NOT NULL THEN coalesce(
                                   (SELECT u.sf_id FROM salesforce_user u JOIN salesforce_record r
                                                   ON r.prospect_id = p.id AND r.state = 'ACTIVE'
                                     WHERE u.user_id = p.owner_id AND u.sf_id = r.fields->'owner'->>'sf'),
                                   (SELECT min(u.sf_id) FROM salesforce_user u WHERE u.user_id = p.owner_id),
                                   'kindling:' || p.owner_id) END AS owner
                          FROM prospect p WHERE p.id = ANY(:ids)""").param("ids", prospectIds.toArray(Long[]::new)).query(rs -> {
            Map<Field, String> v = new HashMap<>();
            int i = 2;
            for (Field f : List.of(
                    Field.EMAIL,
                    Field.FIRST_NAME,
                    Field.LAST_NAME,
                    Field.COMPANY,
                    Field.JOB_TITLE,
                    Field.DEPARTMENT,
                    Field.INDUSTRY,
                    Field.EMPLOYEES,
                    Field.COUNTRY,
                    Field.PHONE,
                    Field.WEBSITE,
                    Field.SOURCE,
                    Field.SCORE,
                    Field.GRADE,
                    Field.STAGE)) {
                v.put(f, normal(f, rs.getObject(i++)));
            }
            Timestamp last = rs.getTimestamp(i++);
            v.put(Field.LAST_ACTIVITY, last == null ? null : last.toInstant().toString());
            if (!custom.isEmpty()) {
                Map<String, Object> values = SalesforceClient.JSON.readValue(rs.getString(i), CUSTOM);
                custom.forEach(
                        f -> v.put(f, normal(f, values.get(f.customField().name()))));
            }
            v.put(Field.OWNER, rs.getString("owner"));
            out.put(rs.getLong(1), v);
        });
        if (fieldMap.current().stream()
                .anyMatch(m -> m.field().equals(Field.SCORE_EXPLANATION) && m.rule() != FieldRule.DONT_SYNC)) {
            // computed from the score ledger, one query for all: only when an admin mapped it
            scores.explanations(out.keySet()).forEach((id, text) -> out.get(id).put(Field.SCORE_EXPLANATION, text));
        }
        return out;
    }

    private static final String INSERT = """
            INSERT INTO salesforce_record (sf_id, object, prospect_id, state, successor_id, fields, modstamp,
                                           linked_at, last_synced_at)
            VALUES (:id, :object, :prospect, :state, :successor, CAST(:fields AS jsonb), :modstamp, :now,
                    :synced)
            ON CONFLICT (sf_id) DO UPDATE SET object = EXCLUDED.object, prospect_id = EXCLUDED.prospect_id,
                   state = EXCLUDED.state, successor_id = NULL, fields = EXCLUDED.fields,
                   modstamp = EXCLUDED.modstamp, linked_at = EXCLUDED.linked_at, ended_at = NULL""";

    private static final String UPDATE = """
            UPDATE salesforce_record SET object = :object, prospect_id = :prospect, state = :state,
                   successor_id = :successor, fields = CAST(:fields AS jsonb), modstamp = :modstamp,
                   last_synced_at = :synced,
                   ended_at = CASE WHEN :state = 'ACTIVE' THEN NULL ELSE coalesce(ended_at, :now) END
             WHERE sf_id = :id""";

    private void flush(boolean insert, List<org.springframework.jdbc.core.namedparam.MapSqlParameterSource> run) {
        if (run.size() == 1) {
            jdbc.sql(insert ? INSERT : UPDATE).paramSource(run.getFirst()).update();
        } else if (!run.isEmpty()) {
            batches.batchUpdate(
                    insert ? INSERT : UPDATE,
                    run.toArray(org.springframework.jdbc.core.namedparam.SqlParameterSource[]::new));
        }
        run.clear();
    }

    /** The Kindling user of every Salesforce user matched by email (users are few: one query per page or push). */
    Map<String, Long> owners() {
        Map<String, Long> out = new HashMap<>();
        jdbc.sql("SELECT sf_id, user_id FROM salesforce_user WHERE user_id IS NOT NULL")
                .query(rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                });
        return out;
    }

    /**
     * The prospects whose active record is owned by one of these Salesforce users and whose owner is not synced yet
     * (the user had no Kindling match when the record was read).
     */
    List<Long> unsyncedOwnersOf(Collection<String> sfUserIds) {
        if (sfUserIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT prospect_id FROM salesforce_record
                         WHERE state = 'ACTIVE' AND fields->'owner'->>'sf' = ANY(:ids)
                           AND (fields->'owner'->>'synced') IS DISTINCT FROM (fields->'owner'->>'sf')""")
                .param("ids", sfUserIds.toArray(String[]::new))
                .query(Long.class)
                .list();
    }

    /**
     * Notes Kindling's changes since last seen (the field's Kindling change time is {@code now}, unknown on the
     * field's first sight); true when some field changed.
     */
    static boolean seeKindling(Link link, Map<Field, String> values, List<Mapping> mappings, Instant now) {
        boolean changed = false;
        for (Mapping m : mappings) {
            FieldState s = link.field(m.field());
            String v = values.get(m.field());
            if (!Objects.equals(v, s.k)) {
                // first sight of the field: when Kindling's value was set is unknown (a tie goes to Salesforce)
                boolean firstSight = !s.everSynced && s.k == null && s.kAt == null;
                s.k = v;
                s.kAt = firstSight ? null : now;
                changed = true;
            }
        }
        return changed;
    }

    /** Notes Salesforce's values as read, with the record's LastModifiedDate as the change time of changed ones. */
    static void seeSalesforce(Link link, Map<String, Object> record, List<Mapping> mappings, Instant modified) {
        for (Mapping m : mappings) {
            FieldState s = link.field(m.field());
            String v = normal(m.field(), record.get(m.on(link.object)));
            if (!Objects.equals(v, s.sf)) {
                s.sf = v;
                s.sfAt = modified;
            }
        }
    }

    /** The rules' decisions for one record, on the values last seen on both sides. */
    static Decisions decide(Link link, List<Mapping> mappings) {
        Map<Field, String> toKindling = new java.util.TreeMap<>();
        Map<Field, String> toSalesforce = new java.util.TreeMap<>();
        for (Mapping m : mappings) {
            FieldState s = link.field(m.field());
            FieldSync.Decision d = FieldSync.decide(
                    m.setting(),
                    new FieldSync.Side(s.k, s.kAt),
                    new FieldSync.Side(s.sf, s.sfAt),
                    s.synced,
                    !s.everSynced);
            switch (d.action()) {
                case WRITE_KINDLING -> toKindling.put(m.field(), d.value());
                case WRITE_SALESFORCE -> toSalesforce.put(m.field(), d.value());
                case NONE -> {
                    if (Objects.equals(s.k, s.sf)) {
                        settle(s, s.k);
                    }
                }
            }
        }
        return new Decisions(toKindling, toSalesforce);
    }

    /** Both sides now hold {@code value}. */
    static void settle(FieldState s, String value) {
        s.everSynced = true;
        s.synced = value;
        s.k = value;
        s.sf = value;
    }

    /**
     * The changes to write into Kindling for these decisions, leaving out values a prospect field cannot hold (they
     * stay unsynced and are reported in {@code refused}). Custom values are converted as the prospects module converts
     * text ({@link ProspectValidator}: numbers, true/false, dates, picklist options). The owner is not a field: it is
     * written by the caller.
     */
    static ProspectChanges changesFor(Map<Field, String> toKindling, List<String> refused) {
        Map<ProspectField, Object> fields = new EnumMap<>(ProspectField.class);
        Map<String, Object> custom = new LinkedHashMap<>();
        toKindling.forEach((f, v) -> {
            if (f.customField() != null) {
                String name = f.customField().name();
                Map<String, Object> raw = new HashMap<>();
                raw.put(name, v);
                ProspectValidator.Result r = ProspectValidator.validate(raw, Map.of(name, f.customField()), true, "");
                if (r.valid()) {
                    custom.put(name, r.changes().custom().get(name));
                } else {
                    refused.add(f.key());
                }
                return;
            }
            ProspectField pf = f.prospectField();
            if (pf == null || f.direction() == FieldDirection.TO_SALESFORCE) {
                return;
            }
            Object value = v;
            if (v != null) {
                if (pf == ProspectField.EMPLOYEES) {
                    try {
                        value = Integer.valueOf(v);
                    } catch (NumberFormatException e) {
                        value = null;
                    }
                } else if (pf == ProspectField.EMAIL) {
                    EmailAddress email = EmailAddress.parse(v);
                    value = email == null ? null : email.value();
                } else if (pf == ProspectField.COUNTRY) {
                    value = v.matches("[A-Za-z]{2}") ? v.toUpperCase(java.util.Locale.ROOT) : null;
                } else if (pf.maxLength() > 0 && v.length() > pf.maxLength()) {
                    value = null;
                }
                if (value == null) {
                    refused.add(f.key());
                    return;
                }
            } else if (pf == ProspectField.EMAIL) {
                refused.add(f.key()); // a prospect always has an email
                return;
            }
            fields.put(pf, value);
        });
        return new ProspectChanges(fields, custom);
    }

    /** A value as written to Salesforce: numbers as numbers, the rest as text. */
    static Object salesforceValue(Field f, String v) {
        if (v == null) {
            return null;
        }
        CustomFieldType type = f.customField() == null ? null : f.customField().type();
        if (f.equals(Field.EMPLOYEES) || f.equals(Field.SCORE) || type == CustomFieldType.NUMBER) {
            try {
                return new BigDecimal(v);
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (type == CustomFieldType.BOOLEAN) {
            return Boolean.valueOf(v);
        }
        return v;
    }

    /** One spelling per value, so equal values compare equal: blank is null, numbers plain, times ISO, emails lower. */
    static String normal(Field f, Object raw) {
        if (raw == null || String.valueOf(raw).isBlank()) {
            return null;
        }
        String v = String.valueOf(raw).strip();
        CustomFieldType type = f.customField() == null ? null : f.customField().type();
        if (f.equals(Field.EMPLOYEES) || f.equals(Field.SCORE) || type == CustomFieldType.NUMBER) {
            try {
                return new BigDecimal(v).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (f.equals(Field.LAST_ACTIVITY)) {
            try {
                return SalesforceTimes.parse(v).toString();
            } catch (RuntimeException e) {
                return v;
            }
        }
        if (f.equals(Field.EMAIL)) {
            return EmailAddress.normalize(v);
        }
        if (f.equals(Field.OWNER)) {
            return v.startsWith("kindling:") || !SalesforceIds.isValid(v) ? v : SalesforceIds.to18(v);
        }
        if (type == CustomFieldType.BOOLEAN) {
            return Boolean.toString(Boolean.parseBoolean(v));
        }
        if (type == CustomFieldType.DATE && v.length() > 10 && v.charAt(10) == 'T') {
            return v.substring(0, 10); // a Salesforce date-time field mapped to a date: its day (UTC)
        }
        return v;
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
