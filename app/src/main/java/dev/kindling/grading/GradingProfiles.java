package dev.kindling.grading;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.grading.AssignmentRule;
import dev.kindling.engine.grading.Criterion;
import dev.kindling.engine.grading.DefaultProfile;
import dev.kindling.engine.grading.GradingProfile;
import dev.kindling.engine.grading.ProfileAssignment;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores grading profiles (with their criteria) and the ordered assignment rules, each condition in the condition
 * language's JSON form ({@code condition jsonb}, NULL when inactive). Input reaching here is already validated
 * ({@link ProfileInput}); this class only reads and writes.
 */
@Component
class GradingProfiles {

    private final AuditLog audit;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final ConditionCodec conditions;

    GradingProfiles(JdbcClient jdbc, JsonMapper json, Clock clock, AuditLog audit, ConditionCodec conditions) {
        this.audit = audit;
        this.conditions = conditions;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Installs the default profile unless there is one; returns whether it did. */
    @Transactional
    boolean installDefault() {
        jdbc.sql("LOCK TABLE grading_profile IN SHARE ROW EXCLUSIVE MODE").update();
        boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM grading_profile WHERE is_default)")
                .query(Boolean.class)
                .single();
        if (exists) {
            return false;
        }
        String name = DefaultProfile.NAME;
        if (findIdByName(name).isPresent()) {
            name = DefaultProfile.NAME + " (installed)";
        }
        long id = insertProfile(name, true);
        writeCriteria(id, DefaultProfile.criteria());
        return true;
    }

