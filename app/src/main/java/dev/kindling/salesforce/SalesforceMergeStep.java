package dev.kindling.salesforce;

import dev.kindling.prospects.MergeStep;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A prospect merge and the Salesforce links: the loser's records become the survivor's. A prospect has one active
 * record, so when both have one the survivor keeps its own and the loser's is set aside ({@code DETACHED}, never
 * written again). The loser's queued push joins the survivor's. Two prospects linked to different Salesforce records
 * are not merged automatically: Salesforce keeps them apart, a person decides. The contact roles read from Salesforce
 * are re-pointed too (the opportunities module re-points the roles themselves), so a role deleted in Salesforce later
 * takes the survivor off its opportunity.
 */
@Component
class SalesforceMergeStep implements MergeStep {

    static final Set<String> REPOINTED = Set.of("salesforce_contact_role.prospect_id");

    private final JdbcClient jdbc;

    SalesforceMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of(
                "salesforce_record.prospect_id",
                "salesforce_outbox.prospect_id",
                "salesforce_contact_role.prospect_id",
                "salesforce_member_push.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        jdbc.sql("""
                UPDATE salesforce_record SET state = 'DETACHED', ended_at = :at
                 WHERE prospect_id = :l AND state = 'ACTIVE'
                   AND EXISTS (SELECT 1 FROM salesforce_record WHERE prospect_id = :s AND state = 'ACTIVE')""")
                .param("s", pair.survivorId())
                .param("l", pair.loserId())
                .param("at", java.sql.Timestamp.from(pair.at()))
                .update();
        jdbc.sql("UPDATE salesforce_record SET prospect_id = :s WHERE prospect_id = :l")
                .param("s", pair.survivorId())
                .param("l", pair.loserId())
                .update();
        jdbc.sql("""
                        INSERT INTO salesforce_outbox (prospect_id, may_create, allow_duplicates, queued_at, next_attempt_at)
                        SELECT :s, may_create, allow_duplicates, queued_at, next_attempt_at
                          FROM salesforce_outbox WHERE prospect_id = :l
                        ON CONFLICT (prospect_id) DO UPDATE SET version = salesforce_outbox.version + 1,
                               may_create = salesforce_outbox.may_create OR EXCLUDED.may_create,
                               next_attempt_at = least(salesforce_outbox.next_attempt_at, EXCLUDED.next_attempt_at)""").param("s", pair.survivorId()).param("l", pair.loserId()).update();
        jdbc.sql("DELETE FROM salesforce_outbox WHERE prospect_id = :l")
                .param("l", pair.loserId())
                .update();
        // the loser's campaign memberships (queued or done) become the survivor's, unless it has its own
        jdbc.sql("""
                        INSERT INTO salesforce_member_push (prospect_id, campaign_sf_id, member_sf_id, queued_at,
                                                            next_attempt_at, attempts, done_at)
                        SELECT :s, campaign_sf_id, member_sf_id, queued_at, next_attempt_at, attempts, done_at
                          FROM salesforce_member_push WHERE prospect_id = :l
                        ON CONFLICT (prospect_id, campaign_sf_id) DO NOTHING""").param("s", pair.survivorId()).param("l", pair.loserId()).update();
        jdbc.sql("DELETE FROM salesforce_member_push WHERE prospect_id = :l")
                .param("l", pair.loserId())
                .update();
        MergeStep.repoint(jdbc, pair, REPOINTED);
    }

    @Override
    public Optional<String> refusesAutomaticMerge(long first, long second) {
        long active = jdbc.sql("""
                        SELECT count(DISTINCT prospect_id) FROM salesforce_record
                         WHERE prospect_id IN (:a, :b) AND state = 'ACTIVE'""")
                .param("a", first)
                .param("b", second)
                .query(Long.class)
                .single();
        return active == 2 ? Optional.of("both are linked to different Salesforce records") : Optional.empty();
    }
}
