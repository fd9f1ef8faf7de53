package dev.kindling.automation;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.automation.Repeat;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.Prospects;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The stored rules: create (PAUSED), change, delete, read with their match counts. */
@Component
public class AutomationRules {

    private final AuditLog audit;

    private static final String COLUMNS = """
            r.id, r.name, r.condition::text AS condition, r.actions::text AS actions, r.status, r.repeat_days,
            r.repeat_max, r.created_at, r.updated_at""";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final Prospects prospects;
    private final ActionJson actionJson;
    private final LifecycleThresholds thresholds;

    AutomationRules(
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            Prospects prospects,
            ActionJson actionJson,
            LifecycleThresholds thresholds,
            AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.prospects = prospects;
        this.actionJson = actionJson;
        this.thresholds = thresholds;
    }

    /** A rule as shown: the rule, how many matches it made and how many prospects it matched. */
    public record RuleView(
            long id,
            String name,
            JsonNode condition,
            List<Map<String, Object>> actions,
            String status,
            Map<String, Object> repeat,
            long matchCount,
            long prospectsMatched,
            Instant createdAt,
            Instant updatedAt) {}

    RuleInput validate(JsonNode body) {
        return RuleInput.validate(
                body, prospects.customFields(), actionJson, this::listExists, clock.instant(), thresholds.current());
    }

    boolean listExists(long id) {
        return jdbc.sql("SELECT count(*) FROM list WHERE id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    @Transactional
    public RuleView create(JsonNode body) {
        RuleInput in = validate(body);
        Timestamp now = Timestamp.from(clock.instant());
        long id = jdbc.sql("""
                        INSERT INTO automation_rule (name, condition, actions, status, repeat_days, repeat_max,
                                                     created_at, updated_at)
                        VALUES (:name, CAST(:condition AS jsonb), CAST(:actions AS jsonb), 'PAUSED', :days, :max,
                                :now, :now)
                        RETURNING id""")
                .params(params(in))
                .param("now", now)
                .query(Long.class)
                .single();
        audit.record(AuditEntry.created("automation_rule", id, view(id)));
        return view(id);
    }

    @Transactional
    public RuleView update(long id, JsonNode body) {
        RuleView before = view(id);
        RuleInput in = validate(body);
        jdbc.sql("""
                        UPDATE automation_rule SET name = :name, condition = CAST(:condition AS jsonb),
                               actions = CAST(:actions AS jsonb), repeat_days = :days, repeat_max = :max,
                               updated_at = :now
                         WHERE id = :id""")
                .params(params(in))
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
        audit.record(AuditEntry.updated("automation_rule", id, before, view(id)));
        return view(id);
    }

    private Map<String, Object> params(RuleInput in) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", in.name());
        p.put("condition", json.writeValueAsString(in.conditionJson()));
        p.put("actions", json.writeValueAsString(ActionJson.write(in.actions())));
        p.put("days", in.repeat().repeats() ? in.repeat().daysBeforeEligible() : null);
        p.put("max", in.repeat().maxMatches());
        return p;
    }

    @Transactional
    public void delete(long id) {
        RuleView before = find(id).map(this::view).orElse(null);
        if (jdbc.sql("DELETE FROM automation_rule WHERE id = :id")
                        .param("id", id)
                        .update()
                == 0) {
            throw new NotFoundException("No automation rule " + id);
        }
        audit.record(AuditEntry.deleted("automation_rule", id, before));
    }

    public Optional<AutomationRule> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM automation_rule r WHERE r.id = :id")
                .param("id", id)
                .query(this::rule)
                .optional();
    }

    public AutomationRule get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No automation rule " + id));
    }

    /** The active rules (the continuous path reads them for every evaluation: a small indexed query). */
    List<AutomationRule> active() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM automation_rule r WHERE r.status = 'ACTIVE' ORDER BY r.id")
                .query(this::rule)
                .list();
    }

    void setStatus(long id, AutomationRule.Status status) {
        jdbc.sql("UPDATE automation_rule SET status = :status, updated_at = :now WHERE id = :id")
                .param("status", status.name())
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
        audit.record(AuditEntry.of("automation_rule", id, "status", null, Map.of("status", status)));
    }

    public RuleView view(long id) {
        return view(get(id));
    }

    public List<RuleView> list() {
        List<AutomationRule> rules = jdbc.sql("SELECT " + COLUMNS + " FROM automation_rule r ORDER BY r.id DESC")
                .query(this::rule)
                .list();
        Map<Long, long[]> counts = counts(null);
        List<RuleView> views = new ArrayList<>();
        for (AutomationRule r : rules) {
            views.add(view(r, counts.getOrDefault(r.id(), new long[2])));
        }
        return views;
    }

    private RuleView view(AutomationRule r) {
        return view(r, counts(r.id()).getOrDefault(r.id(), new long[2]));
    }

    private Map<Long, long[]> counts(Long ruleId) {
        Map<Long, long[]> counts = new HashMap<>();
        jdbc.sql("""
                        SELECT rule_id, sum(matches), count(*) FROM automation_rule_prospect
                         WHERE CAST(:rule AS bigint) IS NULL OR rule_id = :rule
                         GROUP BY rule_id""")
                .param("rule", ruleId)
                .query((rs, n) -> counts.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)}))
                .list();
        return counts;
    }

    private RuleView view(AutomationRule r, long[] counts) {
        Map<String, Object> repeat = null;
        if (r.repeat().repeats()) {
            repeat = new LinkedHashMap<>();
            repeat.put("daysBeforeEligible", r.repeat().daysBeforeEligible());
            repeat.put("maxMatches", r.repeat().maxMatches());
        }
        return new RuleView(
                r.id(),
                r.name(),
                r.condition(),
                ActionJson.write(r.actions()),
                r.status().name(),
                repeat,
                counts[0],
                counts[1],
                r.createdAt(),
                r.updatedAt());
    }

    private AutomationRule rule(ResultSet rs, int n) throws SQLException {
        Integer days = (Integer) rs.getObject("repeat_days");
        Integer max = (Integer) rs.getObject("repeat_max");
        return new AutomationRule(
                rs.getLong("id"),
                rs.getString("name"),
                json.readTree(rs.getString("condition")),
                ActionJson.stored(json.readTree(rs.getString("actions"))),
                AutomationRule.Status.valueOf(rs.getString("status")),
                days == null ? Repeat.ONCE : Repeat.every(days, max),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
