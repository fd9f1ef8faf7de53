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
        // The survivor is locked FOR UPDATE by the merge; the rules of the moved rows are locked FOR KEY SHARE here, in
        // id order, and the rows of a rule deleted meanwhile are not moved (its delete committed first: the loser's go
        // below), so no row names a rule that is gone (no foreign key: V751). A rule delete that comes later waits for
        // the merge and then deletes the survivor's rows. The history's rows keep their rule: a delete of it and this
        // update meet on the row itself (whichever comes second waits, then deletes or skips the row).
        jdbc.sql("""
                        WITH r AS MATERIALIZED (
                            SELECT a.id FROM automation_rule a
                             WHERE a.id IN (SELECT rule_id FROM automation_rule_prospect WHERE prospect_id = :l)
                             ORDER BY a.id
                               FOR KEY SHARE OF a)
                        INSERT INTO automation_rule_prospect (rule_id, prospect_id, matches, last_match_at)
                        SELECT rule_id, :s, matches, last_match_at FROM automation_rule_prospect
                         WHERE prospect_id = :l AND rule_id IN (SELECT id FROM r)
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
