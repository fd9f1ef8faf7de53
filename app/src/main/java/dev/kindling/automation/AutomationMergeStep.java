package dev.kindling.automation;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge moves the loser's rule matches to the survivor; a rule that matched both counts the matches of both (a
 * repeat limit sees every time the person matched) and keeps the latest match time.
 */
@Component
class AutomationMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    AutomationMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("automation_rule_prospect.prospect_id", "automation_match.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("""
                        INSERT INTO automation_rule_prospect (rule_id, prospect_id, matches, last_match_at)
                        SELECT rule_id, :s, matches, last_match_at FROM automation_rule_prospect WHERE prospect_id = :l
                         ORDER BY rule_id
                        ON CONFLICT (rule_id, prospect_id) DO UPDATE
                           SET matches = automation_rule_prospect.matches + EXCLUDED.matches,
                               last_match_at = greatest(automation_rule_prospect.last_match_at, EXCLUDED.last_match_at)""").param("s", pair.survivorId()).param("l", pair.loserId()).update();
        jdbc.sql("DELETE FROM automation_rule_prospect WHERE prospect_id = :l")
                .param("l", pair.loserId())
                .update();
        jdbc.sql("UPDATE automation_match SET prospect_id = :s WHERE prospect_id = :l")
                .param("s", pair.survivorId())
                .param("l", pair.loserId())
                .update();
    }
}
