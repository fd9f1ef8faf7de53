package dev.kindling.scoring;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.scoring.DecayPolicy;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.engine.scoring.ScoringRule;
import dev.kindling.engine.scoring.UrlPattern;
import dev.kindling.platform.cluster.ConfigurationChanged;
import dev.kindling.platform.cluster.ConfigurationChanges;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The scoring model in force, read from {@code scoring_rule} and {@code scoring_settings} and kept in memory:
 * intake asks for it per activity, so it must never cost a query. An edit {@link #refresh}es it on every instance
 * ({@link ConfigurationChanges}, topic {@value #TOPIC}).
 */
@Component
public class ScoringModels {

    private static final Logger log = LoggerFactory.getLogger(ScoringModels.class);
    static final String TOPIC = "scoring";

    static final String RULE_COLUMNS = """
            id, name, activity_type, custom_name, url_pattern, form_name, asset_name, email_id, campaign_id, points,
            max_points_per_day, first_time_only, first_time_key, category, occurrence, within_days""";

    private final JdbcClient jdbc;
    private final ConfigurationChanges changes;
    private volatile ScoringModel cached;

    ScoringModels(JdbcClient jdbc, ConfigurationChanges changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    public ScoringModel current() {
        ScoringModel c = cached;
        if (c == null) {
            c = load();
            cached = c;
        }
        return c;
    }

    /** Forgets the cached model, here and on every other instance; the next {@link #current()} reads it again. */
    void refresh() {
        cached = null;
        changes.announce(TOPIC);
    }

    @EventListener
    void forget(ConfigurationChanged changed) {
        if (changed.concerns(TOPIC)) {
            cached = null;
        }
    }

    /** Reads the model from the database. */
    ScoringModel load() {
        List<ScoringRule> rules = new ArrayList<>();
        jdbc.sql("SELECT " + RULE_COLUMNS + " FROM scoring_rule ORDER BY id")
                .query((rs, n) -> {
                    ScoringRule rule = rule(rs);
                    if (rule != null) {
                        rules.add(rule);
                    }
                    return rule;
                })
                .list();
        return new ScoringModel(rules, decay(), floor());
    }

    DecayPolicy decay() {
        return jdbc.sql("""
                        SELECT inactivity_days, inactivity_action, subtract_points, half_life_days
                          FROM scoring_settings WHERE id = 1""")
                .query((rs, n) -> new DecayPolicy(
                        (Integer) rs.getObject("inactivity_days"),
                        DecayPolicy.InactivityAction.valueOf(rs.getString("inactivity_action")),
                        rs.getInt("subtract_points"),
                        (Integer) rs.getObject("half_life_days")))
                .optional()
                .orElse(DecayPolicy.DEFAULT);
    }

    int floor() {
        return jdbc.sql("SELECT floor FROM scoring_settings WHERE id = 1")
                .query(Integer.class)
                .optional()
                .orElse(ScoringModel.DEFAULT_FLOOR);
    }

    /** The engine's rule of the current row; a row that is not valid (changed by hand) is skipped, not fatal. */
    static ScoringRule rule(ResultSet rs) throws SQLException {
        try {
            String pattern = rs.getString("url_pattern");
            return new ScoringRule(
                    rs.getLong("id"),
                    rs.getString("name"),
                    ActivityType.valueOf(rs.getString("activity_type")),
                    rs.getString("custom_name"),
                    pattern == null ? null : new UrlPattern(pattern),
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
                    (Integer) rs.getObject("within_days"));
        } catch (IllegalArgumentException | NullPointerException e) {
            log.warn("Scoring rule {} is not valid and is ignored: {}", rs.getLong("id"), e.getMessage());
            return null;
        }
    }
}
