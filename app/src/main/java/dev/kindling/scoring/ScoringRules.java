package dev.kindling.scoring;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.web.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Component;

/** Reads and writes scoring rules; every write refreshes the model intake scores with. */
@Component
public class ScoringRules {

    private final AuditLog audit;

    private static final String COLUMNS = ScoringModels.RULE_COLUMNS + ", created_at, updated_at";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ScoringModels models;

    ScoringRules(JdbcClient jdbc, Clock clock, ScoringModels models, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.models = models;
    }

    public List<RuleView> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM scoring_rule ORDER BY id")
                .query(ScoringRules::view)
                .list();
    }

    public Optional<RuleView> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM scoring_rule WHERE id = :id")
                .param("id", id)
                .query(ScoringRules::view)
                .optional();
    }

    public RuleView get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No scoring rule " + id));
    }

    RuleView create(RuleValues v) {
        Timestamp now = Timestamp.from(clock.instant());
        long id = bind(jdbc.sql("""
                        INSERT INTO scoring_rule (name, activity_type, custom_name, url_pattern, form_name, asset_name,
                                                  email_id, campaign_id, points, max_points_per_day, first_time_only,
                                                  first_time_key, category, occurrence, within_days, created_at, updated_at)
                        VALUES (:name, :type, :customName, :urlPattern, :formName, :assetName, :emailId, :campaignId,
                                :points, :perDay, :firstTimeOnly, :firstTimeKey, :category, :occurrence, :withinDays,
                                :now, :now)
                        RETURNING id"""), v).param("now", now).query(Long.class).single();
        models.refresh();
        audit.record(AuditEntry.created("scoring_rule", id, get(id)));
        return get(id);
    }

    RuleView update(long id, RuleValues v) {
        RuleView before = find(id).orElse(null);
        int n = bind(jdbc.sql("""
                        UPDATE scoring_rule
                           SET name = :name, activity_type = :type, custom_name = :customName,
                               url_pattern = :urlPattern, form_name = :formName, asset_name = :assetName,
                               email_id = :emailId, campaign_id = :campaignId, points = :points,
                               max_points_per_day = :perDay, first_time_only = :firstTimeOnly,
                               first_time_key = :firstTimeKey, category = :category,
                               occurrence = :occurrence, within_days = :withinDays, updated_at = :now
                         WHERE id = :id"""), v)
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
        models.refresh();
        if (n == 0) {
            throw new NotFoundException("No scoring rule " + id);
        }
        audit.record(AuditEntry.updated("scoring_rule", id, before, get(id)));
        return get(id);
    }

    /** Deletes the rule; its ledger entries stay (they name the rule id). */
    void delete(long id) {
        RuleView before = find(id).orElse(null);
        int n = jdbc.sql("DELETE FROM scoring_rule WHERE id = :id")
                .param("id", id)
                .update();
        models.refresh();
        if (n == 0) {
            throw new NotFoundException("No scoring rule " + id);
        }
        audit.record(AuditEntry.deleted("scoring_rule", id, before));
    }

    private static StatementSpec bind(StatementSpec spec, RuleValues v) {
        return spec.param("name", v.name())
                .param("type", v.activityType().name())
                .param("customName", v.customName())
                .param("urlPattern", v.urlPattern())
                .param("formName", v.formName())
                .param("assetName", v.assetName())
                .param("emailId", v.emailId())
                .param("campaignId", v.campaignId())
                .param("points", v.points())
                .param("perDay", v.maxPointsPerDay())
                .param("firstTimeOnly", v.firstTimeOnly())
                .param("firstTimeKey", v.firstTimeKey())
                .param("category", v.category())
                .param("occurrence", v.occurrence())
                .param("withinDays", v.withinDays());
    }

    static RuleView view(ResultSet rs, int row) throws SQLException {
        return new RuleView(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("activity_type"),
                rs.getString("custom_name"),
                rs.getString("url_pattern"),
                rs.getString("form_name"),
                rs.getString("asset_name"),
                rs.getString("email_id"),
                (Long) rs.getObject("campaign_id"),
                rs.getInt("points"),
                (Integer) rs.getObject("max_points_per_day"),
                rs.getBoolean("first_time_only"),
                rs.getString("first_time_key"),
                rs.getString("category"),
                (Integer) rs.getObject("occurrence"),
                (Integer) rs.getObject("within_days"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