    /** Every profile with its criteria, the default first, then by name. */
    List<StoredProfile> list() {
        Map<Long, List<Criterion>> criteria = criteria(null);
        return jdbc.sql(
                        "SELECT id, name, is_default, updated_at FROM grading_profile ORDER BY is_default DESC, name, id")
                .query((rs, n) -> new StoredProfile(
                        new GradingProfile(
                                rs.getLong(1), rs.getString(2), criteria.getOrDefault(rs.getLong(1), List.of())),
                        rs.getBoolean(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    Optional<StoredProfile> find(long id) {
        Map<Long, List<Criterion>> criteria = criteria(id);
        return jdbc.sql("SELECT id, name, is_default, updated_at FROM grading_profile WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> new StoredProfile(
                        new GradingProfile(
                                rs.getLong(1), rs.getString(2), criteria.getOrDefault(rs.getLong(1), List.of())),
                        rs.getBoolean(3),
                        rs.getTimestamp(4).toInstant()))
                .optional();
    }

    StoredProfile get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No grading profile " + id));
    }

    Optional<Long> findIdByName(String name) {
        return jdbc.sql("SELECT id FROM grading_profile WHERE lower(name) = lower(:name)")
                .param("name", name)
                .query(Long.class)
                .optional();
    }

    @Transactional
    long create(String name, List<Criterion> criteria) {
        long id = insertProfile(name, false);
        writeCriteria(id, criteria);
        audit.record(AuditEntry.created("grading_profile", id, get(id)));
        return id;
    }

    /** Replaces the profile's name and criteria (criteria get new ids). */
    @Transactional
    void replace(long id, String name, List<Criterion> criteria) {
        StoredProfile before = get(id);
        int updated = jdbc.sql("UPDATE grading_profile SET name = :name, updated_at = :now WHERE id = :id")
                .param("name", name)
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
        if (updated == 0) {
            throw new NotFoundException("No grading profile " + id);
        }
        jdbc.sql("DELETE FROM grading_criterion WHERE profile_id = :id")
                .param("id", id)
                .update();
        writeCriteria(id, criteria);
        audit.record(AuditEntry.updated("grading_profile", id, before, get(id)));
    }

    /** Deletes a profile that is neither the default nor named by an assignment rule. */
    @Transactional
    void delete(long id) {
        StoredProfile profile = get(id);
        if (profile.isDefault()) {
            throw new ConflictException("The default grading profile cannot be deleted");
        }
        boolean used = jdbc.sql("SELECT EXISTS (SELECT 1 FROM grading_assignment_rule WHERE profile_id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
        if (used) {
            throw new ConflictException("Assignment rules send prospects to this profile; change them first");
        }
        jdbc.sql("DELETE FROM grading_profile WHERE id = :id").param("id", id).update();
        audit.record(AuditEntry.deleted("grading_profile", id, profile));
    }

    Optional<Long> defaultProfileId() {
        return jdbc.sql("SELECT id FROM grading_profile WHERE is_default")
                .query(Long.class)
                .optional();
    }

    List<AssignmentRule> rules() {
        return jdbc.sql("""
                        SELECT id, condition::text, profile_id
                        FROM grading_assignment_rule ORDER BY position, id""")
                .query((rs, n) -> new AssignmentRule(rs.getLong(1), condition(rs.getString(2)), rs.getLong(3)))
                .list();
    }

    /** Replaces every assignment rule with these, in this order. */
    @Transactional
    void replaceRules(List<AssignmentRule> rules) {
        audit.record(AuditEntry.updated("grading_assignment_rules", null, rules(), rules));
        jdbc.sql("DELETE FROM grading_assignment_rule").update();
        int position = 0;
        for (AssignmentRule rule : rules) {
            jdbc.sql("""
                            INSERT INTO grading_assignment_rule (position, condition, profile_id)
                            VALUES (:position, CAST(:condition AS jsonb), :profile)""")
                    .param("position", position++)
                    .param("condition", json(rule.condition()))
                    .param("profile", rule.profileId())
                    .update();
        }
    }

    /** Everything needed to grade: all profiles and the assignment; empty before the default profile is installed. */
    Optional<GradingSetup> setup() {
        Optional<Long> defaultId = defaultProfileId();
        if (defaultId.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, GradingProfile> profiles = new LinkedHashMap<>();
        for (StoredProfile p : list()) {
            profiles.put(p.profile().id(), p.profile());
        }
        return Optional.of(new GradingSetup(profiles, new ProfileAssignment(rules(), defaultId.get())));
    }

    private long insertProfile(String name, boolean isDefault) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.sql("""
                        INSERT INTO grading_profile (name, is_default, created_at, updated_at)
                        VALUES (:name, :default, :now, :now) RETURNING id""")
                .param("name", name)
                .param("default", isDefault)
                .param("now", now)
                .query(Long.class)
                .single();
    }

    private void writeCriteria(long profileId, List<Criterion> criteria) {
        int position = 0;
        for (Criterion c : criteria) {
            jdbc.sql("""
                            INSERT INTO grading_criterion (profile_id, position, label, condition, weight)
                            VALUES (:profile, :position, :label, CAST(:condition AS jsonb), :weight)""")
                    .param("profile", profileId)
                    .param("position", position++)
                    .param("label", c.label())
                    .param("condition", json(c.condition()))
                    .param("weight", c.weight())
                    .update();
        }
    }

    private Map<Long, List<Criterion>> criteria(Long profileId) {
        Map<Long, List<Criterion>> byProfile = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT id, profile_id, label, condition::text, weight
                        FROM grading_criterion
                        WHERE CAST(:profile AS bigint) IS NULL OR profile_id = :profile
                        ORDER BY profile_id, position, id""")
                .param("profile", profileId)
                .query((rs, n) -> byProfile
                        .computeIfAbsent(rs.getLong(2), k -> new ArrayList<>())
                        .add(new Criterion(rs.getLong(1), rs.getString(3), condition(rs.getString(4)), rs.getInt(5))))
                .list();
        return byProfile;
    }

    /** A stored condition (null: inactive); it was validated on write. */
    private Condition condition(String stored) {
        return stored == null ? null : conditions.read(json.readTree(stored), "");
    }

    /** A condition as stored: its JSON form, or null when inactive. */
    private String json(Condition condition) {
        return condition == null ? null : conditions.write(condition).toString();
    }
}
