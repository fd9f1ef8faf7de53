package dev.kindling.prospects;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Merges two prospects that are the same person (SPEC §2, docs/prospects.md "Merge"). The survivor keeps its id;
 * every capability re-points its rows through its {@link MergeStep}; the loser row is deleted and its id and email
 * kept in {@code prospect_merged}, so the id redirects and the email still finds the survivor. One transaction: the
 * rows a step locks first (activities), then both prospect rows in id order.
 */
@Component
public class ProspectMerges {

    private final AuditLog audit;

    private static final Logger LOG = LoggerFactory.getLogger(ProspectMerges.class);

    /** The columns referring to a prospect that the prospects capability itself handles. */
    static final Set<String> OWN_COLUMNS =
            Set.of("prospect_merged.survivor_id", "prospect_merged.loser_id", "prospect_due.prospect_id");

    /** Which prospect a field's value is taken from. */
    public enum Side {
        SURVIVOR,
        LOSER;

        /** The JSON and form spelling ({@code survivor}, {@code loser}). */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The side of this spelling, or {@code null} when it is neither. */
        public static Side parse(String value) {
            return "survivor".equals(value) ? SURVIVOR : "loser".equals(value) ? LOSER : null;
        }
    }

    /** One field as a merge would set it: both values and the side taken by default (the most recent non-blank). */
    public record FieldChoice(ProspectField field, Object survivorValue, Object loserValue, Side chosen) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Prospects prospects;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<MergeStep> steps;

    ProspectMerges(
            JdbcClient jdbc,
            JsonMapper json,
            Prospects prospects,
            Clock clock,
            ApplicationEventPublisher events,
            ObjectProvider<MergeStep> steps,
            AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.json = json;
        this.prospects = prospects;
        this.clock = clock;
        this.events = events;
        this.steps = steps;
    }

    /** Every column referring to a prospect that a merge re-points: the steps' and this capability's own. */
    public Set<String> handledColumns() {
        Set<String> columns = new java.util.TreeSet<>(OWN_COLUMNS);
        steps.orderedStream().forEach(s -> columns.addAll(s.columns()));
        return columns;
    }

    /** The prospect a merged (deleted) prospect's id now belongs to, if that id was merged. */
    public Optional<Long> survivorOf(long id) {
        return jdbc.sql("SELECT survivor_id FROM prospect_merged WHERE loser_id = :id")
                .param("id", id)
                .query(Long.class)
                .optional();
    }

