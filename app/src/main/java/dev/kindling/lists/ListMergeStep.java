package dev.kindling.lists;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge makes the survivor a member of every list either was on (once, member since the earlier of the two) and
 * moves the loser's membership history. Dynamic lists then re-evaluate the survivor like any changed prospect.
 */
@Component
class ListMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    ListMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("list_member.prospect_id", "list_membership_event.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("""
                        INSERT INTO list_member (list_id, prospect_id, since)
                        SELECT list_id, :s, since FROM list_member WHERE prospect_id = :l ORDER BY list_id
                        ON CONFLICT (list_id, prospect_id) DO UPDATE SET since = least(list_member.since, EXCLUDED.since)""").param("s", pair.survivorId()).param("l", pair.loserId()).update();
        jdbc.sql("DELETE FROM list_member WHERE prospect_id = :l")
                .param("l", pair.loserId())
                .update();
        jdbc.sql("UPDATE list_membership_event SET prospect_id = :s WHERE prospect_id = :l")
                .param("s", pair.survivorId())
                .param("l", pair.loserId())
                .update();
    }
}
