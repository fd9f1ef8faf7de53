package dev.kindling.assignment;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The assignment setting of each stage entry that assigns (MQL, SQL): nobody ({@code NONE}), round-robin within a
 * team, or the territory rules with an optional fallback team. Read from the database on use (one primary-key row).
 */
@Component
public class AssignmentSettings {

    private final AuditLog audit;

    /** The stage entries that may assign. */
    public static final java.util.List<LifecycleStage> STAGES =
            java.util.List.of(LifecycleStage.MQL, LifecycleStage.SQL);

    /** How an entry assigns. */
    public enum Mode {
        NONE,
        ROUND_ROBIN,
        TERRITORY
    }

    /** One stage entry's setting: {@code teamId} is the round-robin team, or the territories' fallback team. */
    public record Setting(LifecycleStage stage, Mode mode, Long teamId) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    AssignmentSettings(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The setting of entering {@code stage}; NONE for a stage that never assigns. */
    public Setting forStage(LifecycleStage stage) {
        return jdbc.sql("SELECT mode, team_id FROM assignment_setting WHERE stage = :stage")
                .param("stage", stage.name())
                .query((rs, n) -> new Setting(stage, Mode.valueOf(rs.getString(1)), (Long) rs.getObject(2)))
                .optional()
                .orElse(new Setting(stage, Mode.NONE, null));
    }

    /** Every stage entry's setting, MQL first. */
    public Map<LifecycleStage, Setting> all() {
        Map<LifecycleStage, Setting> out = new LinkedHashMap<>();
        STAGES.forEach(s -> out.put(s, forStage(s)));
        return out;
    }

    /** Saves validated settings, in the caller's transaction. */
    void save(Iterable<Setting> settings) {
        audit.record(AuditEntry.updated("assignment_settings", null, all().values(), settings));
        for (Setting s : settings) {
            jdbc.sql(
                            "UPDATE assignment_setting SET mode = :mode, team_id = :team, updated_at = :now WHERE stage = :stage")
                    .param("mode", s.mode().name())
                    .param("team", s.teamId())
                    .param("now", Timestamp.from(clock.instant()))
                    .param("stage", s.stage().name())
                    .update();
        }
    }
}
