package dev.kindling.salesforce;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge re-points the contact roles read from Salesforce to the survivor (the opportunities module re-points the
 * roles themselves), so a role deleted in Salesforce later takes the survivor off its opportunity.
 */
@Component
class SalesforceMergeStep implements MergeStep {

    static final Set<String> COLUMNS = Set.of("salesforce_contact_role.prospect_id");

    private final JdbcClient jdbc;

    SalesforceMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return COLUMNS;
    }

    @Override
    public void merge(Pair pair) {
        MergeStep.repoint(jdbc, pair, COLUMNS);
    }
}
