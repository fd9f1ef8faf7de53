package dev.kindling.opportunities;

import dev.kindling.prospects.MergeStep;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge makes the survivor a contact of every opportunity either was on, once per opportunity: where both were,
 * the survivor's role stays and it becomes the primary contact if the loser was. Two prospects that are both
 * contacts on opportunities are kept apart by sales as two people (Kindling's analogue of two CRM ids): they are
 * never merged automatically.
 */
@Component
class OpportunityMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    OpportunityMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("opportunity_contact_role.prospect_id");
    }

    @Override
    public Optional<String> refusesAutomaticMerge(long first, long second) {
        long both = jdbc.sql("""
                        SELECT count(DISTINCT prospect_id) FROM opportunity_contact_role
                         WHERE prospect_id IN (:first, :second)""")
                .param("first", first)
                .param("second", second)
                .query(Long.class)
                .single();
        return both == 2 ? Optional.of("both are contacts on opportunities") : Optional.empty();
    }

    @Override
    public void merge(Pair pair) {
        long s = pair.survivorId();
        long l = pair.loserId();
        // both on one opportunity: the loser's role goes; its primary flag passes to the survivor
        List<Long> primaryOf =
                jdbc.sql("""
                        DELETE FROM opportunity_contact_role r
                         WHERE r.prospect_id = :l
                           AND EXISTS (SELECT 1 FROM opportunity_contact_role o
                                        WHERE o.opportunity_id = r.opportunity_id AND o.prospect_id = :s)
                        RETURNING CASE WHEN r.is_primary THEN r.opportunity_id END""").param("s", s).param("l", l).query(Long.class).list();
        Long[] primary =
                primaryOf.stream().filter(java.util.Objects::nonNull).sorted().toArray(Long[]::new);
        if (primary.length > 0) {
            jdbc.sql("""
                            UPDATE opportunity_contact_role SET is_primary = true
                             WHERE prospect_id = :s AND opportunity_id = ANY(:opportunities)""").param("s", s).param("opportunities", primary).update();
        }
        jdbc.sql("UPDATE opportunity_contact_role SET prospect_id = :s WHERE prospect_id = :l")
                .param("s", s)
                .param("l", l)
                .update();
    }
}