    /** For those of these ids that were merged, the prospect each now belongs to (chains are collapsed). */
    public Map<Long, Long> survivorsOf(java.util.Collection<Long> ids) {
        Map<Long, Long> survivors = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("SELECT loser_id, survivor_id FROM prospect_merged WHERE loser_id = ANY(:ids)")
                    .param("ids", ids.toArray(Long[]::new))
                    .query((rs, n) -> survivors.put(rs.getLong(1), rs.getLong(2)))
                    .list();
        }
        return survivors;
    }

    /** The standard fields as merging {@code loser} into {@code survivor} would set them by default. */
    public List<FieldChoice> choices(ProspectView survivor, ProspectView loser) {
        Side recent = moreRecent(survivor, loser);
        Map<ProspectField, Object> s = values(survivor);
        Map<ProspectField, Object> l = values(loser);
        List<FieldChoice> choices = new ArrayList<>();
        for (ProspectField f : ProspectField.values()) {
            Object sv = s.get(f);
            Object lv = l.get(f);
            Side chosen = recent == Side.SURVIVOR
                    ? (blank(sv) && !blank(lv) ? Side.LOSER : Side.SURVIVOR)
                    : (blank(lv) && !blank(sv) ? Side.SURVIVOR : Side.LOSER);
            choices.add(new FieldChoice(f, sv, lv, chosen));
        }
        return choices;
    }

    /**
     * Merges {@code loserId} into {@code survivorId} by hand; {@code sides} overrides the default side of some
     * fields. Answers the survivor as it is now.
     */
    @Transactional
    public ProspectView merge(long survivorId, long loserId, Map<ProspectField, Side> sides, String actor) {
        return merge(survivorId, loserId, sides, actor, false);
    }

    /**
     * Merges two prospects a visitor cookie showed to be one person, unless a step refuses: the older (earlier
     * captured, then lower id) survives, every field takes its default. Answers the survivor's id, or empty when
     * the merge was refused (the caller carries on with both).
     */
    @Transactional
    public Optional<Long> mergeAutomatically(long first, long second, String actor) {
        if (first == second) {
            return Optional.of(first);
        }
        for (MergeStep step : steps.orderedStream().toList()) {
            Optional<String> refusal = step.refusesAutomaticMerge(first, second);
            if (refusal.isPresent()) {
                LOG.info("Prospects {} and {} were not merged automatically: {}", first, second, refusal.get());
                return Optional.empty();
            }
        }
        List<ProspectView> both = new ArrayList<>(List.of(prospects.get(first), prospects.get(second)));
        both.sort(Comparator.comparing(ProspectView::capturedAt).thenComparingLong(ProspectView::id));
        return Optional.of(
                merge(both.get(0).id(), both.get(1).id(), Map.of(), actor, true).id());
    }

    private ProspectView merge(
            long survivorId, long loserId, Map<ProspectField, Side> sides, String actor, boolean automatic) {
        if (survivorId == loserId) {
            throw InvalidInputException.of("loserId", "must be another prospect than the survivor");
        }
        Instant now = clock.instant();
        MergeStep.Pair pair = new MergeStep.Pair(survivorId, loserId, now);
        List<MergeStep> ordered = steps.orderedStream().toList();
        ordered.forEach(s -> s.lock(pair));
        List<Long> locked = jdbc.sql("SELECT id FROM prospect WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
                .param("ids", new Long[] {Math.min(survivorId, loserId), Math.max(survivorId, loserId)})
                .query(Long.class)
                .list();
        if (!locked.contains(loserId)) {
            throw InvalidInputException.of("loserId", "is not a prospect");
        }
        if (!locked.contains(survivorId)) {
            throw new NotFoundException("No prospect " + survivorId);
        }
        ProspectView survivor = prospects.get(survivorId);
        ProspectView loser = prospects.get(loserId);
        Map<String, Side> taken = new LinkedHashMap<>();
        Map<ProspectField, Object> values = new EnumMap<>(ProspectField.class);
        for (FieldChoice c : choices(survivor, loser)) {
            Side side = sides.getOrDefault(c.field(), c.chosen());
            taken.put(c.field().json(), side);
            values.put(c.field(), side == Side.SURVIVOR ? c.survivorValue() : c.loserValue());
        }
        writeMergedRow(survivor, loser, values, now);
        ordered.forEach(s -> s.merge(pair));
        // chains collapse: whoever was merged into the loser now points at the survivor
        jdbc.sql("UPDATE prospect_merged SET survivor_id = :s WHERE survivor_id = :l")
                .param("s", survivorId)
                .param("l", loserId)
                .update();
        jdbc.sql("""
                        INSERT INTO prospect_merged (loser_id, survivor_id, loser_email, merged_at, automatic)
                        VALUES (:l, :s, :email, :at, :automatic)""")
                .param("l", loserId)
                .param("s", survivorId)
                .param("email", loser.email())
                .param("at", Timestamp.from(now))
                .param("automatic", automatic)
                .update();
        // the loser's due instants go with it; the survivor's are rewritten by the steps that own them (its score's
        // next decay by the scoring step) or by the watchers that re-evaluate it (condition check)
        jdbc.sql("DELETE FROM prospect_due WHERE prospect_id = :l")
                .param("l", loserId)
                .update();
        jdbc.sql("DELETE FROM prospect WHERE id = :l").param("l", loserId).update();
        Object email = values.get(ProspectField.EMAIL);
        if (!survivor.email().equals(email)) {
            // the survivor takes the loser's address: its own becomes the alias that still finds it
            jdbc.sql("UPDATE prospect SET email = :email WHERE id = :s")
                    .param("email", email)
                    .param("s", survivorId)
                    .update();
            jdbc.sql("UPDATE prospect_merged SET loser_email = :old WHERE loser_id = :l")
                    .param("old", survivor.email())
                    .param("l", loserId)
                    .update();
        }
        // fields written: grading regrades, condition watchers (lists, rules) re-evaluate the survivor
        events.publishEvent(new ProspectsChanged(Set.of(survivorId)));
        ProspectView after = prospects.get(survivorId);
        audit.record(AuditEntry.of(
                "prospect",
                survivorId,
                "merge",
                Map.of("survivor", survivor, "loser", loser),
                Map.of("prospect", after, "fields", taken, "automatic", automatic)));
        events.publishEvent(new ProspectsMerged(survivor, loser, after, actor, automatic, taken, now));
        return after;
    }

    /**
     * Writes the survivor's merged fields, except the email (unique: written once the loser is gone): chosen
     * standard fields; custom values key by key, the most recent prospect's non-blank value first; owner, campaign
     * and account the survivor's unless it has none; the earliest capture, the latest activity; and every
     * do-not-contact flag of either.
     */
    private void writeMergedRow(
            ProspectView survivor, ProspectView loser, Map<ProspectField, Object> values, Instant now) {
        boolean survivorRecent = moreRecent(survivor, loser) == Side.SURVIVOR;
        Map<String, Object> custom = new LinkedHashMap<>(survivorRecent ? loser.custom() : survivor.custom());
        Map<String, Object> recent = survivorRecent ? survivor.custom() : loser.custom();
        recent.forEach((k, v) -> {
            if (!blank(v)) {
                custom.put(k, v);
            }
        });
        custom.values().removeIf(Objects::isNull);
        Map<String, Object> params = new HashMap<>();
        StringBuilder set = new StringBuilder("updated_at = :now");
        values.forEach((f, v) -> {
            if (f != ProspectField.EMAIL) {
                set.append(", ").append(f.column()).append(" = :").append(f.column());
                params.put(f.column(), v);
            }
        });
        params.put("now", Timestamp.from(now));
        params.put("custom", json.writeValueAsString(custom));
        params.put("owner", survivor.ownerId() != null ? survivor.ownerId() : loser.ownerId());
        params.put("campaign", survivor.campaignId() != null ? survivor.campaignId() : loser.campaignId());
        params.put("account", survivor.accountId() != null ? survivor.accountId() : loser.accountId());
        params.put("captured", Timestamp.from(min(survivor.capturedAt(), loser.capturedAt())));
        params.put(
                "lastActivity",
                max(survivor.lastActivityAt(), loser.lastActivityAt()) == null
                        ? null
                        : Timestamp.from(max(survivor.lastActivityAt(), loser.lastActivityAt())));
        params.put("optedOut", survivor.optedOut() || loser.optedOut());
        params.put("hardBounced", survivor.hardBounced() || loser.hardBounced());
        params.put("doNotEmail", survivor.doNotEmail() || loser.doNotEmail());
        params.put("id", survivor.id());
        jdbc.sql("UPDATE prospect SET " + set + """
                        , custom = CAST(:custom AS jsonb), owner_id = :owner, campaign_id = :campaign,
                          account_id = :account, captured_at = :captured, last_activity_at = :lastActivity,
                          opted_out = :optedOut, hard_bounced = :hardBounced, do_not_email = :doNotEmail
                         WHERE id = :id""").params(params).update();
    }

    /** The side whose row was written last (the later id on a tie): its values are the most recent. */
    private static Side moreRecent(ProspectView survivor, ProspectView loser) {
        int byTime = survivor.updatedAt().compareTo(loser.updatedAt());
        if (byTime != 0) {
            return byTime > 0 ? Side.SURVIVOR : Side.LOSER;
        }
        return survivor.id() > loser.id() ? Side.SURVIVOR : Side.LOSER;
    }

    private static Map<ProspectField, Object> values(ProspectView p) {
        Map<ProspectField, Object> v = new EnumMap<>(ProspectField.class);
        v.put(ProspectField.EMAIL, p.email());
        v.put(ProspectField.FIRST_NAME, p.firstName());
        v.put(ProspectField.LAST_NAME, p.lastName());
        v.put(ProspectField.COMPANY, p.company());
        v.put(ProspectField.JOB_TITLE, p.jobTitle());
        v.put(ProspectField.DEPARTMENT, p.department());
        v.put(ProspectField.INDUSTRY, p.industry());
        v.put(ProspectField.EMPLOYEES, p.employees());
        v.put(ProspectField.COUNTRY, p.country());
        v.put(ProspectField.PHONE, p.phone());
        v.put(ProspectField.WEBSITE, p.website());
        v.put(ProspectField.SOURCE, p.source());
        return v;
    }

    private static boolean blank(Object v) {
        return v == null || v instanceof String s && s.isBlank();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.isAfter(b) ? a : b;
    }
}
